import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import {
  clickAndLoad as clickAndLoadIn,
  launchBrowser,
  poll,
  signIn,
  textOf as text,
  type TestBrowser,
} from '../helpers/browser.ts';
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../helpers/notification-receivers.ts';
import {
  ADMIN_PASSWORD,
  addConnection,
  alsoSearchFor,
  connectionFileFor,
  startStoreSims,
  startTestService,
  type TestService,
} from '../helpers/service.ts';
import { placeOrder } from '../helpers/worker-process.ts';

/*
 * The Notifications page in real Chromium: the merchant fills it in (a mistake first, shown beside its
 * field), sends a test that a real SMTP server and a real webhook receiver get, and then a problem
 * group opening reaches both; the page lists what was sent and how it went.
 */

const SMTP_PASSWORD = 'smtp-browser-pw-9921';
const WEBHOOK_SECRET = 'whsec-browser-typed-5530-xyz';

let t: TestService;
let sims: RunningSimulators;
let smtp: SmtpReceiver;
let hooks: WebhookReceiver;
let b: TestBrowser;
let page: Page;
let base: string;

const clickAndLoad = (target: Locator) => clickAndLoadIn(page, target);
const testResult = () => page.locator('#test-result');

beforeAll(async () => {
  smtp = await startSmtpReceiver('connector', SMTP_PASSWORD);
  hooks = await startWebhookReceiver(WEBHOOK_SECRET);
  alsoSearchFor(WEBHOOK_SECRET);
  // A fixed clock, past the day's digest time (10:00 in Helsinki): no digest comes in the middle of the test.
  const now = new Date('2030-01-15T08:00:00Z');
  t = await startTestService({
    smtp: { url: smtp.url, from: 'Connector <connector@example.test>' },
    clock: () => now,
  });
  sims = await startStoreSims();
  const record = await addConnection(t, connectionFileFor(sims, 'pikku-puoti', 'Pikku Puoti'));
  base = `${t.url}/connections/${record.slug}`;
  b = await launchBrowser();
  page = b.page;
  await signIn(page, t.url, ADMIN_PASSWORD);
});

describe('the Notifications page, in Chromium', () => {
  it('is the tab right after Settings, and shows a mistake beside its field with the input kept', async () => {
    await page.goto(base);
    const tabs = await page.locator('nav.tabs a').allTextContents();
    expect(tabs.slice(0, 3).map((s) => s.trim())).toEqual(['Overview', 'Settings', 'Notifications']);
    await clickAndLoad(page.locator('nav.tabs a', { hasText: 'Notifications' }));
    expect(new URL(page.url()).pathname).toBe('/connections/pikku-puoti/notifications');
    expect(await text(page.locator('#recent-notifications, main p.muted').last())).toBe(
      'No notification has been sent yet.',
    );

    await page.getByLabel('Send to').fill('owner@pikkupuoti.example\nowner-at-pikkupuoti');
    await page.getByLabel('Address').fill(hooks.url);
    await page.getByLabel('Signing secret').fill(WEBHOOK_SECRET);
    await clickAndLoad(page.getByRole('button', { name: 'Save notification settings' }));
    expect(await text(page.getByRole('alert'))).toBe(
      'Some settings need fixing; nothing was saved. See the messages below.',
    );
    expect(await text(page.locator('#recipients-error'))).toBe(
      '"owner-at-pikkupuoti" is not an e-mail address. Enter one address per line.',
    );
    expect(await page.getByLabel('Send to').inputValue()).toBe(
      'owner@pikkupuoti.example\nowner-at-pikkupuoti',
    );
    expect(await page.getByLabel('Address').inputValue()).toBe(hooks.url);
    // The secret is never put back into the page.
    expect(await page.getByLabel('Signing secret').inputValue()).toBe('');
    expect(await page.content()).not.toContain(WEBHOOK_SECRET);
  });

  it('saves the settings, keeps the secret hidden, and sends a test that both ends receive', async () => {
    await page.getByLabel('Send to').fill('owner@pikkupuoti.example');
    await page.getByLabel('Signing secret').fill(WEBHOOK_SECRET);
    await page.getByLabel('Time of day').fill('07:30');
    await clickAndLoad(page.getByRole('button', { name: 'Save notification settings' }));
    expect(await text(page.getByRole('status'))).toBe('Notification settings saved.');
    expect(await text(page.locator('#webhook_secret').locator('xpath=preceding-sibling::p[1]'))).toBe(
      'Saved (hidden). Leave empty to keep it; type a new one to replace it.',
    );
    expect(await page.getByLabel('Time of day').inputValue()).toBe('07:30');

    await clickAndLoad(page.getByRole('button', { name: 'Send a test notification' }));
    expect(await text(testResult())).toBe('Test notification E-mail: delivered. Webhook: delivered.');
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.subject).toBe('Pikku Puoti: a test notification from the connector');
    expect(smtp.messages[0]!.to).toEqual(['owner@pikkupuoti.example']);
    expect(hooks.requests).toHaveLength(1);
    expect(hooks.requests[0]!.headers['x-connector-event']).toBe('test');
    expect(hooks.requests[0]!.signatureValid).toBe(true);
  });

  it('sends a group that opens to both, lists it, and says in plain words why a test did not arrive', async () => {
    const order = await placeOrder(sims, { payment_method_id: 3 });
    await poll(
      'the new problem in both places',
      async () => {
        await t.service.notifier.tick();
        return smtp.messages.length === 2 && hooks.requests.length === 2 ? true : undefined;
      },
      { timeoutMs: 20_000, everyMs: 250 },
    );
    expect(smtp.messages[1]!.subject).toBe('Pikku Puoti: 1 new problem in the connector');
    expect(smtp.messages[1]!.text).toContain(`Orders: ${order.id}`);
    expect(hooks.requests[1]!.headers['x-connector-event']).toBe('problems.opened');
    expect(hooks.requests[1]!.signatureValid).toBe(true);

    hooks.answerNext(500);
    await page.goto(`${base}/notifications`);
    await clickAndLoad(page.getByRole('button', { name: 'Send a test notification' }));
    expect(await text(testResult())).toBe(
      'Test notification E-mail: delivered. Webhook: not delivered. The webhook answered 500.',
    );
    const rows = page.locator('#recent-notifications tbody tr');
    expect(await rows.count()).toBe(6);
    const cells = async (i: number) =>
      (await rows.nth(i).locator('td').allTextContents()).map((c) => c.trim());
    const all = await Promise.all([0, 1, 2, 3, 4, 5].map(cells));
    expect(all.map((r) => r.slice(1))).toEqual(
      expect.arrayContaining([
        ['Webhook', 'Test', 'failed', '1', 'The webhook answered 500.'],
        ['E-mail', 'Test', 'delivered', '1', ''],
        ['E-mail', 'New problems', 'delivered', '1', ''],
        ['Webhook', 'New problems', 'delivered', '1', ''],
      ]),
    );
    await b.screenshot('notifications');
    expect(await page.content()).not.toContain(WEBHOOK_SECRET);
    expect(await page.content()).not.toContain(SMTP_PASSWORD);
  });

  it('ran every page without a script error', () => {
    // Expected: the form refused with its mistake (422), nothing else.
    const expected = [/status of 422 .*\/notifications\)$/];
    expect(b.pageErrors.filter((e) => !expected.some((r) => r.test(e)))).toEqual([]);
  });
});
