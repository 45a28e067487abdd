/**
 * @module servers/nats/discovery
 * The caller's reading of the NATS service API: a `$SRV.STATS.<service>` request answered by
 * every node, and which of the answers serve a given server (an endpoint on its calls subject).
 */

/** A node that serves the server, from its stats answer. */
export interface DiscoveredNode {
  id: string;
  name: string;
}

/** Reads one `$SRV.STATS` answer; the node if it serves `callsSubject`, else undefined. */
export function readStatsAnswer(data: Uint8Array, callsSubject: string): DiscoveredNode | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { id, metadata, endpoints } = answer as { id?: unknown; metadata?: { node?: unknown } | null; endpoints?: unknown };
  if (typeof id !== 'string' || !Array.isArray(endpoints)) return undefined;
  const serves = endpoints.some((endpoint) => typeof endpoint === 'object' && endpoint !== null && (endpoint as { subject?: unknown }).subject === callsSubject);
  if (!serves) return undefined;
  return { id, name: typeof metadata?.node === 'string' ? metadata.node : id };
}
