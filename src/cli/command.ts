/**
 * @module cli/command
 * What one `mcpool` subcommand is: its name, help, options and a `run` that returns the exit
 * code. The dispatcher (`main.ts`) knows commands only through this interface, so adding one
 * (such as `serve`) is one entry in the command table (`commands/index.ts`).
 */
import type { Readable, Writable } from 'node:stream';

/** One option of a command, as `node:util` `parseArgs` takes it, plus help text. */
export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  /** The option may be given several times; its value is an array. */
  multiple?: boolean;
  /**
   * The option takes several values after one flag (`--scenario trivial cpu`), as well as
   * repeated flags and comma-separated lists. Implies `multiple`.
   */
  variadic?: boolean;
  /** Shown in help, e.g. `<file>`. */
  valueName?: string;
  /** One line of help. */
  description: string;
  /** Shown in help as the default. */
  defaultText?: string;
}

/** Parsed arguments of a command. */
export interface CommandArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** The process around a command: its streams and environment (tests and embedders may swap them). */
export interface CliIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A subcommand of `mcpool`. */
export interface CliCommand {
  /** The word after `mcpool`. */
  name: string;
  /** One line for `mcpool --help`. */
  summary: string;
  /** The usage line(s), e.g. `mcpool call <server>/<tool> [json-arguments] [options]`. */
  usage: string;
  /** More help text after the options (examples, exit codes). */
  details?: string;
  /** Like `details`, for text that needs a module the command loads only when used. */
  loadDetails?: () => Promise<string>;
  /** Options besides `--help`. */
  options: Record<string, CliOption>;
  /** How many positionals it takes. */
  positionals: { min: number; max: number };
  /** Runs the command; resolves with the exit code, or throws (mapped to an exit code). */
  run(args: CommandArgs, io: CliIo): Promise<number>;
}
