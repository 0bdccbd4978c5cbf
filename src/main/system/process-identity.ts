/** Names a process by pid + start time, so a claim or a job reference never mistakes a reused pid for the original process. */
import { readFileSync } from 'node:fs';

/** The process's start time in clock ticks since boot (Linux /proc), or null where it cannot be read. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name (field 2) may contain spaces and parentheses, so count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** True while the process with this pid exists and (where known) is the one that started at `startTime`. */
export function isProcessAlive(pid: number, startTime: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (startTime === null) return true;
  const now = processStartTime(pid);
  return now === null || now === startTime;
}

let own: string | null | undefined;
/** This process's start time (cached). */
export function ownStartTime(): string | null {
  if (own === undefined) own = processStartTime(process.pid);
  return own;
}
