import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// What every benchmark shares around its measurements: options, progress, checks, and its result file.

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RESULTS_DIR = path.join(ROOT, 'tmp', 'bench');
export const log = (line: string): void => void process.stderr.write(`${line}\n`);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A comma-separated option of whole numbers, each at least `min`. */
export function numbers(value: string, option: string, min = 0): number[] {
  const list = value.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < min))
    throw new Error(`--${option} takes whole numbers ≥ ${min} separated by commas, not "${value}"`);
  return list;
}

function machine() {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }).trim();
    } catch {
      return '';
    }
  };
  // Files of the connector and the simulators changed since the commit: then the commit is not all.
  const uncommitted = git('status', '--porcelain', '--', 'src', 'simulators', 'bin').split('\n');
  return {
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    uncommitted: uncommitted.filter(Boolean),
  };
}

/** The benchmark's checks, each named by what must hold; a failure says where it did not. */
export class Checks {
  private readonly list = new Map<string, string[]>();
  readonly expect = (check: string, ok: boolean, failure: string): void => {
    this.list.set(check, [...(this.list.get(check) ?? []), ...(ok ? [] : [failure])]);
  };
  results = () => [...this.list].map(([check, failures]) => ({ check, ok: failures.length === 0, failures }));
}

export interface BenchResult<Params, Row> {
  benchmark: string;
  startedAt: string;
  seconds: number;
  machine: ReturnType<typeof machine>;
  params: Params;
  rows: Row[];
  checks: ReturnType<Checks['results']>;
}

/** Writes `tmp/bench/<name>.json`, which `bench/report.ts` renders; a failed check makes the exit code 1. */
export function writeResult<P, R>(name: string, started: Date, params: P, rows: R[], checks: Checks): void {
  const seconds = Math.round((Date.now() - started.getTime()) / 1000);
  const startedAt = started.toISOString();
  const result: BenchResult<P, R> = {
    benchmark: name,
    startedAt,
    seconds,
    machine: machine(),
    params,
    rows,
    checks: checks.results(),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const failed = result.checks.flatMap((c) => c.failures);
  for (const failure of failed) log(`CHECK FAILED: ${failure}`);
  log(`${failed.length ? 'Checks failed' : 'Checks passed'}; results in tmp/bench/${name}.json`);
  if (failed.length) process.exitCode = 1;
}
