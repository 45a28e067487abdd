/**
 * @module bench/harness/report-table
 * The benchmark results as table rows: system, scenario, concurrency, calls/s, p50, p99, RSS,
 * CPU time per 1,000 calls (the figure least disturbed by other load on the machine), and the
 * ratio against the scenario's baseline (named in the cell).
 */
import { formatMs, formatRate, formatRatio } from './format.js';
import type { BenchResult } from './runner.js';

/** Column titles. */
export const tableHeaders = ['SYSTEM', 'SCENARIO', 'CONCURRENCY', 'CALLS/S', 'P50', 'P99', 'RSS MB', 'CPU MS/1K', 'RATIO'] as const;

/** Alignment of each column. */
export const tableAlign = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] as const;

/** CPU ms per 1,000 calls, to 3 significant digits. */
function formatCpu(ms: number): string {
  return Number.isFinite(ms) ? `${+ms.toPrecision(3)}` : '-';
}

/** One row per result. */
export function tableRows(results: readonly BenchResult[]): string[][] {
  return results.map((result) => {
    const ratio = result.error !== undefined ? `failed: ${result.error}` : result.system === result.baseline ? '1.00× (baseline)' : `${formatRatio(result.ratio)} vs ${result.baseline}`;
    const measured = result.error === undefined;
    return [
      result.system,
      result.scenario,
      result.concurrency.toLocaleString('en-US'),
      measured ? formatRate(result.callsPerSec) : '-',
      measured ? formatMs(result.p50Ms) : '-',
      measured ? formatMs(result.p99Ms) : '-',
      measured ? result.rssMb.toFixed(0) : '-',
      measured ? formatCpu(result.cpuMsPerKCalls) : '-',
      ratio,
    ];
  });
}

/** The results as a Markdown table (for the README). */
export function markdownTable(results: readonly BenchResult[]): string {
  const rows = tableRows(results);
  const header = `| ${tableHeaders.map((h) => h.toLowerCase()).join(' | ')} |`;
  const rule = `|${tableAlign.map((a) => (a === 'right' ? '---:' : '---')).join('|')}|`;
  return [header, rule, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n') + '\n';
}
