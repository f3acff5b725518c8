import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startSimulators, type RunningSimulators, type Scenario } from '../../simulators/scenario.ts';
import { parseConnection, type ConnectionFile } from '../../src/config/connection-file.ts';
import type { ConnectionRecord } from '../../src/connections/connection-store.ts';
import { createKysely } from '../../src/db/database.ts';
import { QUEUES } from '../../src/jobs/queue.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startService, type RunningService } from '../../src/server/service.ts';
import { MCF_USER, NB_ORDERS_PASSWORD, NB_ORG, NB_PRODUCTS_PASSWORD, smallScenario } from './scenarios.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export const ADMIN_PASSWORD = 'test-admin-password-4711';

export interface TestService {
  service: RunningService;
  url: string;
  /** Every log line the service wrote, as JSON text. */
  logs: string[];
  dataDir: string;
}

/**
 * The whole service in this process, on a database of its own (a clone per test file), with a known
 * admin password and every log line kept for inspection. Stopped when the file ends.
 */
export async function startTestService(
  options: {
    pollCron?: string;
    database?: TestDatabase;
    dataDir?: string;
    trustProxy?: number;
    /** A mail server for notifications (its password is then searched for like the other credentials). */
    smtp?: { url: string; from: string };
    /** The notifications' clock. */
    clock?: () => Date;
    /**
     * Automatic product updates and notifications are worked out only when the test calls
     * `scheduler.tick()` or `notifier.tick()`: the service's own minute ticks are not worked, so that
     * one cannot land between what a test sets up and the tick whose outcome it asserts.
     */
    manualTicks?: boolean;
  } = {},
): Promise<TestService & { database: TestDatabase }> {
  // A restart in a test passes the first service's database and folder (its key file) again.
  const testDb = options.database ?? (await createTestDatabase());
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'nb-service-')));
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const db = createKysely(testDb.url, 16);
  const service = await startService({
    env: {
      DATA_DIR: dataDir,
      PORT: 0,
      HOST: '127.0.0.1',
      ADMIN_PASSWORD,
      COOKIE_SECURE: 'auto',
      TRUST_PROXY: options.trustProxy ?? 0,
      ...(options.smtp ? { SMTP_URL: options.smtp.url, MAIL_FROM: options.smtp.from } : {}),
    },
    logger,
    database: { db, mode: 'shared', url: testDb.url, appliedMigrations: [], close: () => db.destroy() },
    pollCron: options.pollCron,
    clock: options.clock,
  });
  if (options.manualTicks)
    for (const queue of [QUEUES.scheduleTick, QUEUES.notificationTick]) await service.boss.offWork(queue);
  if (options.smtp) {
    const password = decodeURIComponent(new URL(options.smtp.url).password);
    if (password) alsoSearchFor(password, options.smtp.url);
  }
  afterAll(async () => {
    // Every service of every test file is searched for credentials before it goes.
    await assertNoCredentialShown(service, logs);
    await service.stop();
    await db.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);
  return { service, url: service.url, logs, dataDir, database: testDb };
}

/** Every response any AdminClient of this test file received: searched for credentials at the end. */
const seenResponses: string[] = [];

/** How much response text the AdminClients of this file have received (so a search is not of nothing). */
export const seenResponseBytes = (): number => seenResponses.reduce((n, text) => n + text.length, 0);

/** Credentials a test file adds (an SMTP password, a webhook's signing secret): searched for too. */
const moreNeedles: string[] = [];

export function alsoSearchFor(...secrets: string[]): void {
  moreNeedles.push(...secrets);
}

/** The credentials of the test scenarios, and their HTTP Basic encoding, as they must never appear. */
export function credentialNeedles(): string[] {
  const basic = (user: string, secret: string) => Buffer.from(`${user}:${secret}`).toString('base64');
  return [
    MCF_USER.api_key,
    NB_PRODUCTS_PASSWORD,
    NB_ORDERS_PASSWORD,
    ADMIN_PASSWORD,
    basic(MCF_USER.email, MCF_USER.api_key),
    basic(NB_ORG, NB_PRODUCTS_PASSWORD),
    basic(NB_ORG, NB_ORDERS_PASSWORD),
    ...moreNeedles,
  ];
}

/** Logs, responses and every stored text column that could hold one: none may show a credential. */
export async function assertNoCredentialShown(service: RunningService, logs: string[]): Promise<void> {
  const db = service.database.db;
  const stored = JSON.stringify([
    await db.selectFrom('connections').selectAll().execute(),
    await db.selectFrom('import_runs').select(['settings', 'summary', 'error']).execute(),
    await db.selectFrom('import_problems').select(['reason']).execute(),
    await db.selectFrom('order_ledger').select(['reason', 'netbaron_answer', 'sent_document']).execute(),
    await db.selectFrom('order_events').select(['detail']).execute(),
    await db.selectFrom('notifications').select(['body', 'last_error']).execute(),
  ]);
  const places = { logs: logs.join('\n'), responses: seenResponses.join('\n'), database: stored };
  for (const [where, text] of Object.entries(places))
    for (const needle of credentialNeedles())
      if (text.includes(needle)) throw new Error(`a credential appears in the ${where} of the service`);
}

/** A pair of simulators seeded with the small scenario (or another), closed when the file ends. */
export async function startStoreSims(scenario: Scenario = smallScenario()): Promise<RunningSimulators> {
  const sims = await startSimulators({ scenario });
  afterAll(() => sims.close());
  return sims;
}

/** A connection file for the small scenario's credentials at these simulators. */
export function connectionFileFor(sims: RunningSimulators, id: string, name = id): ConnectionFile {
  return parseConnection({
    id,
    name,
    mycashflow: { baseUrl: `${sims.mycashflow.url}/api/v1`, user: MCF_USER.email, apiKey: MCF_USER.api_key },
    netbaron: {
      baseUrl: sims.netbaron.url,
      organisation: NB_ORG,
      productApiPassword: NB_PRODUCTS_PASSWORD,
      orderApiPassword: NB_ORDERS_PASSWORD,
      marketplace: '3',
    },
    productImport: { mode: 'import-new', updateDescriptions: true },
    orderExport: { storeContact: { company: 'Testikauppa Oy', business_id: '1234567-8' } },
  });
}

export async function addConnection(t: TestService, file: ConnectionFile): Promise<ConnectionRecord> {
  const record = await t.service.store.upsertFromFile(file);
  await t.service.context.subscribeWebhooks(record.id);
  return record;
}

/** A signed-in admin over plain HTTP: cookies kept, redirects not followed, the CSRF token at hand. */
export class AdminClient {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: string,
    path: string,
    init: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookies.size ? { Cookie: this.cookieHeader } : {}),
        ...(init.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        ...init.headers,
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    this.keep(res);
    const text = await res.text();
    seenResponses.push(text);
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrf = token[1]!;
    return { status: res.status, location: res.headers.get('location'), text, headers: res.headers };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  /** A form post with this session's CSRF token (unless the form names its own). */
  post(path: string, form: Record<string, string> = {}) {
    return this.request('POST', path, { form: { _csrf: this.csrf, ...form } });
  }

  async signIn(password = ADMIN_PASSWORD): Promise<void> {
    await this.get('/sign-in');
    const answer = await this.post('/sign-in', { password, next: '/' });
    if (answer.status !== 303) throw new Error(`sign-in failed with ${answer.status}`);
    await this.get('/');
  }
}
