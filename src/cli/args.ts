/**
 * @module cli/args
 * Argument parsing on `node:util` `parseArgs` (built in, strict, no dependency to keep current),
 * plus the one thing it lacks: variadic options (`--scenario trivial cpu`). A parse failure is
 * a `UsageError` (exit 2), with parseArgs' own message, which names the flag.
 */
import { parseArgs } from 'node:util';
import type { CliOption, CommandArgs } from './command.js';
import { UsageError } from './usage-error.js';

type ParseArgsOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** The `--help` flag every command has. */
export const helpOption: CliOption = { type: 'boolean', short: 'h', description: 'Show this help' };

/**
 * Rewrites `--flag a b c` (or `-f a b c`) into `--flag a --flag b --flag c` for variadic options, stopping at the
 * next token that starts with `-`; comma lists (`--flag a,b`) are split too.
 */
function expandVariadic(argv: readonly string[], options: Record<string, CliOption>): string[] {
  const variadic = new Set(Object.entries(options).filter(([, option]) => option.variadic === true).map(([name]) => name));
  const shortNames = new Map(Object.entries(options).flatMap(([name, option]) => (option.short === undefined ? [] : [[option.short, name] as const])));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const match = /^--([^=]+)(?:=(.*))?$/.exec(token);
    const short = /^-([A-Za-z])$/.exec(token)?.[1];
    const name = match?.[1] ?? (short === undefined ? undefined : shortNames.get(short));
    if (name === undefined || !variadic.has(name)) {
      out.push(token);
      continue;
    }
    const values: string[] = match?.[2] !== undefined ? [match[2]] : [];
    while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) values.push(argv[++i]!);
    if (values.length === 0) {
      out.push(token); // parseArgs reports the missing value
      continue;
    }
    for (const value of values.flatMap((v) => v.split(',')).filter(Boolean)) out.push(`--${name}`, value);
  }
  return out;
}

/** Parses a command's arguments; throws `UsageError` on unknown flags or a wrong positional count. */
export function parseCommandArgs(argv: readonly string[], options: Record<string, CliOption>, positionals: { min: number; max: number }): CommandArgs {
  const all: Record<string, CliOption> = { ...options, help: helpOption };
  const config: ParseArgsOptions = {};
  for (const [name, option] of Object.entries(all)) {
    config[name] = {
      type: option.type,
      ...(option.short === undefined ? {} : { short: option.short }),
      ...(option.multiple === true || option.variadic === true ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: expandVariadic(argv, all), options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error));
  }
  const values = parsed.values as CommandArgs['values'];
  if (values.help === true) return { values, positionals: parsed.positionals };
  if (parsed.positionals.length < positionals.min) throw new UsageError(`missing argument (expected at least ${positionals.min})`);
  if (parsed.positionals.length > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]!}"`);
  return { values, positionals: parsed.positionals };
}

/** A string option's value, or undefined. */
export function stringValue(args: CommandArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable option's values (empty when absent). */
export function listValue(args: CommandArgs, name: string): string[] {
  const value = args.values[name];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

/** A number option: must be finite and within bounds, else `UsageError` naming the flag. */
export function numberValue(args: CommandArgs, name: string, bounds: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  const text = stringValue(args, name);
  if (text === undefined) return undefined;
  return parseNumber(text, `--${name}`, bounds);
}

/** Parses one numeric flag value; `UsageError` names the flag. */
export function parseNumber(text: string, flag: string, bounds: { min?: number; max?: number; integer?: boolean } = {}): number {
  const value = Number(text);
  const { min = -Infinity, max = Infinity, integer = false } = bounds;
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    const range = min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` of at least ${min}` : '';
    throw new UsageError(`${flag} must be ${kind}${range} (got "${text}")`);
  }
  return value;
}

/** True for a boolean flag that was given. */
export function flag(args: CommandArgs, name: string): boolean {
  return args.values[name] === true;
}
