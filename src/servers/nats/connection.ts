/**
 * @module servers/nats/connection
 * Opens a NATS connection for either side of the hop, with the options a long-lived process
 * needs: reconnection without limit (the client's default gives up after about 20 s), no async
 * stack traces (they cost the requester about half its CPU per message, measured), and the
 * credentials and TLS of the config. `@nats-io/transport-node` is loaded on first use, so
 * nothing that does not use NATS pays for it.
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import { ErrorCode, McpoolError, messageOf } from '../../errors/mcpool-error.js';
import type { NatsConnectionConfig } from '../../config/nats-schema.js';

/** The connection settings both sides accept (a subset of the resolved config). */
export type NatsConnectSettings = Omit<NatsConnectionConfig, 'subjectPrefix'>;

/** Connects to the NATS server of `settings`; rejects with `SERVER_UNAVAILABLE` naming the URL. */
export async function connectNats(settings: NatsConnectSettings, name: string, what: string): Promise<NatsConnection> {
  const nats = await import('@nats-io/transport-node');
  const options: ConnectionOptions = {
    servers: settings.url.split(',').map((url) => url.trim()),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    noAsyncTraces: true,
    // Pings find a server that vanished without closing the socket.
    pingInterval: 10_000,
  };
  if (settings.user !== undefined) options.user = settings.user;
  if (settings.pass !== undefined) options.pass = settings.pass;
  if (settings.token !== undefined) options.token = settings.token;
  if (settings.tls !== undefined && settings.tls !== false) options.tls = settings.tls === true ? {} : Object.fromEntries(Object.entries(settings.tls).filter(([, value]) => value !== undefined));
  try {
    if (settings.credsFile !== undefined) options.authenticator = nats.credsAuthenticator(await readFile(settings.credsFile));
    return await nats.connect(options);
  } catch (error) {
    throw new McpoolError(ErrorCode.SERVER_UNAVAILABLE, `${what}: cannot connect to NATS at ${redact(settings.url)}: ${messageOf(error)}`, { cause: error });
  }
}

/** A URL without its password or token, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]+@/g, '//***@');
}
