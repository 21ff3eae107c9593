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

/** A process's name and the CPU seconds (user + system) it has used so far, its own and its waited-for children's; null once it is gone. */
export function processCpu(pid: number): { name: string; own: number; children: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The name is in parentheses and may itself contain spaces or parentheses.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ').map((field) => Number.parseInt(field, 10) || 0);
  // proc(5) fields 14-17 (utime, stime, cutime, cstime) in clock ticks of 10 ms; fields[0] is field 3.
  const ticks = (index: number): number => (fields[index] ?? 0) / 100;
  return { name: text.slice(text.indexOf('(') + 1, close), own: ticks(11) + ticks(12), children: ticks(13) + ticks(14) };
}
