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
