/**
 * @module cli/advice
 * Engine error messages advise library calls (`listTools("math")`, `raise timeoutMs`); on the
 * command line the same advice reads as the command or flag that does it.
 */

const REWRITES: [RegExp, string][] = [
  [/\(listTools\("([^"]*)"\) shows its tools\)/g, '(mcpool tools shows its tools)'],
  [/raise timeoutMs if it needs longer/g, 'pass a longer --timeout <ms> if it needs longer'],
  [/\(listServers\(\) shows what is deployed\)/g, '(mcpool tools shows the servers of the config)'],
  [/deploy it first \(/g, 'add it to the config file ('],
];

/** `message` with its library advice turned into CLI advice. */
export function cliAdvice(message: string): string {
  let text = message;
  for (const [pattern, replacement] of REWRITES) text = text.replace(pattern, replacement);
  return text;
}
