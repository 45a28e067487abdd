/**
 * @module cli/help
 * Help texts, made from the command table so they cannot drift from the real options.
 */
import { helpOption } from './args.js';
import type { CliCommand, CliOption } from './command.js';

function optionLine(name: string, option: CliOption): [string, string] {
  const short = option.short === undefined ? '    ' : `-${option.short}, `;
  const value = option.type === 'string' ? ` ${option.valueName ?? '<value>'}${option.variadic === true ? '...' : ''}` : '';
  const extra = option.defaultText === undefined ? '' : ` (default: ${option.defaultText})`;
  return [`  ${short}--${name}${value}`, `${option.description}${extra}`];
}

/** Two aligned columns. */
function columns(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${left.padEnd(width)}  ${right}`).join('\n');
}

/** `mcpool <command> --help`. */
export function commandHelp(command: CliCommand, details = command.details): string {
  const options = Object.entries({ ...command.options, help: helpOption }).map(([name, option]) => optionLine(name, option));
  const parts = [`Usage: ${command.usage}`, '', command.summary, '', 'Options:', columns(options)];
  if (details !== undefined) parts.push('', details.trimEnd());
  return parts.join('\n') + '\n';
}

/** `mcpool --help`. */
export function mainHelp(commands: readonly CliCommand[], version: string): string {
  return [
    `mcpool ${version}: run MCP tools on worker-thread pools`,
    '',
    'Usage: mcpool <command> [options]',
    '',
    'Commands:',
    columns(commands.map((command) => [`  ${command.name}`, command.summary])),
    '',
    'Run "mcpool <command> --help" for the options of a command.',
    'Exit codes: 0 success, 1 a failed call or check, 2 bad usage or config.',
    'Without --config, ./mcpool.json is read if it exists, else the built-in example servers',
    '(math, hash, text) are deployed.',
  ].join('\n') + '\n';
}
