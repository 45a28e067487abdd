/**
 * @module bench/harness/process-tree
 * CPU time and peak memory of another process and its descendants, read from /proc (Linux), for
 * the gateway benchmarks (a gateway's or a proxy's children count toward it).
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU time (user + system) of a process in ms, or NaN when /proc is not readable. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a process in MB (peak when `peak`), or NaN. */
export function rssMb(pid: number, peak = true): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${peak ? 'VmHWM' : 'VmRSS'}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The pids of a process and its descendants (a gateway's or proxy's children count too). */
export function processTree(pid: number): number[] {
  const all = [pid];
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    for (const child of children) all.push(...processTree(child));
  } catch {
    // No /proc: the process alone.
  }
  return all;
}
