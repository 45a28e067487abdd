import { describe, expect, it } from 'vitest';
import { createLogger, type CliLogLevel } from '../../../src/cli/logger.js';

/** A logger at `level` whose lines are kept. */
function recording(level: CliLogLevel, format: 'text' | 'json' = 'text'): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level, format, name: 'mcpool serve', write: (line) => lines.push(line) }) };
}

describe('createLogger', () => {
  it('writes text lines with key=value fields, quoting values that need it and leaving out undefined ones', () => {
    const { lines, logger } = recording('info');
    logger.info('request', { method: 'POST', path: '/mcp', status: 200, durationMs: 0.25, ok: true, remote: undefined, note: 'two words', empty: '', eq: 'a=b' });
    logger.warn('slow', { ms: 12 });
    expect(lines).toEqual([
      'mcpool serve: request method=POST path=/mcp status=200 durationMs=0.25 ok=true note="two words" empty="" eq="a=b"\n',
      'mcpool serve: warn: slow ms=12\n',
    ]);
  });

  it('writes one JSON object per line in json format, fields after time, level and msg', () => {
    const { lines, logger } = recording('debug', 'json');
    logger.debug('frame', { server: 'math', size: 3, gone: undefined });
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(['time', 'level', 'msg', 'server', 'size']);
    expect(record).toMatchObject({ level: 'debug', msg: 'frame', server: 'math', size: 3 });
    expect(Number.isNaN(Date.parse(record.time as string))).toBe(false);
  });

  it('writes only lines at or above its level', () => {
    const { lines, logger } = recording('warn');
    logger.info('hidden');
    logger.debug('hidden');
    logger.error('shown');
    expect(logger.enabled('info')).toBe(false);
    expect(logger.enabled('error')).toBe(true);
    expect(lines).toEqual(['mcpool serve: error: shown\n']);
  });
});
