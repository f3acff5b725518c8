import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../helpers/service.ts';
import { waitFor } from '../../helpers/worker-process.ts';

/*
 * `npm start` as a newcomer meets it: `serve --demo` on an empty data folder (the embedded database,
 * both simulators, a demo connection), the admin URL and first-start password printed, an import run
 * from the page, then Ctrl-C (SIGTERM here) stopping it cleanly. A second start keeps the password
 * and can still open the stored credentials.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dataDir = await mkdtemp(path.join(tmpdir(), 'nb-serve-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function serve(): Promise<{ child: ChildProcess; lines: string[]; url: string; password?: string }> {
  const child = spawn(
    process.execPath,
    ['bin/netbaron.js', 'serve', '--demo', '--products', '300', '--port', '0', '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ADMIN_PASSWORD: '', LOG_LEVEL: 'warn' },
    },
  );
  child.stderr!.resume();
  const lines: string[] = [];
  let url = '';
  let password: string | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    lines.push(line);
    url ||= /^Admin page\s+(http:\/\/\S+?)\/$/.exec(line)?.[1] ?? '';
    password ??= /^Password\s+([a-z0-9-]{23})\s/.exec(line)?.[1];
    if (line.startsWith('Ready in')) break;
  }
  child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')));
  return { child, lines, url, password };
}

async function stop(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('npm start (serve --demo) on an empty data folder', () => {
  let firstPassword = '';

  it('prints the admin URL and a first-start password, and runs a demo import from the page', async () => {
    const { child, lines, url, password } = await serve();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(password).toBeDefined();
      firstPassword = password!;
      // The key that seals the credentials: generated now, readable by the owner only.
      expect((await stat(path.join(dataDir, 'encryption.key'))).mode & 0o777).toBe(0o600);

      const admin = new AdminClient(url);
      expect((await admin.get('/')).status).toBe(303);
      await admin.signIn(firstPassword);
      const overview = await admin.get('/connections/demo');
      expect(overview.text).toContain('Fetch all products');

      const queued = await admin.post('/connections/demo/imports');
      expect(queued.status).toBe(303);
      const events = await fetch(`${url}${queued.location}/events`, {
        headers: { Cookie: admin.cookieHeader, Accept: 'text/event-stream' },
      });
      const stream = await events.text(); // The stream ends with the run.
      expect(stream).toMatch(/event: progress\n/);
      const done = /event: done\ndata: (.*)\n/.exec(stream);
      expect(done).not.toBeNull();
      const result = JSON.parse(done![1]!) as {
        runStatus: string;
        done: number;
        total: number;
        runUrl: string;
      };
      expect(result.runStatus).toBe('completed');
      expect(result.done).toBe(result.total);
      expect(result.total).toBeGreaterThan(50);
      const run = await admin.get(result.runUrl);
      expect(run.text).toContain('completed');

      // The demo's orders went to NetBaron, and the metrics say so.
      await waitFor(
        'demo orders exported',
        async () => {
          const metrics = await (await fetch(`${url}/metrics`)).text();
          return /netbaron_connector_orders\{connection="demo",state="sent"\} [1-9]/.test(metrics)
            ? metrics
            : undefined;
        },
        { timeoutMs: 20_000, everyMs: 250 },
      );
      expect((await (await fetch(`${url}/readyz`)).json()) as unknown).toEqual({
        ok: true,
        checks: { database: 'ok', queue: 'ok' },
      });
    } finally {
      expect(await stop(child)).toBe(0);
    }
    expect(lines.join('\n')).toContain('Stopping');
  }, 120_000);

  it('starts again after being killed with SIGKILL, stopping the PostgreSQL it left running', async () => {
    const first = await serve();
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const { child, url } = await serve();
    try {
      const admin = new AdminClient(url);
      await admin.signIn(firstPassword);
      expect((await admin.get('/connections/demo')).status).toBe(200);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 120_000);

  it('starts again on the same folder with the same password, and opens the stored credentials', async () => {
    const { child, url, lines } = await serve();
    try {
      expect(lines.join('\n')).toMatch(/Password\s+the one printed at the first start/);
      const admin = new AdminClient(url);
      await admin.signIn(firstPassword);
      const test = await admin.post('/connections/demo/test/netbaron');
      expect(test.text).toContain('NetBaron: connection works');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 120_000);
});
