import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { nowMs } from './results.ts';

// Memory and CPU of processes from Linux's /proc; elsewhere each figure is undefined or NaN (printed `?`).

/** Clock ticks per second of /proc (USER_HZ). */
const TICKS = 100;
/** A /proc file; empty once its process has ended. */
const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** Peak resident set (`VmHWM`) of a live process, in MB. */
export function peakRssMb(pid: number | undefined): number | undefined {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`));
  return m ? Math.round(Number(m[1]) / 1024) : undefined;
}

/** Linux keeps `VmHWM` for a process's whole life: this sets it back, so that each run's peak is its own. */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not allowed: the peak then covers the process's life so far.
  }
}

/**
 * CPU seconds (user + system) of a live process (`own`) and of everything below it (`below`), which
 * counts ended children too through their parent's reaped time: PostgreSQL backends come and go with
 * the connection pools, and an embedded server may stop before its parent is read.
 */
export function treeCpu(pid: number | undefined): { own: number; below: number } | undefined {
  const procs = new Map<number, number[]>();
  for (const p of existsSync('/proc/self') ? readdirSync('/proc').filter((e) => /^\d+$/.test(e)) : []) {
    // After the command name (which may hold spaces): ppid is field 4, utime…cstime fields 14–17.
    const fields = /.*\) (.*)/s.exec(read(`/proc/${p}/stat`))?.[1];
    if (fields) procs.set(Number(p), fields.split(' ').map(Number));
  }
  const root = procs.get(pid ?? -1);
  if (!root) return undefined;
  const secs = (f: number[], from: number) => (f[from]! + f[from + 1]!) / TICKS;
  let below = secs(root, 13);
  for (const stack = [pid]; stack.length;) {
    const parent = stack.pop();
    for (const [p, f] of procs)
      if (f[1] === parent) {
        below += secs(f, 11) + secs(f, 13);
        stack.push(p);
      }
  }
  return { own: secs(root, 11), below };
}

/** Sum of `own + below` over processes: each with everything it started. */
export const treesCpu = (pids: number[]): number =>
  pids.map((pid) => treeCpu(pid)).reduce((n, t) => n + (t ? t.own + t.below : NaN), 0);

/** CPU seconds the whole machine has been busy (every process, every core), from `/proc/stat`. */
export function machineCpu(): number {
  const [, user, nice, system, , , irq, softirq, steal] = read('/proc/stat').split('\n')[0]!.split(/\s+/);
  return [user, nice, system, irq, softirq, steal].reduce((a, b) => a + Number(b), 0) / TICKS;
}

/**
 * CPU seconds from now to the call of the function returned: of each part, of this process (`bench`), and
 * of the rest of the machine (`other`, less the parts measured elsewhere that `known` adds), over `windowS`.
 */
export function cpuMeter<K extends string>(parts: Record<K, () => number>) {
  const sample = (): Record<string, number> => {
    const { user, system } = process.cpuUsage();
    const now: Record<string, number> = { windowS: nowMs() / 1000, bench: (user + system) / 1e6 };
    for (const [part, cpu] of Object.entries<() => number>(parts)) now[part] = cpu();
    return { ...now, machine: machineCpu() };
  };
  const from = sample();
  return <Known extends string = never>(known = {} as Record<Known, number>) => {
    const { windowS, machine, ...used } = Object.fromEntries(
      Object.entries(sample()).map(([k, v]) => [k, v - from[k]!]),
    ) as Record<string, number>;
    Object.assign(used, known);
    const other = Math.max(0, machine! - Object.values(used).reduce((a, b) => a + b, 0));
    return { windowS, ...used, other } as Record<K | Known | 'windowS' | 'bench' | 'other', number>;
  };
}

/** Polls a child's CPU while it runs (once it has ended /proc no longer tells); the function stops and tells. */
export function watchCpu(pid: number | undefined, everyMs: number) {
  let cpu = treeCpu(pid);
  const timer = setInterval(() => (cpu = treeCpu(pid) ?? cpu), everyMs);
  return () => {
    clearInterval(timer);
    return (cpu = treeCpu(pid) ?? cpu);
  };
}
