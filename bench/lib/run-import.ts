import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { peakRssOf, treeCpuSecondsOf } from './sim-process.ts';

/** The fields of the CLI's `--json` summary that the benchmark reads. */
export interface ImportSummary {
  runId: string;
  status: string;
  created: number;
  updated: number;
  unchanged: number;
  hidden: number;
  deleted: number;
  variationsDeleted: number;
  failed: number;
  problems: Array<{ code: string; reason: string }>;
  requests: { mycashflow: Record<string, number>; netbaron: Record<string, number> };
  durationMs: number;
  peakRssMb: number;
}

export interface ImportRun {
  summary: ImportSummary;
  /** From spawning the CLI to its exit: node and tsx start-up, the database start and stop included. */
  outsideMs: number;
  /** Highest `VmHWM` of the CLI process seen while polling /proc every 200 ms (Linux only). */
  polledPeakRssMb?: number;
  /**
   * CPU seconds of the CLI process and of its descendants (PostgreSQL, esbuild), last seen while
   * polling /proc every 200 ms (Linux only).
   */
  cpu?: { own: number; below: number };
  /** Run by the service: each worker process's peak resident set during this import, in MB. */
  processPeaksMb?: number[];
}

/** CLI processes still running, stopped (SIGINT: they stop their PostgreSQL) if the benchmark fails. */
const live = new Set<ChildProcess>();

export function stopRunningImports(): void {
  for (const child of live) child.kill('SIGINT');
}

function childEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL; // the embedded PostgreSQL of this data dir, never a shared server
  return env;
}

/** `node bin/netbaron.js <args>` in a child process; resolves with its stdout, rejects on a non-zero exit. */
export async function runCli(
  root: string,
  args: string[],
  dataDir: string,
): Promise<{
  stdout: string;
  outsideMs: number;
  polledPeakRssMb?: number;
  cpu?: { own: number; below: number };
}> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/netbaron.js', ...args], {
    cwd: root,
    env: childEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const exited = once(child, 'exit');
  void exited.then(() => live.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let polled: number | undefined;
  // The last figure before the exit: PostgreSQL, stopped and reaped by then, is in the CLI's `below`.
  let cpu: { own: number; below: number } | undefined;
  const poll = setInterval(() => {
    const now = peakRssOf(child.pid);
    if (now !== undefined) polled = Math.max(polled ?? 0, now);
    cpu = treeCpuSecondsOf(child.pid) ?? cpu;
  }, 200);
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  clearInterval(poll);
  const outsideMs = performance.now() - started;
  if (code !== 0)
    throw new Error(
      `netbaron ${args[0]} exited with ${code ?? signal}:\n${stderr.slice(-4000)}\n${stdout.slice(-2000)}`,
    );
  return {
    stdout,
    outsideMs,
    ...(polled === undefined ? {} : { polledPeakRssMb: polled }),
    ...(cpu === undefined ? {} : { cpu }),
  };
}

export async function runImport(root: string, configFile: string, dataDir: string): Promise<ImportRun> {
  const { stdout, ...rest } = await runCli(
    root,
    ['import-products', '--config', configFile, '--json'],
    dataDir,
  );
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`import-products printed no summary:\n${stdout.slice(-2000)}`);
  return { summary: JSON.parse(stdout.slice(start)) as ImportSummary, ...rest };
}
