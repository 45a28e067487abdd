/**
 * @module gateway/eras/request-state
 * The `requestState` of an MRTR round (SEP-2322): which parked call and round it continues,
 * bound to the principal that started it, the tool call's name and arguments (a digest) and an
 * expiry, and sealed with an HMAC-SHA256 over a key made at random for this process. The client
 * echoes it byte for byte; anything it changes fails the check (`-32602`), as does a state of
 * another principal, another call or past its expiry.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a sealed state says. */
export interface RoundState {
  /** The parked call. */
  call: string;
  /** Its round (a state of an earlier round is stale). */
  round: number;
}

interface Sealed {
  c: string;
  r: number;
  /** Digest of the principal. */
  p: string;
  /** Digest of the method and params it continues. */
  d: string;
  /** Expiry, ms since the epoch. */
  e: number;
}

/** A digest of the parts of a request a state is bound to. */
export function digestOf(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** Seals and opens round states with one process-wide random key. */
export class RequestStateCodec {
  readonly #key: Buffer;
  readonly #ttlMs: number;

  constructor(ttlMs = 600_000, key: Buffer = randomBytes(32)) {
    this.#key = key;
    this.#ttlMs = ttlMs;
  }

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.#key).update(payload).digest();
  }

  /** The state for a round, bound to `principal` and `digest`. */
  seal(state: RoundState, principal: string, digest: string): string {
    const sealed: Sealed = { c: state.call, r: state.round, p: digestOf(principal), d: digest, e: Date.now() + this.#ttlMs };
    const payload = Buffer.from(JSON.stringify(sealed)).toString('base64url');
    return `${payload}.${this.#mac(payload).toString('base64url')}`;
  }

  /** The round a state continues, or why it is refused. */
  open(text: unknown, principal: string, digest: string): RoundState | string {
    if (typeof text !== 'string') return 'requestState must be the string the server sent';
    const dot = text.indexOf('.');
    if (dot < 0) return 'requestState failed its integrity check';
    const payload = text.slice(0, dot);
    const given = Buffer.from(text.slice(dot + 1), 'base64url');
    const expected = this.#mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'requestState failed its integrity check (it was changed)';
    let sealed: Sealed;
    try {
      sealed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Sealed;
    } catch {
      return 'requestState failed its integrity check';
    }
    if (sealed.e < Date.now()) return 'requestState has expired: call the tool again';
    if (sealed.p !== digestOf(principal)) return 'requestState belongs to another client';
    if (sealed.d !== digest) return 'requestState belongs to another request (its name or arguments differ)';
    return { call: sealed.c, round: sealed.r };
  }
}
