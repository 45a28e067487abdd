/**
 * @module cli/progress
 * A one-line progress bar on stderr with rate and ETA. It draws only when stderr is a TTY
 * (a log file or a pipe gets no control characters) and redraws at most ten times a second,
 * so a hot loop may call `update` as often as it likes.
 */
import { performance } from 'node:perf_hooks';
import { styleFor, type MaybeTty, type Style } from './style.js';

/** Where a progress bar draws. */
export interface ProgressStream extends MaybeTty {
  write(text: string): boolean;
  columns?: number;
}

/** Options of a {@link ProgressBar}. */
export interface ProgressOptions {
  /** Work units in all; 0 or undefined when unknown (no percentage, no ETA). */
  total?: number;
  /** Shown before the bar. */
  label?: string;
  /** Unit of the rate, e.g. `calls`. @default 'items' */
  unit?: string;
  /** @default process.stderr */
  stream?: ProgressStream;
  /** Show the rate (units/s); off where units are uneven steps. @default true */
  showRate?: boolean;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

/** Formats a count with thousands separators. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const ANSI = /\u001b\[[0-9;]*m/g;
const stripAnsi = (text: string): string => text.replace(ANSI, '');
const visibleLength = (text: string): number => stripAnsi(text).length;

/** A progress bar; a no-op when its stream is not a TTY. */
export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #enabled: boolean;
  readonly #style: Style;
  readonly #unit: string;
  readonly #showRate: boolean;
  readonly #startedAt = performance.now();
  #total: number;
  #label: string;
  #done = 0;
  #note = '';
  #fraction: number | undefined;
  #lastDraw = -Infinity;
  #drawn = false;

  constructor(options: ProgressOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#enabled = this.#stream.isTTY === true;
    this.#style = styleFor(this.#stream);
    this.#total = options.total ?? 0;
    this.#label = options.label ?? '';
    this.#unit = options.unit ?? 'items';
    this.#showRate = options.showRate ?? true;
  }

  /**
   * Records progress; `note` is shown after the numbers (e.g. failures so far). `fraction`
   * (0..1) gives the share done when the total count is unknown (bytes read of an input file).
   */
  update(done: number, note?: string, fraction?: number): void {
    this.#done = done;
    if (note !== undefined) this.#note = note;
    if (fraction !== undefined) this.#fraction = fraction;
    if (!this.#enabled) return;
    const now = performance.now();
    if (now - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = now;
    this.#draw(now);
  }

  /** Changes the label (and the total, when it becomes known). */
  relabel(label: string, total?: number): void {
    this.#label = label;
    if (total !== undefined) this.#total = total;
    this.#lastDraw = -Infinity;
    this.update(this.#done);
  }

  /** Clears the bar's line, so what follows on stderr starts clean. */
  finish(): void {
    if (this.#enabled && this.#drawn) this.#stream.write('\r\u001b[2K');
    this.#drawn = false;
  }

  #draw(now: number): void {
    const elapsed = (now - this.#startedAt) / 1000;
    const rate = elapsed > 0 ? this.#done / elapsed : 0;
    const parts: string[] = [];
    if (this.#label) parts.push(this.#style.bold(this.#label));
    const fraction = this.#total > 0 ? Math.min(1, this.#done / this.#total) : this.#fraction;
    if (fraction !== undefined) {
      const filled = Math.round(fraction * BAR_WIDTH);
      parts.push(`${this.#style.cyan('█'.repeat(filled))}${this.#style.dim('░'.repeat(BAR_WIDTH - filled))} ${String(Math.floor(fraction * 100)).padStart(3)}%`);
    }
    parts.push(this.#total > 0 ? `${formatCount(this.#done)}/${formatCount(this.#total)}` : `${formatCount(this.#done)} ${this.#unit}`);
    if (this.#showRate) parts.push(`${formatCount(rate)} ${this.#unit}/s`);
    if (fraction !== undefined && fraction > 0 && fraction < 1) parts.push(`ETA ${formatDuration((elapsed * (1 - fraction)) / fraction)}`);
    if (this.#note) parts.push(this.#note);
    let text = parts.join('  ');
    const columns = this.#stream.columns;
    // Never wrap: a wrapped line cannot be redrawn in place with a carriage return.
    if (columns !== undefined && columns > 10 && visibleLength(text) > columns - 1) text = stripAnsi(text).slice(0, columns - 1);
    this.#stream.write(`\r\u001b[2K${text}`);
    this.#drawn = true;
  }
}
