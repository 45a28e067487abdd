/**
 * @module gateway/initialize
 * What the gateway says about itself: its name and version, the capabilities it announces in
 * either era, and the session era's `initialize` answer (the protocol version is the client's
 * when the gateway speaks it, else the newest, and the client then decides).
 */
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from './versions.js';
import type { ClientSession } from './client-session.js';

/** What the gateway says about itself. */
export interface GatewayInfo {
  name: string;
  version: string;
  instructions?: string;
}

/** Protocol versions this gateway speaks: the 2025-era ones the SDK supports, newest first. */
const VERSIONS = new Set(SUPPORTED_PROTOCOL_VERSIONS);

/** What the gateway serves, in either era (the modern era adds the tasks extension). */
export const CAPABILITIES = {
  tools: { listChanged: true },
  resources: { listChanged: true },
  prompts: { listChanged: true },
  logging: {},
  completions: {},
};

/** The capabilities announced; `subscribe` only when some external server takes resource subscriptions. */
export function capabilitiesOf(canSubscribe: boolean): Record<string, unknown> {
  return canSubscribe ? { ...CAPABILITIES, resources: { ...CAPABILITIES.resources, subscribe: true } } : CAPABILITIES;
}

/** Answers `initialize` for `session`, which keeps the negotiated version and the client's capabilities. */
export function initializeSession(params: Record<string, unknown>, session: ClientSession, info: GatewayInfo, capabilities: Record<string, unknown>): unknown {
  const requested = params.protocolVersion;
  // The client's version when this gateway speaks it, else the newest (the client then decides).
  const version = typeof requested === 'string' && VERSIONS.has(requested) ? requested : LATEST_PROTOCOL_VERSION;
  session.protocolVersion = version;
  const clientCapabilities = params.capabilities;
  if (typeof clientCapabilities === 'object' && clientCapabilities !== null) session.requests.capabilities = clientCapabilities as Record<string, unknown>;
  const { name, version: serverVersion, instructions } = info;
  return {
    protocolVersion: version,
    capabilities,
    serverInfo: { name, version: serverVersion },
    ...(instructions === undefined ? {} : { instructions }),
  };
}
