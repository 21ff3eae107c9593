import { readFileSync } from 'node:fs';

/** A process's resident set size in bytes, from /proc (0 once it is gone). */
export function residentSetBytes(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number.parseInt(kb, 10) * 1024;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number.parseInt(fields[11] ?? '0', 10) + Number.parseInt(fields[12] ?? '0', 10)) / 100;
  } catch {
    return 0;
  }
}
