/**
 * @module cli/commands/call
 * `mcpool call <server>/<tool> [json-arguments]`: one tool call, its `CallToolResult` printed as
 * JSON on stdout. A tool error (`isError: true`) is printed too and exits 1; an engine error
 * (unknown tool, invalid arguments, timeout) goes to stderr with its code and exits 1.
 */
import type { Readable } from 'node:stream';
import { numberValue, stringValue } from '../args.js';
import type { CliCommand } from '../command.js';
import { configOption, openServers } from '../servers.js';
import { ExitCode, UsageError } from '../usage-error.js';

/** Splits `server/tool`; the server name cannot hold a `/`, the tool name may. */
export function parseTarget(target: string): { server: string; tool: string } {
  const slash = target.indexOf('/');
  if (slash <= 0 || slash === target.length - 1) throw new UsageError(`expected <server>/<tool>, e.g. math/add (got "${target}")`);
  return { server: target.slice(0, slash), tool: target.slice(slash + 1) };
}

/** Parses the JSON arguments of a call: must be an object. */
export function parseArguments(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`json-arguments is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('json-arguments must be a JSON object, e.g. \'{"a":1,"b":2}\'');
  return value as Record<string, unknown>;
}

/** Reads a whole stream as text (for `-`: the arguments from stdin). */
async function readAll(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream.setEncoding('utf8') as AsyncIterable<string>) text += chunk;
  return text;
}

/** The `call` command. */
export const callCommand: CliCommand = {
  name: 'call',
  summary: 'Call one tool and print its CallToolResult as JSON',
  usage: 'mcpool call <server>/<tool> [json-arguments|-] [--config f] [--timeout ms]',
  details: [
    'Examples:',
    '  mcpool call math/add \'{"a":2,"b":3}\'',
    '  mcpool call hash/sha256 \'{"text":"hi","rounds":1000}\' --timeout 500',
    '  jq -n \'{text: "read from stdin"}\' | mcpool call text/word_count -     # arguments from stdin',
    '',
    'Exit codes: 0 the tool succeeded; 1 the tool reported an error (isError) or the call',
    'failed (unknown tool, invalid arguments, timeout...); 2 bad usage or config.',
  ].join('\n'),
  options: {
    config: configOption,
    timeout: { type: 'string', short: 't', valueName: '<ms>', description: 'Timeout of the call in ms (0: none)', defaultText: "the server's, else 30000" },
  },
  positionals: { min: 1, max: 2 },
  async run(args, io) {
    const { server, tool } = parseTarget(args.positionals[0]!);
    const argsText = args.positionals[1] === '-' ? await readAll(io.stdin) : args.positionals[1];
    const toolArgs = parseArguments(argsText);
    const timeoutMs = numberValue(args, 'timeout', { min: 0, integer: true });
    const { manager } = await openServers(stringValue(args, 'config'), io.cwd, io.env);
    try {
      const result = await manager.executeTool(server, tool, toolArgs, timeoutMs === undefined ? undefined : { timeoutMs });
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return result.isError === true ? ExitCode.failed : ExitCode.ok;
    } finally {
      await manager.shutdown();
    }
  },
};
