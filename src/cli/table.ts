/**
 * @module cli/table
 * Plain text tables for terminal output: columns padded to their widest cell, numbers
 * right-aligned, and a header line.
 */

/** Alignment of one column. */
export type Align = 'left' | 'right';

/** Renders rows as an aligned text table (no trailing spaces). */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = [], header: (text: string) => string = (t) => t): string {
  const widths = headers.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [header(line(headers)), ...rows.map(line)].join('\n') + '\n';
}
