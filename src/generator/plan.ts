/**
 * From parsed flags to a run: the run's clock and the plan of its orders. One clock per run; a
 * --backfill window ends where the clock starts, so a history runs straight into the live part.
 */
import { randomInt } from 'node:crypto';
import type { AppConfig } from '../config/config.js';
import type { SimClockAnchor } from '../domain/sim-clock.js';
import { UserError } from '../errors/user-error.js';
import { DEFAULT_SPEED, type CliOptions } from './options.js';
import type { RunPlan } from './run.js';

/**
 * The run's clock: SIM_CLOCK when set (npm start hands its clock to the generator and the
 * dashboard), else one starting now at --start (default: now), running at --speed.
 */
export function runClock(opts: CliOptions, config: Pick<AppConfig, 'simClock'>, nowMs: number): SimClockAnchor {
  if (config.simClock) {
    const given = [opts.start && '--start', opts.speed !== undefined && '--speed'].filter(Boolean);
    if (given.length > 0) throw new UserError(`${given.join(' and ')} conflict${given.length === 1 ? 's' : ''} with SIM_CLOCK (the run's clock is set); drop ${given.length === 1 ? 'it' : 'them'} or unset SIM_CLOCK`);
    return config.simClock;
  }
  return { simStartMs: (opts.start ?? new Date(nowMs)).getTime(), realStartMs: nowMs, speed: opts.speed ?? DEFAULT_SPEED };
}

export function planFrom(opts: CliOptions, clock: SimClockAnchor, nowMs: number): RunPlan {
  // The seed only picks the data; choosing it is the one place randomness is not seeded.
  const seed = opts.seed ?? String(randomInt(0, 2 ** 47));
  const runId = opts.runId ?? nowMs;
  const end = new Date(clock.simStartMs);
  const from = new Date(end.getTime() - (opts.backfillMs ?? 0));
  const mode: RunPlan['mode'] = opts.live ? { kind: 'continuous', from } : { kind: 'backfill', from, to: end };
  return { seed, runId, mode, clock, volume: opts.volume, ...(opts.count !== undefined ? { count: opts.count } : {}) };
}

