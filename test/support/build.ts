/**
 * `npm run build` for the tests that run the compiled programs, at most once at a time and only
 * when dist/ is older than what it is built from: test files run in parallel processes, and two
 * builds into one dist/ would trip over each other. A lock folder in the temp dir (named for this
 * checkout) serialises them; a lock left by a process that died is taken over.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pollUntil } from '../../src/stack/wait.js';
import { ROOT } from './app-process.js';

const LOCK = path.join(os.tmpdir(), `order-pipeline-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`);
const OUTPUT = path.join(ROOT, 'dist', 'workflow-bundle.js');

function newestInput(): number {
  const files = readdirSync(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
  files.push(...['scripts/build.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) => path.join(ROOT, f)));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

function isFresh(): boolean {
  try {
    return statSync(OUTPUT).mtimeMs > newestInput();
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock (waiting for another build to finish), or takes over a dead holder's. */
async function lock(deadline: number): Promise<void> {
  let holder = 0;
  const take = (): boolean => {
    try {
      mkdirSync(LOCK);
      writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    holder = 0;
    try {
      holder = Number(readFileSync(path.join(LOCK, 'pid'), 'utf8'));
    } catch {
      // being created right now: wait
    }
    if (holder && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
    return false;
  };
  if (!(await pollUntil(take, { timeoutMs: deadline - Date.now(), intervalMs: 500 }))) throw new Error(`the build lock ${LOCK} is still held (pid ${holder})`);
}

/** Makes sure dist/ holds the compiled build of the current sources; returns whether it built. */
export async function ensureBuild(timeoutMs = 900_000): Promise<boolean> {
  await lock(Date.now() + timeoutMs);
  try {
    if (isFresh()) return false;
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
      child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
      child.on('exit', (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`npm run build failed (exit ${code}):\n${output.join('').slice(-3000)}`);
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
