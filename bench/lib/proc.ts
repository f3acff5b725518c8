import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

// Memory and CPU of processes from Linux's /proc; elsewhere each figure is undefined (printed `?`).

/** Clock ticks per second of /proc (USER_HZ). */
const TICKS = 100;
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
  for (const p of processes()) {
    // After the command name (which may hold spaces): ppid is field 4, utime…cstime fields 14–17.
    const text = read(`/proc/${p}/stat`);
    if (text)
      procs.set(
        Number(p),
        text
          .slice(text.lastIndexOf(')') + 2)
          .split(' ')
          .map(Number),
      );
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

function processes(): string[] {
  try {
    return readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
}

/** Sum of `own + below` over processes: each with everything it started. */
export const treesCpu = (pids: number[]): number =>
  pids.map((pid) => treeCpu(pid)).reduce((n, t) => n + (t ? t.own + t.below : NaN), 0);

/** CPU seconds the whole machine has been busy (every process, every core), from `/proc/stat`. */
export function machineCpu(): number | undefined {
  const [, user, nice, system, , , irq, softirq, steal] = read('/proc/stat').split('\n')[0]!.split(/\s+/);
  const busy = [user, nice, system, irq, softirq, steal].reduce((a, b) => a + Number(b), 0) / TICKS;
  return Number.isNaN(busy) ? undefined : busy;
}

/** Polls a child's peak memory and CPU while it runs: once it has ended /proc no longer tells. */
export function watch(pid: number | undefined, everyMs: number) {
  let [peak, cpu] = [undefined as number | undefined, treeCpu(pid)];
  const poll = () => {
    peak = Math.max(peak ?? 0, peakRssMb(pid) ?? 0) || undefined;
    cpu = treeCpu(pid) ?? cpu;
  };
  const timer = setInterval(poll, everyMs);
  return { stop: () => (poll(), clearInterval(timer)), peakRssMb: () => peak, cpu: () => cpu };
}
