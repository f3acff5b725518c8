import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { RequestLog as SimRequestLog } from '../../simulators/kit/request-log.ts';
import { peakRssMb, treeCpu } from './proc.ts';
import { ROOT } from './results.ts';

/** A simulator's request log: every count since the last clear, and the newest 5 000 entries in full. */
export type RequestLog = ReturnType<SimRequestLog['snapshot']>;

function control(url: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const json = { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    const res = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : json) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} on the simulator: ${res.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    url,
    call,
    putState: (state: unknown) => call('PUT', '/__sim/state', state),
    /** Every request waits this long (a fault rule on every path). */
    setLatency: (ms: number) =>
      call('PUT', '/__sim/faults', { rules: ms ? [{ path: '*', latencyMs: ms }] : [] }),
    clearRequests: () => call('DELETE', '/__sim/requests'),
    requests: async () => (await call('GET', '/__sim/requests')) as RequestLog,
  };
}
export type SimControl = ReturnType<typeof control>;
export type SimPair = { mycashflow: SimControl; netbaron: SimControl };

/**
 * Pairs of simulators (MyCashflow and NetBaron) in a child process, `sims-runner.ts`, empty until states
 * are PUT: the connector's processes are then measured without the simulators' work in them.
 */
export async function startSims(pairs = 1) {
  const args = ['--import', 'tsx', 'bench/lib/sims-runner.ts', String(pairs)];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const found: SimPair[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^pair (\d+) (\S+) (\S+)$/.exec(line);
      if (m) found[Number(m[1])] = { mycashflow: control(m[2]!), netbaron: control(m[3]!) };
      if (line === 'ready') resolve();
    });
    void exited.then(([code]) => reject(new Error(`the simulators exited (code ${String(code)})`)));
  });
  return {
    pairs: found,
    peakRssMb: () => peakRssMb(child.pid),
    /** CPU seconds of the simulators' process so far. */
    cpu: () => treeCpu(child.pid)?.own ?? NaN,
    async close() {
      child.stdin.end();
      if (child.exitCode === null) await exited;
    },
  };
}
export type Sims = Awaited<ReturnType<typeof startSims>>;
