/**
 * CPU and memory of the processes a benchmark started, read from /proc (Linux): CPU seconds of a
 * process and its descendants between two moments, its peak resident set (VmHWM, reset at the start
 * of a phase through /proc/<pid>/clear_refs where allowed), and for process trees such as
 * PostgreSQL (one backend per connection) the peak proportional set size, sampled.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat times (sysconf(_SC_CLK_TCK); 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** utime + stime of the process itself, in ticks. */
  own: number;
  /** cutime + cstime: CPU of its children that exited and were waited for. */
  reaped: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: fields resume after the last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined; // gone
  }
}

/** Every live descendant of `root` (children, their children, …). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(Number(name));
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * CPU seconds used so far by a process and its descendants: its own time, its reaped children's,
 * and the live descendants' own time. Differences of two readings give the CPU of an interval.
 */
export function treeCpuSeconds(pid: number, tree: boolean): number {
  const root = readStat(pid);
  if (!root) return Number.NaN;
  let ticks = root.own + (tree ? root.reaped : 0);
  if (tree) for (const d of descendants(pid)) ticks += readStat(d)?.own ?? 0;
  return ticks / TICKS_PER_SECOND;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function pssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resets the process's peak RSS (VmHWM) to its current RSS; false where the kernel does not allow it. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** The machine's CPU time so far, in ticks, from the `cpu` line of /proc/stat. */
export interface CpuTicks {
  /** Running anything on this machine: user, nice, system, irq, softirq (guest time is inside user). */
  busy: number;
  /** Wanted but given by the hypervisor to other guests of the host. */
  steal: number;
  total: number;
}

/** Parses the `cpu` line of /proc/stat (user nice system idle iowait irq softirq steal …). */
export function parseCpuTicks(line: string): CpuTicks {
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) throw new Error(`not the cpu line of /proc/stat: ${JSON.stringify(line)}`);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** The whole machine's CPU ticks now (Linux). */
function machineTicks(): CpuTicks {
  return parseCpuTicks(readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '');
}

/** Busy cores and the host's share (steal) between two readings of the machine's CPU time. */
export function machineShares(t0: CpuTicks, t1: CpuTicks, cores: number): { busyCores: number; stolenPercent: number } {
  const total = t1.total - t0.total;
  if (!(total > 0)) return { busyCores: Number.NaN, stolenPercent: Number.NaN };
  return { busyCores: ((t1.busy - t0.busy) / total) * cores, stolenPercent: ((t1.steal - t0.steal) / total) * 100 };
}

export interface WatchedProcess {
  name: string;
  pid: number;
  /** Count descendants too (PostgreSQL forks a backend per connection). */
  tree?: boolean;
}

export interface ProcessFigures {
  name: string;
  pid: number;
  /** CPU seconds used during the interval. */
  cpuSeconds: number;
  /** Average share of one core over the interval, in percent. */
  cpuPercent: number;
  /**
   * Peak memory during the interval in MiB: VmHWM (peak RSS) of a single process whose peak could
   * be reset at the start, otherwise the highest sampled RSS (PSS summed over a tree).
   */
  peakMemoryMiB: number;
  memoryKind: 'peak RSS' | 'sampled RSS' | 'sampled PSS (tree)';
}

export interface MachineFigures {
  cores: number;
  /** Whole-machine CPU busy during the interval, in cores (0..cores); steal not included. */
  busyCores: number;
  /** Busy cores not accounted for by the watched processes (other users of the machine, the kernel). */
  otherCores: number;
  /**
   * Share of the machine's CPU time the hypervisor gave to other guests while this machine wanted
   * it (steal), in percent. A shared host's noise: a few percent on a quiet day, tens on a busy one.
   */
  stolenPercent: number;
}

export interface Measurement {
  seconds: number;
  processes: ProcessFigures[];
  machine: MachineFigures;
}

/** Samples watched processes from start() to stop(): CPU deltas and peak memory. */
export class ProcessMeter {
  private readonly cpu0 = new Map<number, number>();
  private readonly peak = new Map<number, number>();
  private readonly hwmReset = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;
  private machine0: CpuTicks = { busy: 0, steal: 0, total: 0 };

  constructor(
    private readonly watched: WatchedProcess[],
    private readonly sampleMs = 500,
  ) {}

  start(): void {
    this.t0 = performance.now();
    this.machine0 = machineTicks();
    for (const w of this.watched) {
      this.cpu0.set(w.pid, treeCpuSeconds(w.pid, w.tree === true));
      if (!w.tree && resetPeakRss(w.pid)) this.hwmReset.add(w.pid);
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), this.sampleMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const w of this.watched) {
      const kb = w.tree ? [w.pid, ...descendants(w.pid)].reduce((sum, p) => sum + pssKb(p), 0) : statusKb(w.pid, 'VmRSS');
      if (Number.isFinite(kb)) this.peak.set(w.pid, Math.max(this.peak.get(w.pid) ?? 0, kb));
    }
  }

  stop(): Measurement {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const seconds = (performance.now() - this.t0) / 1000;
    const m1 = machineTicks();
    const cores = os.cpus().length;
    const processes = this.watched.map((w): ProcessFigures => {
      const cpuSeconds = treeCpuSeconds(w.pid, w.tree === true) - (this.cpu0.get(w.pid) ?? Number.NaN);
      const hwm = this.hwmReset.has(w.pid) ? statusKb(w.pid, 'VmHWM') : Number.NaN;
      const sampled = this.peak.get(w.pid) ?? Number.NaN;
      const useHwm = Number.isFinite(hwm);
      return {
        name: w.name,
        pid: w.pid,
        cpuSeconds,
        cpuPercent: (cpuSeconds / seconds) * 100,
        peakMemoryMiB: (useHwm ? Math.max(hwm, sampled) : sampled) / 1024,
        memoryKind: useHwm ? 'peak RSS' : w.tree ? 'sampled PSS (tree)' : 'sampled RSS',
      };
    });
    const { busyCores, stolenPercent } = machineShares(this.machine0, m1, cores);
    const ours = processes.reduce((sum, p) => sum + (Number.isFinite(p.cpuSeconds) ? p.cpuSeconds : 0), 0) / seconds;
    return { seconds, processes, machine: { cores, busyCores, otherCores: Math.max(0, busyCores - ours), stolenPercent } };
  }
}
