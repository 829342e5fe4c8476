/**
 * Who a pid really is. A pid file can outlive its process and the pid be given to another program;
 * before stopping "our" leftover server we check that the process with that pid started when the
 * one we recorded did (Linux: /proc/<pid>/stat; elsewhere: `ps -o lstart=`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAlive } from './process.js';

/** The process's start time as an opaque string, or undefined if it does not exist. */
export function processStartTime(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime, clock ticks since boot); the command name in field 2 may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    try {
      return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

export function identityOf(pid: number): ProcessIdentity | undefined {
  const startTime = processStartTime(pid);
  return startTime === undefined ? undefined : { pid, startTime };
}

/** True if the recorded process is still running: same pid, same start time. */
export function isSameProcess(id: ProcessIdentity | undefined): boolean {
  return id !== undefined && processStartTime(id.pid) === id.startTime;
}
