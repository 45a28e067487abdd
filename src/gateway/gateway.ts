/**
 * @module gateway/gateway
 * Serves a manager as one MCP server over stdio or Streamable HTTP: checks that no two
 * servers expose the same tool, prompt or resource name, then starts the transport. This is the library entry
 * point; `mcpool serve` (src/cli/serve.ts) wraps it with config loading and signals.
 */
import type { Readable, Writable } from 'node:stream';
import type { Registry } from 'prom-client';
import type { LogRecord } from '../actors/actor.js';
import type { McpManager } from '../manager.js';
import type { ServerNotification } from '../types.js';
import { Dispatcher, type GatewayInfo } from './dispatcher.js';
import { serveHttp, type HttpGatewayOptions } from './http.js';
import { Namer } from './names.js';
import { serveStdio } from './stdio.js';

/** Options of `startGateway`. */
export interface GatewayOptions {
  /** Per-server name prefixes (`""`: the server's own names); others get `<server><separator>`. */
  prefixes?: Record<string, string>;
  /** Between server and tool name. @default '__' */
  separator?: string;
  /** Name and version announced to clients. @default { name: 'mcpool', version: '0.1.0' } */
  info?: GatewayInfo;
  /** Serve over stdio: `true` for the process's stdin/stdout, or the streams to use ... */
  stdio?: boolean | { input?: Readable; output?: Writable };
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
export function healthReport(manager: McpManager): unknown {
  const servers = manager.listServers().map(({ name }) => manager.getServerHealth(name));
  const status = servers.every((server) => server.state === 'healthy') ? 'ok' : 'degraded';
  return { status, servers };
}

/**
 * Renders `/metrics`. prom-client is loaded at the first scrape, not at start: it adds about
 * 7 MB to the process, which a gateway nobody scrapes should not carry.
 */
function prometheusOf(manager: McpManager): () => Promise<{ contentType: string; text: string }> {
  let registry: Promise<Registry> | undefined;
  return async () => {
    registry ??= import('../metrics/prometheus.js').then(({ createPrometheusRegistry }) => createPrometheusRegistry(manager));
    const loaded = await registry;
    return { contentType: loaded.contentType, text: await loaded.metrics() };
  };
}

/** An external server's notification as the gateway's clients get it (URIs are kept as the server wrote them). */
function clientNotification({ method, params }: ServerNotification): object {
  return { jsonrpc: '2.0', method, params };
}

/** Starts serving `manager`; rejects with `INVALID_CONFIG` when two servers expose one tool, prompt or resource name. */
export async function startGateway(manager: McpManager, options: GatewayOptions): Promise<RunningGateway> {
  const dispatcher = new Dispatcher(manager, new Namer(options.prefixes, options.separator), options.info ?? { name: 'mcpool', version: '0.1.0' });
  await dispatcher.checkNames();
  if (options.http !== undefined) {
    const metrics = prometheusOf(manager);
    const http = await serveHttp(dispatcher, { health: () => healthReport(manager), metrics, ...options.http });
    const onLog = (record: LogRecord): void => http.log(record);
    const onNotification = (notification: ServerNotification): void => http.broadcast(clientNotification(notification), (session) => Dispatcher.wants(notification, session));
    manager.on('log', onLog);
    manager.on('serverNotification', onNotification);
    const close = async (): Promise<void> => {
      manager.off('log', onLog);
      manager.off('serverNotification', onNotification);
      await http.close();
    };
    return { url: http.url, ended: new Promise<void>(() => undefined), close };
  }
  const streams = typeof options.stdio === 'object' ? options.stdio : {};
  const stdio = serveStdio(dispatcher, streams.input ?? process.stdin, streams.output ?? process.stdout);
  const onLog = (record: LogRecord): void => stdio.log(record);
  const onNotification = (notification: ServerNotification): void => stdio.broadcast(clientNotification(notification), (session) => Dispatcher.wants(notification, session));
  manager.on('log', onLog);
  manager.on('serverNotification', onNotification);
  const close = async (): Promise<void> => {
    manager.off('log', onLog);
    manager.off('serverNotification', onNotification);
    await stdio.close();
  };
  return { url: undefined, ended: stdio.ended, close };
}
