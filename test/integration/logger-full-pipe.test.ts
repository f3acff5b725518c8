import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LINES = 20_000;

/*
 * A process whose stderr reader falls behind (a log collector, a supervisor, a test under load) must
 * not die of it: found when `serve --role web` exited with EAGAIN from the logger during a webhook
 * flood on a busy machine.
 */
const CHILD = `
  import { createLogger } from './src/observability/logger.ts';
  // Touching process.stderr makes Node put a piped stderr in non-blocking mode, as the CLI does.
  void process.stderr.isTTY;
  const logger = createLogger({ level: 'info', format: 'json' });
  for (let i = 0; i < ${LINES}; i++) logger.info('line', { i, pad: 'x'.repeat(200) });
  process.stdout.write('done\\n');
`;

describe('the logger on a full stderr pipe', () => {
  it('waits for the reader instead of crashing, and loses no line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Nobody reads stderr for a second: the pipe (64 KiB) fills many times over meanwhile.
    child.stderr.pause();
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (stdout.includes('done') || child.exitCode !== null) {
          clearInterval(check);
          resolve();
        }
      }, 50);
      setTimeout(() => child.stderr.resume(), 1_000);
    });
    const code = await closed;
    expect(code).toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(LINES);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'line', i: LINES - 1 });
  });
});
