import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/resilience/circuit-breaker.js';
import { RestartPolicy } from '../../../src/resilience/restart-policy.js';
import { TokenBucket } from '../../../src/resilience/token-bucket.js';

describe('the guards on a fake clock', () => {
  it('CircuitBreaker: half-open lets exactly one probe through', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 100 }, () => now);
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.admit()).toBe(false);
    now = 100;
    expect(breaker.admit()).toBe(true);
    expect(breaker.admit()).toBe(false);
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 250;
    expect(breaker.admit()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
  });

  it('TokenBucket: refills at its rate up to its burst', () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    expect(bucket.retryAfterMs).toBe(100);
    now = 100;
    expect(bucket.take()).toBe(true);
    now = 10_000;
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });

  it('RestartPolicy: backs off exponentially and gives up past the intensity limit', () => {
    let now = 0;
    const policy = new RestartPolicy({ maxRestarts: 3, withinMs: 1_000, backoffMs: { initial: 100, max: 250 } }, () => now, () => 0.5);
    expect(policy.recordFailure()).toEqual({ giveUp: false, delayMs: 100 });
    expect(policy.recordFailure()).toEqual({ giveUp: false, delayMs: 200 });
    expect(policy.recordFailure()).toEqual({ giveUp: false, delayMs: 250 });
    expect(policy.recordFailure().giveUp).toBe(true);
    now = 5_000;
    expect(policy.recordFailure()).toEqual({ giveUp: false, delayMs: 100 });
  });
});
