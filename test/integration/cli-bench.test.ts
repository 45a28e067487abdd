import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpool, tempDir } from '../support/cli-helpers.js';

let dir: string;
let removeDir: () => Promise<void>;

beforeAll(async () => {
  ({ dir, remove: removeDir } = await tempDir());
});
afterAll(async () => {
  await removeDir();
});

interface Item {
  system: string;
  scenario: string;
  concurrency: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ratio: number | null;
  rssMb: number;
  cpuMsPerKCalls: number;
  baseline: string;
  error?: string;
}

const short = ['--duration', '0.05', '--warmup', '0.02', '--repeats', '1'];

describe('mcpool bench', () => {
  it('--json measures every system on the trivial and payload scenarios, with ratios against the named baseline, and writes --chart', async () => {
    const chart = join(dir, 'bench.svg');
    const run = await mcpool(['bench', '--scenario', 'trivial', 'payload', '--concurrency', '1', '4', ...short, '--json', '--chart', chart]);
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { results: Item[]; baselines: Record<string, string> };
    expect(report.baselines).toEqual({ trivial: 'piscina', payload: 'piscina' });
    const systems = ['direct', 'piscina', 'mcpool', 'mcp-sdk-inmemory', 'mcp-sdk-stdio'];
    for (const scenario of ['trivial', 'payload']) {
      for (const concurrency of [1, 4]) {
        const cell = report.results.filter((item) => item.scenario === scenario && item.concurrency === concurrency);
        expect(cell.map((item) => item.system).sort()).toEqual([...systems].sort());
        const baseline = cell.find((item) => item.system === 'piscina')!;
        expect(baseline.ratio).toBe(1);
        for (const item of cell) {
          expect(item.error).toBeUndefined();
          expect(item.callsPerSec).toBeGreaterThan(0);
          expect(item.p99Ms).toBeGreaterThanOrEqual(item.p50Ms);
          expect(item.rssMb).toBeGreaterThan(0);
          expect(item.cpuMsPerKCalls).toBeGreaterThanOrEqual(0);
          expect(item.ratio).toBeCloseTo(item.callsPerSec / baseline.callsPerSec, 6);
        }
      }
    }
    const svg = await readFile(chart, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const system of systems) expect(svg).toContain(`>${system}</text>`);
  });

  it('runs the cpu and batch scenarios for the chosen systems plus each baseline, in process, and prints a table', async () => {
    const run = await mcpool(['bench', '--scenario', 'cpu,batch', '--system', 'mcpool', '--concurrency', '2', '--in-process', ...short]);
    expect(run.code).toBe(0);
    const rows = run.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^SYSTEM\s+SCENARIO\s+CONCURRENCY\s+CALLS\/S\s+P50\s+P99\s+RSS MB\s+CPU MS\/1K\s+RATIO$/);
    const cells = rows.slice(1).map((row) => row.split(/\s{2,}/).slice(0, 3));
    expect(cells).toEqual([
      ['direct', 'cpu', '2'],
      ['mcpool', 'cpu', '2'],
      ['piscina', 'batch', '10,000'],
      ['mcpool', 'batch', '10,000'],
    ]);
    expect(rows[1]).toContain('1.00× (baseline)');
    expect(rows[2]).toMatch(/[\d.]+× vs direct/);
    expect(rows[4]).toMatch(/[\d.]+× vs piscina/);
  });

  it('--markdown prints the table as Markdown rows', async () => {
    const run = await mcpool(['bench', '--scenario', 'trivial', '--system', 'direct', '--concurrency', '1', ...short, '--markdown']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('| system | scenario | concurrency | calls/s | p50 | p99 | rss mb | cpu ms/1k | ratio |');
    expect(lines.slice(2).map((line) => line.split(' | ')[0])).toEqual(['| direct', '| piscina']);
  });
  it('--json measures the gateway scenarios: mcpool serve over HTTP and stdio beside the SDK servers, each by one load generator', { timeout: 120_000 }, async () => {
    const run = await mcpool(['bench', '--scenario', 'gateway-http', 'gateway-stdio', '--concurrency', '4', ...short, '--json']);
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { results: Item[]; baselines: Record<string, string> };
    expect(report.baselines).toEqual({ 'gateway-http': 'mcp-sdk-http', 'gateway-stdio': 'mcp-sdk-stdio' });
    const systems = (scenario: string): string[] => report.results.filter((item) => item.scenario === scenario).map((item) => item.system).sort();
    expect(systems('gateway-http')).toEqual(['mcp-sdk-http', 'mcpool-gateway-http']);
    expect(systems('gateway-stdio')).toEqual(['mcp-sdk-stdio', 'mcpool-gateway-stdio']);
    for (const item of report.results) {
      expect(item.error).toBeUndefined();
      expect(item.callsPerSec).toBeGreaterThan(0);
      expect(item.rssMb).toBeGreaterThan(0);
      expect(item.ratio).toBeGreaterThan(0);
      if (item.system === item.baseline) expect(item.ratio).toBe(1);
    }
  });
});
