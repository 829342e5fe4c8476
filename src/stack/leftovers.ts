/**
 * Servers left running by a stack supervisor that was killed outright (SIGKILL, a closed terminal):
 * the servers run in their own process groups, so they outlive it and hold the ports. Each one's
 * pid file (<data>/pids/<name>.json, written by spawnLogged, src/process/supervisor.ts) names it and the process that started
 * it, with start times; before a new start we stop the ones whose owner is gone, cleanly (the
 * server's own stop signal; SIGKILL only after a grace period), so the new start reuses the same
 * data. A pid now belonging to another program (start time differs) is never touched.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger.js';
import { isSameProcess } from './process-identity.js';
import { stopRecorded, type PidRecord } from '../process/supervisor.js';

export function pidDir(dataDir: string): string {
  return path.join(dataDir, 'pids');
}

export function pidFileFor(dataDir: string, name: string): string {
  return path.join(pidDir(dataDir), `${name}.json`);
}

function readRecords(dataDir: string): Array<{ file: string; record: PidRecord | undefined }> {
  let names: string[];
  try {
    names = readdirSync(pidDir(dataDir)).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return names.map((name) => {
    const file = path.join(pidDir(dataDir), name);
    try {
      return { file, record: JSON.parse(readFileSync(file, 'utf8')) as PidRecord };
    } catch {
      return { file, record: undefined };
    }
  });
}

/**
 * Stops the servers of `dataDir` whose supervisor is gone and removes stale pid files. Returns one
 * line per server stopped (also logged). Servers whose supervisor still runs are left alone, unless
 * `ownToo`: then this process's own are stopped as well (a supervisor interrupted while its stack
 * was still starting, before it had anything to stop by).
 */
export async function reclaimLeftovers(dataDir: string, log: Logger, graceMs = 30_000, ownToo = false): Promise<string[]> {
  const done: string[] = [];
  for (const { file, record } of readRecords(dataDir)) {
    if (!record?.server || !record.owner) {
      rmSync(file, { force: true });
      continue;
    }
    const ownerAlive = isSameProcess(record.owner);
    const own = ownerAlive && record.owner.pid === process.pid;
    if (ownerAlive && !(ownToo && own)) continue;
    if (!isSameProcess(record.server)) {
      log.debug(`removed the stale pid file of ${record.name} (pid ${record.server.pid} is gone)`);
      rmSync(file, { force: true });
      continue;
    }
    const how = await stopRecorded(record.server, record.stopSignal, graceMs);
    rmSync(file, { force: true });
    const why = own ? 'started by this process, interrupted' : `left running by a stack supervisor that is gone (pid ${record.owner.pid})`;
    const line = `${how !== 'killed' ? 'stopped' : `killed (no stop within ${Math.round(graceMs / 1000)} s)`} ${record.name} (pid ${record.server.pid}), ${why}; its data is kept`;
    log.info(line);
    done.push(line);
  }
  return done;
}
