/**
 * @module gateway/gateway
 * Serves a manager as one MCP server over stdio or Streamable HTTP: checks that no two
 * servers expose the same tool, prompt or resource name, then starts the transport. This is the library entry
 * point; `mcpool serve` (src/cli/serve.ts) wraps it with config loading and signals.
 */
import { packageVersion } from '../api/version.js';
import type { Readable, Writable } from 'node:stream';
import type { Registry } from 'prom-client';
import type { LogRecord } from '../api/server-types.js';
import type { Manager } from '../engine/manager.js';
import type { ServerNotification } from '../wire/mcp-types.js';
import { Dispatcher, type GatewayInfo } from './dispatcher.js';
import { serveHttp } from './transports/http/http.js';
import type { HttpGatewayOptions } from './transports/http/http-options.js';
import { Namer } from './names.js';
import { ModernEra, type TaskOptions } from './eras/modern.js';
import type { ClientSession } from './client-session.js';
import { serveStdio } from './transports/stdio/stdio.js';

/** Options of `startGateway`. */
export interface GatewayOptions {
  /** Per-server name prefixes (`""`: the server's own names); others get `<server><separator>`. */
  prefixes?: Record<string, string>;
  /** Between server and tool name. @default '__' */
  separator?: string;
  /** Name and version announced to clients. @default { name: 'mcpool', version: <the package version> } */
  info?: GatewayInfo;
  /** Serve over stdio: `true` for the process's stdin/stdout, or the streams to use ... */
  stdio?: boolean | { input?: Readable; output?: Writable };
  /** List `search_tools` and `call_tool` instead of every tool (for clients that cap their tool count). @default false */
  toolSearch?: boolean;
  /**
   * The tasks extension (2026-07-28 clients that declare `io.modelcontextprotocol/tasks`): how
   * long a task is kept from its creation (`ttlMs`, default an hour), the poll interval it
   * suggests (`pollIntervalMs`, 500), how many tasks are kept at once (`maxTasks`, 10 000; a
   * call past it is refused `OVERLOADED`), and how long a task-capable call runs before it
   * becomes a task (`promoteAfterMs`, 250).
   */
  tasks?: TaskOptions | undefined;
  /** ... or over Streamable HTTP with these options (`health` and `metrics` are filled in when absent). */
  http?: Omit<HttpGatewayOptions, 'health'> & { health?: HttpGatewayOptions['health'] };
}

/** A running gateway. */
export interface RunningGateway {
  /** The HTTP endpoint, when serving over HTTP. */
  readonly url: string | undefined;
  /** Resolves when the client ends the stdio stream (never, over HTTP). */
  readonly ended: Promise<void>;
  /** Stops taking requests; requests in flight finish. Does not shut the manager down. */
  close(): Promise<void>;
}

/** The `/health` answer: every server's health. */
export function healthReport(manager: Manager): unknown {
  const servers = manager.listServers().map(({ name }) => manager.getServerHealth(name));
  const status = servers.every((server) => server.state === 'healthy') ? 'ok' : 'degraded';
  return { status, servers };
}

/**
 * Renders `/metrics`. prom-client is loaded at the first scrape, not at start: it adds about
 * 7 MB to the process, which a gateway nobody scrapes should not carry.
 */
function prometheusOf(manager: Manager): () => Promise<{ contentType: string; text: string }> {
  let registry: Promise<Registry> | undefined;
  return async () => {
    registry ??= import('../metrics/prometheus.js').then(({ createPrometheusRegistry }) => createPrometheusRegistry(manager));
    const loaded = await registry;
    return { contentType: loaded.contentType, text: await loaded.metrics() };
  };
}

/** What the stdio and HTTP transports share: messages to their sessions, and closing. */
interface Transport {
  log(record: LogRecord): void;
  broadcast(message: object, wants: (session: ClientSession) => boolean): void;
  close(): Promise<void>;
}

/**
 * Sends the manager's log records and its external servers' notifications to the transport's
 * sessions and modern clients' listen streams (URIs are kept as the servers wrote them); returns the gateway's `close`, which stops
 * that and then closes the transport.
 */
function forwardEvents(manager: Manager, dispatcher: Dispatcher, modern: ModernEra, transport: Transport): () => Promise<void> {
  const onLog = (record: LogRecord): void => transport.log(record);
  const onNotification = (notification: ServerNotification): void => {
    transport.broadcast({ jsonrpc: '2.0', method: notification.method, params: notification.params }, (session) => Dispatcher.wants(notification, session));
    // Modern clients hear them on their subscriptions/listen streams.
    dispatcher.listeners.publish(notification.method, notification.params, notification.server);
  };
  manager.on('log', onLog);
  manager.on('serverNotification', onNotification);
  return async () => {
    manager.off('log', onLog);
    manager.off('serverNotification', onNotification);
    modern.close();
    await transport.close();
  };
}

/** Starts serving `manager`; rejects with `INVALID_CONFIG` when two servers expose one tool, prompt or resource name. */
export async function startGateway(manager: Manager, options: GatewayOptions): Promise<RunningGateway> {
  const dispatcher = new Dispatcher(manager, new Namer(options.prefixes, options.separator), options.info ?? { name: 'mcpool', version: packageVersion() }, { toolSearch: options.toolSearch });
  await dispatcher.checkNames();
  // The stateless era (2026-07-28) beside the session era, from the same dispatcher.
  const modern = new ModernEra(dispatcher, options.tasks);
  if (options.http !== undefined) {
    const metrics = prometheusOf(manager);
    const http = await serveHttp(dispatcher, modern, { health: () => healthReport(manager), metrics, ...options.http });
    return { url: http.url, ended: new Promise<void>(() => undefined), close: forwardEvents(manager, dispatcher, modern, http) };
  }
  const streams = typeof options.stdio === 'object' ? options.stdio : {};
  const stdio = serveStdio(dispatcher, modern, streams.input ?? process.stdin, streams.output ?? process.stdout);
  return { url: undefined, ended: stdio.ended, close: forwardEvents(manager, dispatcher, modern, stdio) };
}
