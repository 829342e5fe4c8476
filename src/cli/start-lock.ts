/**
 * One `npm start` per state folder. The run holds <state>/start.lock (its pid and start time, the
 * dashboard address, and the pids of the services it runs); a second run finds it, names the
 * running one and starts nothing, so the first run is not disturbed (no second bridge joins its
 * consumer group). A lock whose owner is gone (killed outright) is taken over: services it left
 * running are stopped first, each checked by pid and start time so no other program is touched.
 */
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger.js';
import { identityOf, isSameProcess, type ProcessIdentity } from '../stack/process-identity.js';
import { stopRecorded } from '../process/supervisor.js';

export interface StartLockRecord {
  owner: ProcessIdentity;
  startedAt: string;
  dashboardUrl: string;
  services: Record<string, ProcessIdentity>;
}

export class StartAlreadyRunning extends Error {
  constructor(
    readonly record: StartLockRecord,
    stateDir: string,
  ) {
    super(
      `npm start is already running on the state folder ${stateDir} (pid ${record.owner.pid}, since ${record.startedAt}; dashboard ${record.dashboardUrl}); ` +
        `nothing was started. Use that one, or stop it first (Ctrl-C in its terminal, or kill -INT ${record.owner.pid})`,
    );
    this.name = 'StartAlreadyRunning';
  }
}

export function startLockFile(stateDir: string): string {
  return path.join(stateDir, 'start.lock');
}

function read(file: string): StartLockRecord | undefined {
  try {
    const rec = JSON.parse(readFileSync(file, 'utf8')) as StartLockRecord;
    return rec.owner ? rec : undefined;
  } catch {
    return undefined;
  }
}

export interface StartLock {
  /** Records a service's process (after a start or restart), for a later run to clean up after a kill. */
  setService(name: string, pid: number | undefined): void;
  release(): void;
}

/** Stops services a killed run left behind (SIGINT, as npm start would), waiting up to graceMs each. */
async function stopLeftServices(rec: StartLockRecord, log: Logger, graceMs: number): Promise<void> {
  for (const [name, id] of Object.entries(rec.services ?? {})) {
    if ((await stopRecorded(id, 'SIGINT', graceMs)) === 'gone') continue;
    log.info(`stopped the ${name} (pid ${id.pid}) left running by an npm start that is gone (pid ${rec.owner.pid})`);
  }
}

export async function acquireStartLock(stateDir: string, dashboardUrl: string, log: Logger, graceMs = 40_000): Promise<StartLock> {
  mkdirSync(stateDir, { recursive: true });
  const file = startLockFile(stateDir);
  const owner = identityOf(process.pid);
  if (!owner) throw new Error('cannot read this process start time');
  const record: StartLockRecord = { owner, startedAt: new Date().toISOString(), dashboardUrl, services: {} };
  for (let attempt = 0; ; attempt++) {
    try {
      // 'wx': created only if absent, atomically; two runs racing cannot both get it.
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, JSON.stringify(record, null, 2));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const held = read(file);
      if (held && isSameProcess(held.owner)) throw new StartAlreadyRunning(held, stateDir);
      if (held) await stopLeftServices(held, log, graceMs);
      log.info(`took over the lock of an npm start that is gone${held ? ` (pid ${held.owner.pid})` : ''}`);
      rmSync(file, { force: true });
    }
  }
  const save = () => writeFileSync(file, JSON.stringify(record, null, 2), { mode: 0o600 });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    // Only our own lock: never one a later run took over.
    if (read(file)?.owner.pid === owner.pid) rmSync(file, { force: true });
  };
  process.on('exit', release);
  return {
    setService(name, pid) {
      const id = pid === undefined ? undefined : identityOf(pid);
      if (id) record.services[name] = id;
      else delete record.services[name];
      if (!released) save();
    },
    release,
  };
}
