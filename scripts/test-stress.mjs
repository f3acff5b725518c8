// The whole suite, several times in a row, while other processes burn CPU: a test that passes only on
// an idle machine fails here. `npm run test:stress [-- --runs N --burners N]`; exit 1 if any run failed.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, burners: { type: 'string', default: '2' } },
});
const runs = Number(values.runs);
const burnerCount = Number(values.burners);

const burners = Array.from({ length: burnerCount }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopBurners = () => burners.forEach((b) => b.kill('SIGKILL'));
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

mkdirSync('tmp', { recursive: true });
const rows = [];
for (let run = 1; run <= runs; run += 1) {
  const report = `tmp/stress-run-${run}.json`;
  const started = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(
      'npx',
      ['vitest', 'run', '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`],
      { stdio: 'inherit' },
    );
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  let totals = { passed: 0, failed: 0, skipped: 0 };
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    totals = {
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    };
  } catch {
    totals.failed = Number.NaN; // no report: the run itself broke
  }
  rows.push({ run, code, seconds, ...totals });
  console.log(
    `stress run ${run}/${runs} with ${burnerCount} CPU burners: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped, ${seconds} s (exit ${code})`,
  );
}
stopBurners();

console.log('\n| run | passed | failed | skipped | seconds |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.run} | ${r.passed} | ${r.failed} | ${r.skipped} | ${r.seconds} |`);
process.exit(rows.every((r) => r.code === 0 && r.failed === 0) ? 0 : 1);
