/**
 * @module bench/harness/format
 * Number formats shared by the table and the chart, so both show the same figures.
 */

/** 12,345 (rounded, with thousands separators). */
export function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 1.2M, 340k, 950: a short rate for axes. */
export function formatShort(value: number): string {
  if (value >= 1e9) return `${+(value / 1e9).toPrecision(3)}G`;
  if (value >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toPrecision(3)}k`;
  return `${+value.toPrecision(3)}`;
}

/** A latency: µs below 1 ms, else ms with 3 significant digits. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1) return `${+(ms * 1000).toPrecision(3)} µs`;
  return `${+ms.toPrecision(3)} ms`;
}

/** 4.20× (or `-` when there is no ratio). */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return '-';
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}
