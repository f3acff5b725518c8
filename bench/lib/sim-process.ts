import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** One entry of the simulator's request log; `at` is when the answer was sent, `durationMs` before it. */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  durationMs: number;
}

export interface RequestCounts {
  total: number;
  byMethod: Record<string, number>;
  byStatus: Record<string, number>;
  /** Counts by `METHOD /path`. */
  byRoute: Record<string, number>;
  /** The newest entries (the simulator keeps 5 000). */
  entries: LoggedRequest[];
}

export interface SimControl {
  url: string;
  putState(state: unknown): Promise<void>;
  setLatency(ms: number): Promise<void>;
  clearRequests(): Promise<void>;
  requests(): Promise<RequestCounts>;
}

export interface SimProcess {
  mycashflow: SimControl;
  netbaron: SimControl;
  /** Peak resident memory of the simulators' process so far (Linux `/proc`), in MB; undefined elsewhere. */
  peakRssMb(): number | undefined;
  /** CPU seconds the simulators' process has used so far. */
  cpuSeconds(): number | undefined;
  close(): Promise<void>;
}

async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} on the simulator: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

function controlOf(url: string): SimControl {
  return {
    url,
    putState: async (state) => void (await control(url, 'PUT', '/__sim/state', state)),
    setLatency: async (ms) =>
      void (ms > 0
        ? await control(url, 'PUT', '/__sim/faults', { rules: [{ path: '*', latencyMs: ms }] })
        : await control(url, 'DELETE', '/__sim/faults')),
    clearRequests: async () => void (await control(url, 'DELETE', '/__sim/requests')),
    requests: async () => {
      const log = (await control(url, 'GET', '/__sim/requests')) as {
        total: number;
        counts: {
          byMethod: Record<string, number>;
          byStatus: Record<string, number>;
          byPath: Record<string, number>;
        };
        requests: LoggedRequest[];
      };
      return {
        total: log.total,
        byMethod: log.counts.byMethod,
        byStatus: log.counts.byStatus,
        byRoute: log.counts.byPath,
        entries: log.requests.map(({ seq, at, method, path, durationMs }) => ({
          seq,
          at,
          method,
          path,
          durationMs,
        })),
      };
    },
  };
}

/** `VmHWM` (peak resident set) of a live process, in MB. */
export function peakRssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** CPU seconds (user + system) a live process has used so far (Linux `/proc`); undefined elsewhere. */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

export interface ProcInfo {
  ppid: number;
  /** CPU seconds (user + system) of the process itself. */
  self: number;
  /** CPU seconds of its children that have ended and been reaped (cutime + cstime). */
  reaped: number;
}

/** Every live process, from one scan of `/proc` (Linux); undefined elsewhere. */
export function scanProcesses(): Map<number, ProcInfo> | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const procs = new Map<number, ProcInfo>();
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): ppid is field 4, utime 14, stime 15,
      // cutime 16, cstime 17.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(e), {
        ppid: Number(f[1]),
        self: (Number(f[11]) + Number(f[12])) / TICKS,
        reaped: (Number(f[13]) + Number(f[14])) / TICKS,
      });
    } catch {
      // gone meanwhile
    }
  }
  return procs;
}

/** The pids below `pid`, at any depth. */
export function descendantsOf(procs: Map<number, ProcInfo>, pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [p, info] of procs) children.set(info.ppid, [...(children.get(info.ppid) ?? []), p]);
  const out: number[] = [];
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/**
 * CPU seconds of a live process (own) and of everything below it. Unlike a sum over live processes
 * alone, `below` includes children that have already ended and been reaped (their parent's cutime and
 * cstime): PostgreSQL backends come and go with the connection pools, and an embedded server stopped
 * before its parent exits is counted too.
 */
export function treeCpuSecondsOf(pid: number | undefined): { own: number; below: number } | undefined {
  if (pid === undefined) return undefined;
  const procs = scanProcesses();
  const root = procs?.get(pid);
  if (!procs || !root) return undefined;
  let below = root.reaped;
  for (const p of descendantsOf(procs, pid)) below += procs.get(p)!.self + procs.get(p)!.reaped;
  return { own: root.self, below };
}

/** CPU seconds the whole machine has been busy (every process, every core), from `/proc/stat`. */
export function machineCpuSeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS;
  } catch {
    return undefined;
  }
}

/**
 * The simulators in a child process of their own (`lib/sim-runner.ts`, which `netbaron sim` would do as
 * well, but which stops only when its stdin closes), on free ports, empty until states are PUT: the
 * connector's process is then measured without the simulators' work in it.
 */
export async function startSimProcess(root: string): Promise<SimProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/sim-runner.ts'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    const found: Record<string, string> = {};
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^(MyCashflow|NetBaron) simulator:\s+(http:\/\/[\d.]+:\d+)/.exec(line);
      if (m) found[m[1]!] = m[2]!;
      if (line.startsWith('Press Ctrl-C')) resolve(found);
    });
    void exited.then(([code]) => reject(new Error(`the simulators exited early (code ${String(code)})`)));
  });
  if (!urls.MyCashflow || !urls.NetBaron) throw new Error('the simulators did not print their addresses');
  let closing = false;
  void exited.then(([code, signal]) => {
    if (!closing)
      process.stderr.write(
        `The simulators' process exited unexpectedly (code ${String(code)}, signal ${String(signal)}).\n`,
      );
  });
  return {
    mycashflow: controlOf(urls.MyCashflow),
    netbaron: controlOf(urls.NetBaron),
    peakRssMb: () => peakRssOf(child.pid),
    cpuSeconds: () => cpuSecondsOf(child.pid),
    close: async () => {
      closing = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
