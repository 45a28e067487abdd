/**
 * @module bench/harness/chart
 * `mcpool bench --chart f.svg`: the results as a self-contained SVG. One block per scenario and
 * concurrency; in each, one bar per system for calls/s and a p50→p99 line for latency, both on
 * log scales (the systems differ by orders of magnitude), with the ratio against the baseline
 * printed at the bar. No dependency: the SVG is written as text.
 */
import { formatMs, formatRatio, formatShort } from './format.js';
import type { BenchResult } from './runner.js';

/** Colours of the known systems; others take the fallback palette in order. */
const systemColors: Record<string, string> = {
  direct: '#9aa0a6',
  piscina: '#f29d38',
  mcpool: '#1a73e8',
  'mcp-sdk-inmemory': '#34a853',
  'mcp-sdk-stdio': '#9c5fd6',
  'mcp-sdk-http': '#e8710a',
  'mcpool-gateway-http': '#12b5cb',
  'mcpool-gateway-stdio': '#5f6368',
};
const fallbackColors = ['#d93025', '#185abc', '#188038', '#b06000', '#a142f4', '#007b83'];

/** Text safe inside SVG. */
function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A log10 scale from whole decades around the values onto [x0, x0 + width]. */
function logScale(values: number[], x0: number, width: number, labelWidth: number): { x: (v: number) => number; ticks: number[]; labelled: (tick: number) => boolean } {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.floor(Math.log10(positive.length > 0 ? Math.min(...positive) : 1));
  let hi = Math.ceil(Math.log10(positive.length > 0 ? Math.max(...positive) : 10));
  if (hi <= lo) hi = lo + 1;
  const ticks: number[] = [];
  for (let d = lo; d <= hi; d++) ticks.push(10 ** d);
  // Label every decade while the labels fit, else every second or third one.
  const step = Math.max(1, Math.ceil(labelWidth / (width / (hi - lo))));
  return {
    x: (v) => x0 + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * width,
    ticks,
    labelled: (tick) => (Math.round(Math.log10(tick)) - lo) % step === 0,
  };
}

/** Options of {@link renderChart}. */
export interface ChartOptions {
  /** Shown under the title (machine, settings). */
  subtitle?: string;
  /** Scenario descriptions by name, shown in each block's header. */
  descriptions?: Record<string, string>;
  /** Scenarios whose concurrency is a batch size. */
  batchScenarios?: readonly string[];
}

