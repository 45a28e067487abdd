#!/usr/bin/env node
/**
 * @module cli/main
 * The `mcpool` command: finds the subcommand in the command table, parses its arguments, runs
 * it and exits with its code (0 success, 1 a failed call or check, 2 bad usage or config).
 * Results go to stdout; progress, logs and errors to stderr.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './command.js';
import { commands, findCommand } from './commands/index.js';
import { commandHelp, mainHelp } from './help.js';
import { styleFor } from './style.js';
import { codeOf, ExitCode, exitCodeOf } from './usage-error.js';
import { packageVersion } from '../api/version.js';

/** Runs `mcpool` with `argv` (without `node` and the script) and resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const style = styleFor(io.stderr, io.env);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(mainHelp(commands, packageVersion()));
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  const command = findCommand(name);
  if (command === undefined) {
    io.stderr.write(`${style.red('error')} USAGE: unknown command "${name}"; commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return ExitCode.usage;
  }
  try {
    const args = parseCommandArgs(rest, command.options, command.positionals);
    if (args.values.help === true) {
      io.stdout.write(commandHelp(command, command.loadDetails === undefined ? command.details : await command.loadDetails()));
      return ExitCode.ok;
    }
    return await command.run(args, io);
  } catch (error) {
    const code = exitCodeOf(error);
    io.stderr.write(`${style.red('error')} ${codeOf(error)}: ${error instanceof Error ? error.message : String(error)}\n`);
    if (code === ExitCode.usage && codeOf(error) === 'USAGE') io.stderr.write(`Run "mcpool ${command.name} --help" for usage.\n`);
    return code;
  }
}

/** True when this module is the process's entry point (also through the npm bin symlink). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  // EPIPE on stdout (`mcpool tools | head`) ends the command quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ExitCode.ok);
    throw error;
  });
  runCli(process.argv.slice(2), io).then(
    (code) => {
      // Let stdout drain, then exit: a command must not hang on a handle a library left open.
      process.exitCode = code;
      process.stdout.write('', () => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(ExitCode.failed);
    },
  );
}
