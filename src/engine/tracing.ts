/**
 * @module engine/tracing
 * OpenTelemetry spans for tool calls, through `@opentelemetry/api` only: without an SDK that
 * the user registers, the API is a no-op, and so is this module (one cached check, no span
 * objects). With one, each call is a span: the gateway's `tools/call` (continuing a W3C
 * `traceparent` from the request's `_meta`), inside it the manager's call (queueing plus the
 * thread's or external server's work), whose context travels on to external servers in the
 * request's `_meta.traceparent`.
 *
 * Contexts are passed explicitly (as `traceparent` strings), not through the active context,
 * so no context manager is needed and nothing is paid on the hot path when tracing is off.
 */
import {
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';

const TRACER_NAME = 'mcpool';
/** The provider the API hands out while no SDK is registered. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
/** Calls between two looks at whether an SDK was registered (it is usually done once, at start). */
const RECHECK_EVERY = 1024;

let countdown = 0;
let tracer: Tracer | undefined;

/** The tracer when an SDK is registered, else undefined (checked once every {@link RECHECK_EVERY} calls). */
export function activeTracer(): Tracer | undefined {
  if (countdown-- > 0) return tracer;
  countdown = RECHECK_EVERY;
  const provider = trace.getTracerProvider();
  const registered = !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_PROVIDER;
  tracer = registered ? trace.getTracer(TRACER_NAME) : undefined;
  return tracer;
}

const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

/** The remote parent a W3C `traceparent` names, as a context, or the root context (a new trace). */
export function contextOf(traceparent: unknown): Context {
  if (typeof traceparent !== 'string') return ROOT_CONTEXT;
  const match = TRACEPARENT.exec(traceparent.trim().toLowerCase());
  if (match === null || match[1] === 'ff' || /^0+$/.test(match[2]!) || /^0+$/.test(match[3]!)) return ROOT_CONTEXT;
  const parent: SpanContext = { traceId: match[2]!, spanId: match[3]!, traceFlags: Number.parseInt(match[4]!, 16) & 1, isRemote: true };
  return trace.setSpanContext(ROOT_CONTEXT, parent);
}

/** The W3C `traceparent` of a span, to pass its context on. */
export function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** Starts a span under the context a `traceparent` names (or a new trace). */
export function startSpan(tracerNow: Tracer, name: string, kind: SpanKind, parent: unknown, attributes: Attributes): Span {
  return tracerNow.startSpan(name, { kind, attributes }, contextOf(parent));
}

/** Ends a call's span with its outcome: an engine error's code, or a tool error. */
export function endSpan(span: Span, error: { code: string; message: string } | undefined, toolError: boolean): void {
  if (error !== undefined) {
    span.setAttribute('mcpool.error.code', error.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else if (toolError) {
    span.setAttribute('mcpool.tool_error', true);
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the tool reported an error (isError)' });
  }
  span.end();
}

/** `run`, with `span` ended by its outcome (nothing added when there is no span). */
export function traced<T extends { isError?: unknown }>(run: Promise<T>, span: Span | undefined): Promise<T> {
  if (span === undefined) return run;
  return run.then(
    (result) => {
      endSpan(span, undefined, result.isError === true);
      return result;
    },
    (error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      endSpan(span, { code: typeof code === 'string' ? code : 'ERROR', message: error instanceof Error ? error.message : String(error) }, false);
      throw error;
    },
  );
}

export { SpanKind };
