import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

// What every benchmark shares around its measurements: options, progress, statistics, checks, its result file.

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RESULTS_DIR = path.join(ROOT, 'tmp', 'bench');
export const log = (line: string): void => void process.stderr.write(`${line}\n`);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const nowMs = (): number => performance.timeOrigin + performance.now();

/** An option's default (a number: one whole number; a string: a list), the least number, the words allowed. */
type Option = readonly [fallback: number | string, min: number, ...words: string[]];
type Value<O extends Option> = O extends readonly [number, number, ...string[]]
  ? number
  : Array<number | (O extends readonly [unknown, number, ...infer W extends string[]] ? W[number] : never)>;

/** The command line's `--name value` options, each a whole number, or numbers and words separated by commas. */
export function options<const S extends Record<string, Option>>(spec: S): { [K in keyof S]: Value<S[K]> } {
  const { values } = parseArgs({
    options: Object.fromEntries(Object.keys(spec).map((name) => [name, { type: 'string' as const }])),
  });
  const parse = ([name, [fallback, min, ...words]]: [string, Option]) => {
    const value = String(values[name] ?? fallback);
    const list = value.split(',').map((v) => (words.includes(v) ? v : Number(v)));
    const one = typeof fallback === 'number';
    const bad = (v: string | number) => typeof v === 'number' && !(Number.isInteger(v) && v >= min);
    if ((one && list.length > 1) || list.some(bad)) {
      const what = one ? 'a whole number' : 'whole numbers separated by commas';
      throw new Error(
        `--${name} takes ${what} ≥ ${min}${words.map((w) => ` or ${w}`).join('')}, not "${value}"`,
      );
    }
    return [name, one ? list[0] : list];
  };
  return Object.fromEntries(Object.entries(spec).map(parse)) as { [K in keyof S]: Value<S[K]> };
}

/**
 * Percentiles in ms, nearest rank. `missing` samples are known to be larger than every value (orders
 * not exported by the end of a run): a percentile that falls among them is null, shown as "> drain"
 * (JSON has no Infinity). No samples at all leave the fields out.
 */
export type Distribution = { n: number; missing: number } & {
  [p in 'p50' | 'p95' | 'p99' | 'max']?: number | null;
};

export function distribution(values: readonly number[], missing = 0): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.length + missing;
  const at = (p: number) => sorted[Math.max(1, Math.ceil((p / 100) * total)) - 1] ?? null;
  if (total === 0) return { n: 0, missing: 0 };
  return { n: sorted.length, missing, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

function machine() {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
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

export interface BenchResult<Params, Row> {
  benchmark: string;
  startedAt: string;
  seconds: number;
  machine: ReturnType<typeof machine>;
  params: Params;
  rows: Row[];
  checks: Array<{ check: string; ok: boolean; failures: string[] }>;
}

/** A benchmark's rows and checks (each named by what must hold; a failure says where it did not). */
export function benchResult<Row>(benchmark: string, params: object) {
  const [started, rows, checks] = [new Date(), [] as Row[], new Map<string, string[]>()];
  return {
    rows,
    expect(check: string, ok: boolean, failure: string): void {
      checks.set(check, [...(checks.get(check) ?? []), ...(ok ? [] : [failure])]);
    },
    /** Writes `tmp/bench/<benchmark>.json`, which `bench/report.ts` renders; a failed check makes the exit code 1. */
    write(): void {
      const result: BenchResult<object, Row> = {
        benchmark,
        startedAt: started.toISOString(),
        seconds: Math.round((Date.now() - started.getTime()) / 1000),
        machine: machine(),
        params,
        rows,
        checks: [...checks].map(([check, failures]) => ({ check, ok: failures.length === 0, failures })),
      };
      mkdirSync(RESULTS_DIR, { recursive: true });
      writeFileSync(path.join(RESULTS_DIR, `${benchmark}.json`), `${JSON.stringify(result, null, 2)}\n`);
      const failed = result.checks.flatMap((c) => c.failures);
      for (const failure of failed) log(`CHECK FAILED: ${failure}`);
      log(`${failed.length ? 'Checks failed' : 'Checks passed'}; results in tmp/bench/${benchmark}.json`);
      if (failed.length) process.exitCode = 1;
    },
  };
}
