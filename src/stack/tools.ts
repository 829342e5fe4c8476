/** Locating tools on PATH, building the Go ones once, and showing progress while a long first-time build runs. */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger.js';

export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Runs `work`, logging "still <what> (1m30s)" every 15 s so a long build never looks hung. */
export async function withProgress<T>(log: Logger, what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => log.info(`still ${what} (${formatElapsed(Date.now() - started)})`), 15_000);
  try {
    const result = await work();
    log.info(`done ${what} in ${formatElapsed(Date.now() - started)}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}

export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A binary the stack needs: named by a setting, else found on PATH, else built once with Go. */
export interface GoBinary {
  /** File name on PATH; the state folder's bin/ keeps `<name>-<version>`. */
  name: string;
  /**
   * The version the project builds. It names the cached file, so a version change builds the new
   * one instead of running whatever an older checkout left in the state folder.
   */
  version: string;
  /** The setting that names a binary of the user's (e.g. TEMPORAL_CLI), and its value. */
  setting: { variable: string; value: string | undefined };
  /** What to say before building, e.g. "the Temporal CLI once: go install … (a few minutes". */
  announce: string;
  /** What the progress lines call the build. */
  what: string;
  /** Without Go: what else the user can do (the error's second half). */
  withoutGo: string;
  /** Builds the binary at `target` with `go`; `env` has the build settings. */
  build: (go: string, target: string, env: NodeJS.ProcessEnv) => Promise<void>;
}

/** Where the state folder keeps the project's build of `bin`. */
export function cachedBuildPath(stateDir: string, bin: Pick<GoBinary, 'name' | 'version'>): string {
  return path.join(stateDir, 'bin', `${bin.name}-${bin.version}`);
}

/** The binary's path: the setting's, else PATH's, else the cached build of this version, else built now. */
export async function resolveGoBinary(stateDir: string, bin: GoBinary, log: Logger): Promise<string> {
  if (bin.setting.value) {
    if (!existsSync(bin.setting.value)) throw new Error(`${bin.setting.variable}=${bin.setting.value} does not exist`);
    return bin.setting.value;
  }
  const onPath = findOnPath(bin.name);
  if (onPath) return onPath;
  const built = cachedBuildPath(stateDir, bin);
  const binDir = path.dirname(built);
  if (existsSync(built)) return built;
  const go = findOnPath('go');
  if (!go) throw new Error(`no ${bin.name} binary found: install Go (to build it) or ${bin.withoutGo}`);
  mkdirSync(binDir, { recursive: true });
  log.info(`building ${bin.announce}; cached in ${binDir})`);
  await withProgress(log, `building ${bin.what}`, () => bin.build(go, built, { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' }));
  return built;
}

