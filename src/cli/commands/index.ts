/**
 * @module cli/commands
 * The command table: every `mcpool` subcommand, in help order. A new command is a module
 * exporting a `CliCommand` and one entry here.
 */
import type { CliCommand } from '../command.js';
import { batchCommand } from './batch.js';
import { benchCommand } from './bench.js';
import { callCommand } from './call.js';
import { healthCommand } from './health.js';
import { nodeCommand } from './node.js';
import { toolsCommand } from './tools.js';
import { serveCommand } from './serve.js';

/** Every command, in the order `mcpool --help` lists them. */
export const commands: readonly CliCommand[] = [callCommand, toolsCommand, healthCommand, batchCommand, benchCommand, serveCommand, nodeCommand];

/** The command with this name, or undefined. */
export function findCommand(name: string): CliCommand | undefined {
  return commands.find((command) => command.name === name);
}
