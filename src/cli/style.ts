/**
 * @module cli/style
 * Terminal styling. Colour only on a TTY and never when `NO_COLOR` is set to a non-empty value
 * (https://no-color.org), so piped output and logs stay plain text.
 */

/** A stream that may be a terminal. */
export interface MaybeTty {
  isTTY?: boolean;
}

/** True when colour may be written to `stream`. */
export function colorEnabled(stream: MaybeTty, env: NodeJS.ProcessEnv = process.env): boolean {
  const noColor = env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return stream.isTTY === true;
}

/** Styling functions; each is the identity when colour is off. */
export interface Style {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  green: (text: string) => string;
  yellow: (text: string) => string;
  cyan: (text: string) => string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const identity = (text: string): string => text;

/** The styling for a stream. */
export function styleFor(stream: MaybeTty, env: NodeJS.ProcessEnv = process.env): Style {
  if (!colorEnabled(stream, env)) return { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}
