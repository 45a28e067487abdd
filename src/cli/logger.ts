/**
 * @module cli/logger
 * The log lines of long-running commands (`mcpool serve`), on stderr: stdout belongs to the
 * stdio gateway. `--log-level error|warn|info|debug` picks what is written; `--log-format json`
 * writes one JSON object per line (`time`, `level`, `msg` and the line's fields) for log
 * collectors, the default text format one readable line (`mcpool serve: msg key=value`).
 */

/** Log levels, most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
/** A log level of the CLI. */
export type CliLogLevel = (typeof LOG_LEVELS)[number];
/** A log format of the CLI. */
export type CliLogFormat = 'text' | 'json';

/** Fields of one log line. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Writes log lines at or above its level. */
export interface Logger {
  /** True when lines at `level` are written (skip building costly fields otherwise). */
  enabled(level: CliLogLevel): boolean;
  log(level: CliLogLevel, message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: CliLogLevel | undefined;
  /** @default 'text' */
  format?: CliLogFormat | undefined;
  /** Prefix of text lines. @default 'mcpool' */
  name?: string | undefined;
  /** Where lines go. @default stderr */
  write?: ((line: string) => void) | undefined;
}

/** True for a valid `--log-level` value. */
export function isCliLogLevel(value: unknown): value is CliLogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** A field value as text: numbers and booleans as they are, strings quoted when they must be. */
function textValue(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  return value === '' || NEEDS_QUOTES.test(value) ? JSON.stringify(value) : value;
}

const NEEDS_QUOTES = /[\s"=]/;

/**
 * Writes to stderr in one write per turn of the event loop rather than one per line: an access
 * line per request would otherwise be a system call per request (stderr to a pipe or file is
 * written synchronously). Whatever is pending is written when the process exits.
 */
function bufferedStderr(): (line: string) => void {
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    process.stderr.write(text);
  };
  process.once('exit', flush);
  return (line) => {
    pending += line;
    if (pending.length > 65_536) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/** A logger writing to stderr (or `write`). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const json = options.format === 'json';
  const name = options.name ?? 'mcpool';
  const write = options.write ?? bufferedStderr();
  const enabled = (level: CliLogLevel): boolean => LOG_LEVELS.indexOf(level) <= threshold;
  // At `info` the HTTP gateway logs every request, so a line is built in one pass over its
  // fields, without the arrays and closures of entries/filter/map.
  const log = (level: CliLogLevel, message: string, fields?: LogFields): void => {
    if (!enabled(level)) return;
    if (json) {
      const record: Record<string, string | number | boolean> = { time: new Date().toISOString(), level, msg: message };
      for (const key in fields) {
        const value = fields[key];
        if (value !== undefined) record[key] = value;
      }
      write(`${JSON.stringify(record)}\n`);
      return;
    }
    let line = level === 'info' ? `${name}: ${message}` : `${name}: ${level}: ${message}`;
    for (const key in fields) {
      const value = fields[key];
      if (value !== undefined) line += ` ${key}=${textValue(value)}`;
    }
    write(`${line}\n`);
  };
  return {
    enabled,
    log,
    error: (message, fields) => log('error', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    info: (message, fields) => log('info', message, fields),
    debug: (message, fields) => log('debug', message, fields),
  };
}
