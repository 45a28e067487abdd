/**
 * @module engine/call-span
 * The OpenTelemetry span of one engine call (only made while a tracer is active): it runs from
 * admission to the call's answer and names the server, its kind and the tool.
 */
import type { Span, Tracer } from '@opentelemetry/api';
import type { EngineCall } from './server-entry.js';
import { SpanKind, startSpan } from './tracing.js';

/** A call's span: from admission to its answer, under the caller's `traceparent`. */
export function callSpan(tracer: Tracer, call: EngineCall, traceparent: string | undefined): Span {
  const entry = call.target;
  return startSpan(tracer, `mcpool.call ${entry.name}/${call.tool}`, SpanKind.INTERNAL, traceparent, {
    'mcpool.server': entry.name,
    'mcpool.server.type': entry.actor.type,
    'gen_ai.tool.name': call.tool,
  });
}
