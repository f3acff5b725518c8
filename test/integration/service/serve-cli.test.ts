import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/database.ts';
import { runNetbaron } from '../../helpers/import-cli.ts';
import { smallScenario } from '../../helpers/scenarios.ts';
import { AdminClient, connectionFileFor } from '../../helpers/service.ts';
import { useSimulators } from '../../helpers/sims.ts';
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
// The stores of the CLI-beside-serve tests.
const sims = await useSimulators(smallScenario());

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
  // A first start prints the generated password framed, after the summary: read on to the frame's end.
  let framed = false;
  let rules = 0;
  for await (const line of createInterface({ input: child.stdout! })) {
    lines.push(line);
    url ||= /^Admin page\s+(http:\/\/\S+?)\/$/.exec(line)?.[1] ?? '';
    framed ||= /^Password\s+generated at this first start/.test(line);
    password ??= /^\|\s+Admin password: ([a-z0-9-]{23})\s/.exec(line)?.[1];
    if (/^\+-+\+$/.test(line)) rules += 1;
    if (framed ? rules === 2 : line.startsWith('Ready in')) break;
  }
  child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')));
  return { child, lines, url, password };
}

/** SIGTERM, and the exit code once the process has ended and its output is read to the end ('close'). */
async function stop(child: ChildProcess): Promise<number | null> {
  const closed = once(child, 'close') as Promise<[number | null]>;
  child.kill('SIGTERM');
  const [code] = await closed;
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
        { timeoutMs: 60_000, everyMs: 250 },
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
    // Published for commands beside it; the file outlives the killed owner and the next start ignores it.
    expect((await stat(path.join(dataDir, 'pg-service.json'))).mode & 0o777).toBe(0o600);
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

/*
 * The operator's loop beside a running service: `serve` as a process on a data folder, and the CLI's
 * commands as further processes on the same folder, attaching to the service's embedded PostgreSQL.
 */
describe('the CLI beside a running serve on the same data folder', () => {
  let besideDir = '';
  let config = '';
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    DATA_DIR: besideDir,
    DATABASE_URL: '',
    ADMIN_PASSWORD: '',
    LOG_LEVEL: 'info',
  });

  beforeAll(async () => {
    besideDir = await mkdtemp(path.join(tmpdir(), 'nb-beside-'));
    config = path.join(besideDir, 'beside.json');
    await writeFile(config, JSON.stringify(connectionFileFor(sims, 'beside', 'Beside store')), 'utf8');
  });
  afterAll(() => rm(besideDir, { recursive: true, force: true }));

  const cli = (args: string[]) => runNetbaron(args, env());

  it('answers --version with the version and exit 0, an unknown flag with 64, a missing file in one line with 1', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const shown = await cli(['--version']);
    expect(shown).toMatchObject({ code: 0, stdout: `${version}\n` });
    const unknown = await cli(['connections', 'list', '--no-such-flag']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("unknown option '--no-such-flag'");
    const missing = await cli(['check', '--config', path.join(besideDir, 'missing.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^netbaron: cannot read .*missing\.json.* run the command again\.\n$/);
  }, 60_000);

  it('runs connections list, check and admin-password while serve runs, and serve keeps answering', async () => {
    // Without a service the command starts the cluster itself, as before.
    const added = await cli(['connections', 'add', '--config', config]);
    expect(added.code, added.stderr).toBe(0);

    const service = await serveMerged(besideDir, env());
    try {
      // The stored store is subscribed at start (a log line); the framed password comes after it.
      const subscribed = service.lines.findIndex((l) => l.includes('subscribed to order.created'));
      const frameTop = service.lines.findIndex((l) => /^\+-+\+$/.test(l));
      expect(subscribed).toBeGreaterThanOrEqual(0);
      expect(frameTop).toBeGreaterThan(subscribed);
      expect(frameTop).toBeGreaterThan(service.lines.findIndex((l) => l.startsWith('Ready in')));
      const password = service.lines
        .map((l) => /^\|\s+Admin password: ([a-z0-9-]{23})\s/.exec(l)?.[1])
        .find(Boolean)!;
      expect(password).toBeDefined();
      const kept = path.join(besideDir, 'initial-admin-password');
      expect((await stat(kept)).mode & 0o777).toBe(0o600);
      expect((await readFile(kept, 'utf8')).trim()).toBe(password);
      expect((await stat(path.join(besideDir, 'pg-service.json'))).mode & 0o777).toBe(0o600);

      const list = await cli(['connections', 'list']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toMatch(/^beside\tBeside store\t/m);

      // By the stored connection, as the service keeps it, and by the file: the same pre-flight.
      const stored = await cli(['check', '--connection', 'beside']);
      // Exit 2: done, but a person is needed (the small store's Klarna has no NetBaron counterpart).
      expect(stored.code, stored.stdout + stored.stderr).toBe(2);
      expect(stored.stdout).toContain('Payment method "Klarna" has no counterpart in NetBaron');
      expect(stored.stdout).toContain('An import now would create');
      const check = await cli(['check', '--config', config]);
      expect(check.code, check.stderr).toBe(2);
      expect(check.stdout).toBe(stored.stdout);

      // The first sign-in deletes the kept password.
      await new AdminClient(service.url).signIn(password);
      expect(existsSync(kept)).toBe(false);

      const reset = await cli(['admin-password']);
      expect(reset.code, reset.stderr).toBe(0);
      const fresh = /^New admin password: (\S+)$/m.exec(reset.stdout)?.[1];
      expect(fresh).toBeDefined();
      await new AdminClient(service.url).signIn(fresh);
      await expect(new AdminClient(service.url).signIn(password)).rejects.toThrow(/401/);

      // Every command above attached to the service's database and left it running.
      expect(service.child.exitCode).toBeNull();
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      expect(service.lines.join('\n')).not.toMatch(/could not start|lock file/);
    } finally {
      expect(await stop(service.child)).toBe(0);
    }
    // A clean stop unpublishes; a command now starts the cluster itself again.
    expect(existsSync(path.join(besideDir, 'pg-service.json'))).toBe(false);
    const after = await cli(['connections', 'list']);
    expect(after.code, after.stderr).toBe(0);
  }, 180_000);

  it('deletes the kept first-start password when admin-password sets a new one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'nb-reset-'));
    try {
      const service = await serveMerged(dir, { ...env(), DATA_DIR: dir });
      try {
        expect(existsSync(path.join(dir, 'initial-admin-password'))).toBe(true);
        const reset = await runNetbaron(['admin-password'], { ...env(), DATA_DIR: dir });
        expect(reset.code, reset.stderr).toBe(0);
        expect(existsSync(path.join(dir, 'initial-admin-password'))).toBe(false);
      } finally {
        expect(await stop(service.child)).toBe(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses to start serve, in one line naming the process, while a command holds the folder', async () => {
    // This test process opens the folder as a CLI command would: started itself, not published.
    const held = await openDatabase({ dataDir: besideDir });
    try {
      const refused = await runNetbaron(['serve', '--port', '0'], env());
      expect(refused.code).toBe(1);
      const lines = refused.stderr.trim().split('\n');
      expect(lines).toEqual([expect.stringContaining(`in use by process ${process.pid}`)]);
      expect(lines[0]).toContain('Wait until it ends');
    } finally {
      await held.close();
    }
  }, 120_000);
});

/**
 * `serve` with its log lines (stderr) and its output (stdout) in one stream, in the order it wrote
 * them; resolves once the framed first-start password is out (or, on a later start, "Ready in").
 */
async function serveMerged(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; lines: string[]; url: string }> {
  const child = spawn(
    '/bin/sh',
    ['-c', 'exec "$0" bin/netbaron.js serve --port 0 --data-dir "$1" 2>&1', process.execPath, dir],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const lines: string[] = [];
  let rules = 0;
  let framed = false;
  for await (const line of createInterface({ input: child.stdout! })) {
    lines.push(line);
    framed ||= /^Password\s+generated at this first start/.test(line);
    if (/^\+-+\+$/.test(line)) rules += 1;
    if (framed ? rules === 2 : line.startsWith('Ready in')) break;
  }
  child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')));
  const url = lines.map((l) => /^Admin page\s+(http:\/\/\S+?)\/$/.exec(l)?.[1]).find(Boolean);
  if (!url) throw new Error(`serve did not start:\n${lines.join('\n')}`);
  return { child, lines, url };
}
