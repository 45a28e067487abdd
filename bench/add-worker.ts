/** The raw-piscina baseline's task: the same `add` as the example math server, one task per call. */
export default function add({ a, b }: { a: number; b: number }): { sum: number } {
  return { sum: a + b };
}
