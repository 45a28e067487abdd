import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, mcpool, tempDir } from '../support/cli-helpers.js';
import { exampleModule, fixtureModule } from '../support/helpers.js';

let dir: string;
let removeDir: () => Promise<void>;
let config: string;

beforeAll(async () => {
  ({ dir, remove: removeDir } = await tempDir());
  config = join(dir, 'batch.json');
  await writeFile(
    config,
    JSON.stringify({
      mcpServers: {
        math: { type: 'worker', module: exampleModule('math'), threads: 2 },
        fixture: { type: 'worker', module: fixtureModule('cli-tools'), threads: 1 },
      },
    }),
  );
});
afterAll(async () => {
  await removeDir();
});

/** The kinds of input line the 20,000-line batch mixes, by line index. */
function lineFor(i: number): string {
  switch (i % 500) {
    case 13:
      return '{"server":"math","tool":"add","arguments":{"a":1,'; // cut short: not JSON
    case 101:
      return '[1,2,3]'; // JSON, not an object
    case 202:
      return JSON.stringify({ server: 'math', arguments: { a: 1, b: 2 } }); // no tool
    case 303:
      return JSON.stringify({ server: 'math', tool: 'add', arguments: [1, 2] }); // arguments not an object
    case 404:
      return JSON.stringify({ server: 'math', tool: 'add', arguments: { a: 'one', b: 2 } }); // fails the schema
    case 450:
      return JSON.stringify({ server: 'math', tool: 'nope', arguments: {} });
    case 499:
      return JSON.stringify({ server: 'fixture', tool: 'fail', arguments: {} }); // a tool error
    default:
      return JSON.stringify({ server: 'math', tool: 'add', arguments: { a: i, b: 1 } });
  }
}

type Result = { ok: true; result: { content: unknown[]; structuredContent?: unknown; isError?: boolean } } | { ok: false; error: { code: string; message: string; data?: unknown } };

/** Checks every output slot against its input line. */
function checkSlots(output: string, count: number): void {
  const lines = output.trimEnd().split('\n');
  expect(lines).toHaveLength(count);
  lines.forEach((text, i) => {
    const result = JSON.parse(text) as Result;
    const lineNumber = i + 1;
    switch (i % 500) {
      case 13:
      case 101:
      case 202:
      case 303:
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS', data: { line: lineNumber } } });
        expect(!result.ok && result.error.message).toContain(`line ${lineNumber}`);
        break;
      case 404:
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS' } });
        break;
      case 450:
        expect(result).toMatchObject({ ok: false, error: { code: 'TOOL_NOT_FOUND' } });
        break;
      case 499:
        expect(result).toEqual({ ok: true, result: { content: [{ type: 'text', text: 'this tool always fails' }], isError: true } });
        break;
      default:
        expect(result).toEqual({ ok: true, result: { content: [{ type: 'text', text: `{"sum":${i + 1}}` }], structuredContent: { sum: i + 1 } } });
    }
  });
}

describe('mcpool batch', () => {
  const count = 20_000;
  const input = Array.from({ length: count }, (_, i) => lineFor(i)).join('\n') + '\n';

  it('answers 20,000 lines from stdin in order, malformed lines as failed results with their line number, and exits 1', async () => {
    const run = await mcpool(['batch', '-', '--config', config], { input });
    expect(run.code).toBe(1);
    checkSlots(run.stdout, count);
    expect(run.stderr).toContain('20,000 calls');
    expect(run.stderr).toMatch(/INVALID_ARGUMENTS 200\b/);
    expect(run.stderr).toMatch(/TOOL_NOT_FOUND 40\b/);
    expect(run.stderr).toMatch(/TOOL_ERROR 40\b/);
    expect(run.stderr).toMatch(/p50 [\d.]+ ms, p99 [\d.]+ ms/);
    // stderr is not a TTY here: no progress bar, so no carriage returns or escape codes
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr).not.toContain('\u001b[');
  });

  it('reads a file and writes --out with the same results, with a small --concurrency', async () => {
    const inPath = join(dir, 'calls.jsonl');
    const outPath = join(dir, 'results.jsonl');
    await writeFile(inPath, input);
    const run = await mcpool(['batch', inPath, '--out', outPath, '--concurrency', '7', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    checkSlots(await readFile(outPath, 'utf8'), count);
  });

  it('exits 0 when every call succeeds, skips blank lines and accepts CRLF line ends', async () => {
    const lines = ['{"server":"math","tool":"add","arguments":{"a":1,"b":1}}', '', '   ', '{"server":"math","tool":"add","arguments":{"a":2,"b":2}}', '{"server":"math","tool":"add","arguments":{"a":3,"b":3}}'];
    const run = await mcpool(['batch', '-'], { input: lines.join('\r\n') });
    expect(run.code).toBe(0);
    const results = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Result);
    expect(results.map((result) => result.ok && result.result.structuredContent)).toEqual([{ sum: 2 }, { sum: 4 }, { sum: 6 }]);
  });

  it('answers an empty input with no output and exit 0', async () => {
    const run = await mcpool(['batch', '-'], { input: '' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
  });

  it('rejects a --concurrency that is not a positive integer with exit 2', async () => {
    const run = await mcpool(['batch', '-', '--concurrency', '0'], { input: '' });
    expect(run.code).toBe(2);
  });

  it('answers each line while stdin stays open, so a producer can wait for a result before sending the next call', async () => {
    const child = spawn(process.execPath, [binPath, 'batch', '-', '--config', config], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      const results = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      for (let i = 0; i < 3; i++) {
        child.stdin.write(`${JSON.stringify({ server: 'math', tool: 'add', arguments: { a: i, b: 10 } })}\n`);
        const next = await results.next();
        expect(JSON.parse(next.value as string)).toMatchObject({ ok: true, result: { structuredContent: { sum: i + 10 } } });
      }
      child.stdin.end();
      const [code] = (await once(child, 'close')) as [number];
      expect(code).toBe(0);
    } finally {
      child.kill();
    }
  });
});
