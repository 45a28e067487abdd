/** Test helpers: reading a raw SSE response (what a client without an SDK sees), event by event. */

/** One SSE event as the wire carries it. */
export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
  retry: number | undefined;
}

/** The events of an SSE response body, in order; ends when the server ends the stream. */
export async function* sseEvents(response: Response): AsyncGenerator<SseEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { id: undefined, event: undefined, data: '', retry: undefined };
        let fields = 0;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const name = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          fields++;
          if (name === 'id') event.id = text;
          else if (name === 'event') event.event = text;
          else if (name === 'data') event.data = event.data === '' ? text : `${event.data}\n${text}`;
          else if (name === 'retry') event.retry = Number(text);
        }
        if (fields > 0) yield event;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** The JSON-RPC message an event carries, or undefined for a priming event (empty data). */
export function messageOf(event: SseEvent): Record<string, unknown> | undefined {
  return event.data.trim() === '' ? undefined : (JSON.parse(event.data) as Record<string, unknown>);
}