/** Renders results (in table order) as an SVG document. */
export function renderChart(results: readonly BenchResult[], options: ChartOptions = {}): string {
  const ok = results.filter((result) => result.error === undefined);
  const systems = [...new Set(results.map((result) => result.system))];
  const color = (system: string): string => systemColors[system] ?? fallbackColors[systems.indexOf(system) % fallbackColors.length]!;
  const groups: { scenario: string; concurrency: number; baseline: string; rows: BenchResult[] }[] = [];
  for (const result of results) {
    let group = groups.find((g) => g.scenario === result.scenario && g.concurrency === result.concurrency);
    if (group === undefined) {
      group = { scenario: result.scenario, concurrency: result.concurrency, baseline: result.baseline, rows: [] };
      groups.push(group);
    }
    group.rows.push(result);
  }

  const width = 1000;
  const labelRight = 168;
  const rateX = 180;
  const rateWidth = 360; // bar area; the value label follows the bar
  const latX = 650;
  const latWidth = 225;
  const latTextX = latX + latWidth + 10;
  const rowH = 18;
  const headH = 22;
  const gap = 10;
  const top = 128;
  const height = top + groups.reduce((sum, g) => sum + headH + g.rows.length * rowH + gap, 0) + 30;
  const rate = logScale(ok.map((r) => r.callsPerSec), rateX, rateWidth, 36);
  const lat = logScale(ok.flatMap((r) => [r.p50Ms, r.p99Ms]), latX, latWidth, 44);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="20" y="30" font-size="18" font-weight="600" fill="#202124">mcpool bench: throughput and latency beside the alternatives</text>`);
  if (options.subtitle !== undefined) out.push(`<text x="20" y="50" font-size="12" fill="#5f6368">${escapeXml(options.subtitle)}</text>`);
  // Legend
  let lx = 20;
  for (const system of systems) {
    out.push(`<rect x="${lx}" y="64" width="12" height="12" rx="2" fill="${color(system)}"/>`);
    out.push(`<text x="${lx + 17}" y="74" font-size="12" fill="#202124">${escapeXml(system)}</text>`);
    lx += 30 + system.length * 7;
  }
  out.push(`<text x="${rateX}" y="100" font-size="12" font-weight="600" fill="#202124">calls/s (log scale; longer is better) and ratio vs baseline</text>`);
  out.push(`<text x="${latX}" y="100" font-size="12" font-weight="600" fill="#202124">latency p50 ● to p99 ○ (log; left is better)</text>`);
  // Decade grid lines over the whole plot area, labelled at the top
  const gridBottom = height - 30;
  for (const tick of rate.ticks) {
    const x = rate.x(tick).toFixed(1);
    out.push(`<line x1="${x}" y1="${top - 8}" x2="${x}" y2="${gridBottom}" stroke="#e8eaed"/>`);
    if (rate.labelled(tick)) out.push(`<text x="${x}" y="${top - 12}" font-size="10" fill="#80868b" text-anchor="middle">${formatShort(tick)}</text>`);
  }
  for (const tick of lat.ticks) {
    const x = lat.x(tick).toFixed(1);
    out.push(`<line x1="${x}" y1="${top - 8}" x2="${x}" y2="${gridBottom}" stroke="#e8eaed"/>`);
    if (lat.labelled(tick)) out.push(`<text x="${x}" y="${top - 12}" font-size="10" fill="#80868b" text-anchor="middle">${escapeXml(formatMs(tick))}</text>`);
  }

  let y = top;
  for (const group of groups) {
    const description = options.descriptions?.[group.scenario];
    const inFlight = options.batchScenarios?.includes(group.scenario) === true ? `batches of ${group.concurrency.toLocaleString('en-US')}` : `${group.concurrency} in flight`;
    out.push(`<rect x="10" y="${y}" width="${width - 20}" height="${headH - 4}" rx="3" fill="#f1f3f4"/>`);
    out.push(
      `<text x="18" y="${y + 13}" font-size="12" fill="#202124"><tspan font-weight="600">${escapeXml(group.scenario)}</tspan> · ${escapeXml(inFlight)} · ratio vs ${escapeXml(group.baseline)}${description === undefined ? '' : ` · <tspan fill="#5f6368">${escapeXml(description)}</tspan>`}</text>`,
    );
    y += headH;
    for (const row of group.rows) {
      const cy = y + rowH / 2;
      const weight = row.system === 'mcpool' ? ' font-weight="600"' : '';
      out.push(`<text x="${labelRight}" y="${cy + 4}" font-size="11"${weight} fill="#3c4043" text-anchor="end">${escapeXml(row.system)}</text>`);
      if (row.error !== undefined) {
        out.push(`<text x="${rateX + 4}" y="${cy + 4}" font-size="11" fill="#d93025">failed: ${escapeXml(row.error.slice(0, 80))}</text>`);
      } else {
        const end = rate.x(row.callsPerSec);
        out.push(`<rect x="${rateX}" y="${y + 3}" width="${Math.max(1, end - rateX).toFixed(1)}" height="${rowH - 6}" rx="2" fill="${color(row.system)}"/>`);
        const ratio = row.system === row.baseline ? 'baseline' : formatRatio(row.ratio);
        out.push(`<text x="${(end + 5).toFixed(1)}" y="${cy + 4}" font-size="11" fill="#202124">${formatShort(row.callsPerSec)}/s <tspan fill="#5f6368">${escapeXml(ratio)}</tspan></text>`);
        const x50 = lat.x(row.p50Ms);
        const x99 = lat.x(row.p99Ms);
        out.push(`<line x1="${x50.toFixed(1)}" y1="${cy}" x2="${x99.toFixed(1)}" y2="${cy}" stroke="${color(row.system)}" stroke-width="3" stroke-linecap="round"/>`);
        out.push(`<circle cx="${x50.toFixed(1)}" cy="${cy}" r="4" fill="${color(row.system)}"/>`);
        out.push(`<circle cx="${x99.toFixed(1)}" cy="${cy}" r="4" fill="#ffffff" stroke="${color(row.system)}" stroke-width="2"/>`);
        out.push(`<text x="${latTextX}" y="${cy + 4}" font-size="10" fill="#5f6368">${escapeXml(`${formatMs(row.p50Ms)} / ${formatMs(row.p99Ms)}`)}</text>`);
      }
      y += rowH;
    }
    y += gap;
  }
  out.push(`<text x="20" y="${height - 10}" font-size="10" fill="#80868b">Each system in its own process; median of repeats after a warm-up; closed-loop load; batch latency is per batch. Reproduce: mcpool bench --chart bench.svg</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
