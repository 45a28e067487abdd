/**
 * @module bench/harness/process-stats
 * Memory and CPU time of this process and of child processes (the stdio server), so a system
 * that does its work in another process is not reported as free. Children are read from
 * `/proc` (Linux); elsewhere only this process is counted.
 */
import { readFileSync } from 'node:fs';

// Linux's defaults; `getconf` would need a child process per reading.
const PAGE_BYTES = 4096;
const CLOCK_TICKS_PER_SECOND = 100;

/** Resident memory of a child process in bytes, or 0 when it cannot be read. */
function childRssBytes(pid: number): number {
  try {
    const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(resident) ? resident * PAGE_BYTES : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) of a child process in ms, or 0 when it cannot be read. */
function childCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15 of stat(5)
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : 0;
  } catch {
    return 0;
  }
}

/** RSS of this process plus the given children, in MB. */
export function rssMb(children: readonly number[] = []): number {
  let bytes = process.memoryUsage.rss();
  for (const pid of children) bytes += childRssBytes(pid);
  return bytes / 1024 / 1024;
}

/** CPU time used so far by this process (every thread) plus the given children, in ms. */
export function cpuMs(children: readonly number[] = []): number {
  const { user, system } = process.cpuUsage();
  let ms = (user + system) / 1000;
  for (const pid of children) ms += childCpuMs(pid);
  return ms;
}
