/**
 * Superset from PyPI, installed once into the stack's state folder: a Python virtualenv with
 * exactly the packages of docker/superset/requirements-local.txt (apache-superset at the version
 * the compose image is built FROM, the Postgres driver the image adds, and every dependency pinned,
 * so two machines get the same Superset). The folder is named after the lock file's hash, so a
 * changed lock installs a new virtualenv beside the old one and an unchanged one is reused.
 *
 * First install: a few minutes (about 700 MB), with a progress line every 15 s and pip's output
 * in a log file; later: one stat of the marker file.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logging/logger.js';
import { formatElapsed } from '../stack/tools.js';
import { pollUntil } from '../stack/wait.js';

/** The repository's Superset folder: the bundle, init.sh, superset_config.py, the lock file. */
export const SUPERSET_DIR = fileURLToPath(new URL('../../docker/superset/', import.meta.url));
export const LOCK_FILE = path.join(SUPERSET_DIR, 'requirements-local.txt');

export interface SupersetInstall {
  /** The virtualenv: bin/superset, bin/gunicorn, bin/python. */
  venv: string;
  version: string;
  /** True when this call installed it (false: reused). */
  installed: boolean;
}

/** apache-superset's pinned version in the lock file. */
export function lockedVersion(lockText: string): string {
  const m = /^apache-superset==(\S+)$/m.exec(lockText);
  if (!m?.[1]) throw new Error(`${LOCK_FILE} pins no apache-superset==VERSION`);
  return m[1];
}

/** <state>/superset/venv-<version>-<hash of the lock>: one folder per lock file. */
export function venvDir(stateDir: string, lockText: string): string {
  const hash = createHash('sha256').update(lockText).digest('hex').slice(0, 10);
  return path.join(stateDir, 'superset', `venv-${lockedVersion(lockText)}-${hash}`);
}

const MARKER = 'order-pipeline-installed.json';

interface RunResult {
  code: number | null;
  lines: string[];
}

/** Runs a command, its output appended to `logFile` and each line handed to `onLine`. */
function run(command: string, args: string[], logFile: string, onLine: (line: string) => void = () => undefined): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile, { flags: 'a' });
    out.write(`$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONDONTWRITEBYTECODE: '1' } });
    const lines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        out.write(`${line}\n`);
        lines.push(line);
        if (lines.length > 200) lines.shift();
        onLine(line);
      });
    }
    child.once('error', (err) => {
      out.end();
      reject(err);
    });
    child.once('close', (code) => out.end(() => resolve({ code, lines })));
  });
}

/** Checks the interpreter: Superset 5 runs on Python 3.10 to 3.12, and the venv module must be there. */
async function checkPython(python: string, logFile: string): Promise<void> {
  const probe = 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])';
  let result: RunResult;
  try {
    result = await run(python, ['-c', probe], logFile);
  } catch {
    throw new Error(`Superset needs Python 3.10 to 3.12: "${python}" was not found (install python3 and python3-venv, or set SUPERSET_PYTHON)`);
  }
  const version = result.lines.at(-1) ?? '';
  if (result.code !== 0) throw new Error(`"${python}" cannot make a virtualenv (no venv/ensurepip module: on Debian apt-get install python3-venv, or set SUPERSET_PYTHON)`);
  const [major, minor] = version.split('.').map(Number);
  if (major !== 3 || (minor ?? 0) < 10 || (minor ?? 0) > 12) throw new Error(`Superset needs Python 3.10 to 3.12; "${python}" is ${version} (set SUPERSET_PYTHON)`);
}

/** One installer at a time per folder (npm run superset and a test may start together). */
async function withInstallLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = `${dir}.lock`;
  mkdirSync(path.dirname(lock), { recursive: true });
  /** Takes the lock, or a dead holder's at once; false while a live installer holds it. */
  const take = (): boolean => {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return true;
    } catch {
      const holder = Number(readFileSync(path.join(lock, 'pid'), 'utf8').trim() || 0);
      let alive = false;
      try {
        process.kill(holder, 0);
        alive = holder > 0;
      } catch {
        alive = false;
      }
      if (alive) return false;
      rmSync(lock, { recursive: true, force: true });
      return take();
    }
  };
  await pollUntil(take, { timeoutMs: Infinity, intervalMs: 1000 });
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The virtualenv of the lock file, installed first if missing or half-made. */
export async function ensureSupersetInstalled(stateDir: string, python: string, log: Logger): Promise<SupersetInstall> {
  const lockText = readFileSync(LOCK_FILE, 'utf8');
  const version = lockedVersion(lockText);
  const venv = venvDir(stateDir, lockText);
  if (existsSync(path.join(venv, MARKER))) return { venv, version, installed: false };
  return withInstallLock(venv, async () => {
    if (existsSync(path.join(venv, MARKER))) return { venv, version, installed: false };
    const logFile = `${venv}.install.log`;
    writeFileSync(logFile, '');
    await checkPython(python, logFile);
    // A folder without the marker is a broken earlier attempt: start over.
    rmSync(venv, { recursive: true, force: true });
    const started = Date.now();
    log.info(`installing apache-superset ${version} from PyPI into ${venv} (first time only: a few minutes, about 700 MB; pip's output in ${logFile})`);
    const made = await run(python, ['-m', 'venv', venv], logFile);
    if (made.code !== 0) throw new Error(`"${python} -m venv ${venv}" failed: ${made.lines.slice(-3).join(' | ')}`);
    const pip = path.join(venv, 'bin', 'pip');
    let fetched = 0;
    let phase = 'downloading packages';
    const timer = setInterval(() => log.info(`still installing Superset: ${phase}, ${fetched} packages so far (${formatElapsed(Date.now() - started)})`), 15_000);
    try {
      const result = await run(pip, ['install', '--progress-bar', 'off', '--require-virtualenv', '-r', LOCK_FILE], logFile, (line) => {
        if (/^(Collecting|Processing) /.test(line)) fetched++;
        if (line.startsWith('Installing collected packages')) phase = 'unpacking and installing';
      });
      if (result.code !== 0) {
        const reason = result.lines.filter((l) => /error|not find|No matching/i.test(l)).slice(-3).join(' | ') || result.lines.slice(-3).join(' | ');
        throw new Error(`installing Superset from PyPI failed (${reason}); the whole output is in ${logFile}`);
      }
      const check = await run(path.join(venv, 'bin', 'python'), ['-c', 'import superset, psycopg2, gunicorn; print(superset.__version__ if hasattr(superset, "__version__") else "")'], logFile);
      if (check.code !== 0) throw new Error(`Superset was installed but does not import (${check.lines.slice(-2).join(' | ')}); see ${logFile}`);
    } finally {
      clearInterval(timer);
    }
    writeFileSync(path.join(venv, MARKER), `${JSON.stringify({ version, lock: path.basename(LOCK_FILE), installedAt: new Date().toISOString() })}\n`);
    log.info(`installed apache-superset ${version} in ${formatElapsed(Date.now() - started)}`);
    return { venv, version, installed: true };
  });
}
