import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../src/cli/args.js';
import { ProgressBar } from '../../../src/cli/progress.js';
import { colorEnabled, styleFor } from '../../../src/cli/style.js';
import { UsageError } from '../../../src/cli/usage-error.js';

/** A stream that keeps what is written to it. */
function recordingStream(isTTY: boolean): { isTTY: boolean; columns: number; text: string; write(chunk: string): boolean } {
  return {
    isTTY,
    columns: 120,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('CLI building blocks', () => {
  it('colour is used only on a TTY and never when NO_COLOR is set to a non-empty value', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
  });

  it('the progress bar draws rate and ETA on a TTY and writes nothing otherwise', () => {
    const tty = recordingStream(true);
    const bar = new ProgressBar({ label: 'batch', unit: 'calls', stream: tty, total: 100 });
    bar.update(50);
    bar.finish();
    expect(tty.text).toMatch(/batch/);
    expect(tty.text).toMatch(/50\/100/);
    expect(tty.text).toMatch(/calls\/s/);
    const pipe = recordingStream(false);
    const quiet = new ProgressBar({ stream: pipe, total: 100 });
    quiet.update(50);
    quiet.finish();
    expect(pipe.text).toBe('');
  });

  it('variadic options take several values, repeated flags and comma lists', () => {
    const options = { scenario: { type: 'string' as const, variadic: true, short: 's', description: '' }, json: { type: 'boolean' as const, description: '' } };
    expect(parseCommandArgs(['--scenario', 'a', 'b', '--json'], options, { min: 0, max: 0 }).values).toMatchObject({ scenario: ['a', 'b'], json: true });
    expect(parseCommandArgs(['--scenario', 'a,b', '--scenario=c'], options, { min: 0, max: 0 }).values).toMatchObject({ scenario: ['a', 'b', 'c'] });
    expect(parseCommandArgs(['-s', 'a', 'b'], options, { min: 0, max: 0 }).values).toMatchObject({ scenario: ['a', 'b'] });
    expect(() => parseCommandArgs(['--nope'], options, { min: 0, max: 0 })).toThrow(UsageError);
    expect(() => parseCommandArgs(['--scenario'], options, { min: 0, max: 0 })).toThrow(UsageError);
  });
});
