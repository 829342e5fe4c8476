/**
 * The run's simulated clock, shared by everything that reads or writes simulated time: the
 * generator (when orders arrive), the workflow (when each stage happens) and the dashboard (the
 * simulated now it marks). Simulated time runs `speed` times faster than real time from an anchor
 * (the simulated and the real moment the run started). Pure arithmetic, no Node built-ins: the
 * workflow sandbox imports it and passes its own replay-safe real time.
 *
 * As text (the SIM_CLOCK setting, handed by `npm start` to each process it starts):
 * `<simulated ISO start>@<real ISO start>*<speed>`, e.g. `2026-01-01T00:00:00.000Z@2026-12-02T02:30:00.000Z*3600`.
 */
export interface SimClockAnchor {
  /** Simulated moment (epoch ms) at the anchor. */
  simStartMs: number;
  /** Real moment (epoch ms) at the anchor. */
  realStartMs: number;
  /** Simulated seconds per real second (1 = real time). */
  speed: number;
}

/** The simulated now at real time `realNowMs`. */
export function simulatedNow(clock: SimClockAnchor, realNowMs: number): number {
  return clock.simStartMs + (realNowMs - clock.realStartMs) * clock.speed;
}

/** The real moment at which the clock shows the simulated `simMs`. */
export function realMomentOf(clock: SimClockAnchor, simMs: number): number {
  return clock.realStartMs + (simMs - clock.simStartMs) / clock.speed;
}

export function formatSimClock(clock: SimClockAnchor): string {
  return `${new Date(clock.simStartMs).toISOString()}@${new Date(clock.realStartMs).toISOString()}*${clock.speed}`;
}

/** Parses the text form; undefined when it is not one (the caller names the setting). */
export function parseSimClock(text: string): SimClockAnchor | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T[^@]+)@(\d{4}-\d{2}-\d{2}T[^*]+)\*(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return undefined;
  const simStartMs = Date.parse(m[1] as string);
  const realStartMs = Date.parse(m[2] as string);
  const speed = Number(m[3]);
  if (Number.isNaN(simStartMs) || Number.isNaN(realStartMs) || !(speed > 0) || !Number.isFinite(speed)) return undefined;
  return { simStartMs, realStartMs, speed };
}
