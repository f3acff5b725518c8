import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import { notificationBodySchema, type NotificationBody } from '../../src/notifications/message.ts';
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../helpers/notification-receivers.ts';
import {
  AdminClient,
  addConnection,
  alsoSearchFor,
  connectionFileFor,
  startStoreSims,
  startTestService,
  type TestService,
} from '../helpers/service.ts';
import { CUSTOMER, placeOrder, waitFor } from '../helpers/worker-process.ts';

/*
 * Notifications end to end: a real SMTP server and a real webhook receiver, the service in this
 * process, a problem group opened for real (an order paid with Klarna, which NetBaron does not know).
 * The notifications' clock is the test's, so the digest's hour comes without waiting a day; every
 * tick runs the same code as the minute's scheduled one.
 */

const SMTP_USER = 'connector';
const SMTP_PASSWORD = 'smtp-Pässwörd-4471';
const WEBHOOK_SECRET = 'whsec-Merchant-typed-7731-abc';
const KLARNA_KEY = 'orders:payment-method:Klarna';
const KLARNA_TITLE = (n: number) =>
  `Payment method "Klarna" is unknown to NetBaron (${n} ${n === 1 ? 'order waits' : 'orders wait'})`;

let t: TestService;
let sims: RunningSimulators;
let smtp: SmtpReceiver;
let hooks: WebhookReceiver;
let admin: AdminClient;
let connectionId: string;
// 15 January 2030, 10:00 in Helsinki (UTC+2): past the day's digest time of 08:00.
let clock = new Date('2030-01-15T08:00:00Z');

const tick = () => t.service.notifier.tick();
const hookBodies = (): NotificationBody[] =>
  hooks.requests.map((r) => notificationBodySchema.parse(JSON.parse(r.body)));
const outbox = () =>
  t.service.database.db
    .selectFrom('notifications')
    .select(['id', 'channel', 'event', 'state', 'attempts', 'last_error'])
    .where('connection_id', '=', connectionId)
    .orderBy('created_at')
    .orderBy('channel')
    .execute();
const received = (mails: number, requests: number) =>
  waitFor(`${mails} e-mails and ${requests} webhook requests`, async () =>
    smtp.messages.length >= mails && hooks.requests.length >= requests ? true : undefined,
  );

async function ledgerState(orderId: number): Promise<string | undefined> {
  const row = await t.service.database.db
    .selectFrom('order_ledger')
    .select('state')
    .where('order_id', '=', String(orderId))
    .executeTakeFirst();
  return row?.state;
}

async function setNetBaronPaymentMethods(change: (methods: string[]) => string[]): Promise<void> {
  const state = (await (await fetch(`${sims.netbaron.url}/__sim/state`)).json()) as {
    payment_methods: string[];
  };
  const put = await fetch(`${sims.netbaron.url}/__sim/state`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...state, payment_methods: change(state.payment_methods) }),
  });
  expect(put.ok).toBe(true);
}

const customerTexts = [CUSTOMER.first_name, CUSTOMER.last_name, CUSTOMER.email, CUSTOMER.street_address];

function expectNoCustomerOrSecret(text: string): void {
  for (const needle of [...customerTexts, WEBHOOK_SECRET, SMTP_PASSWORD, encodeURIComponent(SMTP_PASSWORD)])
    expect(text).not.toContain(needle);
}

beforeAll(async () => {
  smtp = await startSmtpReceiver(SMTP_USER, SMTP_PASSWORD);
  hooks = await startWebhookReceiver(WEBHOOK_SECRET);
  alsoSearchFor(WEBHOOK_SECRET);
  t = await startTestService({
    smtp: { url: smtp.url, from: 'Connector <connector@example.test>' },
    clock: () => clock,
    // Only the test's ticks, each at the clock it set: the service's own minute tick could close a group
    // at the clock before the one the test asserts.
    manualTicks: true,
  });
  sims = await startStoreSims();
  const record = await addConnection(t, connectionFileFor(sims, 'pikku-puoti', 'Pikku Puoti'));
  connectionId = record.id;
  admin = new AdminClient(t.url);
  await admin.signIn();
  const saved = await admin.post('/connections/pikku-puoti/notifications', {
    recipients: 'owner@pikkupuoti.example\nshop@pikkupuoti.example',
    webhook_url: hooks.url,
    webhook_secret: WEBHOOK_SECRET,
    digest_at: '08:00',
  });
  expect(saved.status).toBe(303);
  // Nothing is open yet: the day's digest moment (10:00 > 08:00) passes without a message.
  await tick();
});

describe('notifications of problem groups', () => {
  it('sends one e-mail and one signed webhook when a group opens, and retries a refused webhook with the same delivery id', async () => {
    expect(smtp.messages).toEqual([]);
    hooks.answerNext(500);
    const order = await placeOrder(sims, { payment_method_id: 3 });
    await waitFor('the Klarna order waiting', async () =>
      (await ledgerState(order.id)) === 'waiting' ? true : undefined,
    );
    await tick();
    await received(1, 1);

    const mail = smtp.messages[0]!;
    expect(mail.to).toEqual(['owner@pikkupuoti.example', 'shop@pikkupuoti.example']);
    expect(mail.from).toBe('connector@example.test');
    expect(mail.subject).toBe('Pikku Puoti: 1 new problem in the connector');
    expect(mail.text).toContain(`1. ${KLARNA_TITLE(1)}`);
    expect(mail.text).toContain(`Orders: ${order.id}`);
    expect(mail.text).toContain(`${t.url}/connections/pikku-puoti/problems`);
    expect(mail.html).toContain(`Orders: ${order.id}`);
    expectNoCustomerOrSecret(mail.raw);
    expectNoCustomerOrSecret(`${mail.text}${mail.html}`);

    const first = hooks.requests[0]!;
    expect(first.status).toBe(500);
    expect(first.signatureValid).toBe(true);
    expect(first.headers['x-connector-event']).toBe('problems.opened');
    expect(first.headers['content-type']).toBe('application/json');
    expect(Number(first.headers['x-connector-timestamp'])).toBe(Math.floor(clock.getTime() / 1000));
    const body = hookBodies()[0]!;
    expect(body).toMatchObject({
      event: 'problems.opened',
      connection: { slug: 'pikku-puoti', name: 'Pikku Puoti' },
      problemsUrl: `${t.url}/connections/pikku-puoti/problems`,
      sentAt: clock.toISOString(),
    });
    expect(body.groups).toEqual([
      {
        key: KLARNA_KEY,
        title: KLARNA_TITLE(1),
        fix: expect.stringContaining('Add a payment method named exactly "Klarna" in NetBaron') as string,
        count: 1,
        since: expect.any(String) as string,
        items: [String(order.id)],
      },
    ]);
    expectNoCustomerOrSecret(first.body);
    // The reason the order waits (NetBaron's list of methods) stays on the page.
    expect(first.body).not.toContain('NetBaron has');

    expect(await outbox()).toEqual([
      expect.objectContaining({ channel: 'email', state: 'delivered', attempts: 1, last_error: null }),
      expect.objectContaining({
        channel: 'webhook',
        state: 'pending',
        attempts: 1,
        last_error: 'The webhook answered 500.',
      }),
    ]);

    // A minute later the webhook is tried again: the same delivery, the same body, signed again.
    clock = new Date(clock.getTime() + 61_000);
    await tick();
    await received(1, 2);
    const again = hooks.requests[1]!;
    expect(again.status).toBe(200);
    expect(again.signatureValid).toBe(true);
    expect(again.headers['x-connector-delivery']).toBe(first.headers['x-connector-delivery']);
    expect(again.headers['x-connector-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.body).toBe(first.body);
    const rows = await outbox();
    expect(rows[1]).toMatchObject({
      state: 'delivered',
      attempts: 2,
      last_error: 'The webhook answered 500.',
    });
    expect(rows[1]!.id).toBe(first.headers['x-connector-delivery']);
  });

  it('sends nothing new at the next tick while the same group stays open', async () => {
    clock = new Date(clock.getTime() + 60_000);
    const result = await tick();
    expect(result).toEqual({ queued: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    expect(hooks.requests).toHaveLength(2);
    expect(await outbox()).toHaveLength(2);
  });

  it('sends the digest once at its time the next day, even when two ticks run at once', async () => {
    clock = new Date('2030-01-16T05:59:00Z'); // 07:59 in Helsinki
    await tick();
    expect(await outbox()).toHaveLength(2);

    clock = new Date('2030-01-16T06:00:00Z'); // 08:00 in Helsinki
    await Promise.all([tick(), tick()]);
    await received(2, 3);
    clock = new Date('2030-01-16T06:30:00Z');
    await tick();
    expect(smtp.messages).toHaveLength(2);
    expect(hooks.requests).toHaveLength(3);
    expect(smtp.messages[1]!.subject).toBe('Pikku Puoti: 1 problem is still open in the connector');
    expect(smtp.messages[1]!.text).toContain(KLARNA_TITLE(1));
    expect(hooks.requests[2]!.headers['x-connector-event']).toBe('problems.digest');
    expect(hookBodies()[2]!.groups.map((g) => g.key)).toEqual([KLARNA_KEY]);
    expect((await outbox()).filter((r) => r.event === 'problems.digest')).toHaveLength(2);
  });

  it('notifies again when a group that closed opens again', async () => {
    // The merchant adds Klarna in NetBaron and retries the group: the order goes, the group closes.
    await setNetBaronPaymentMethods((methods) => [...methods, 'Klarna']);
    await admin.get('/connections/pikku-puoti/problems');
    const retried = await admin.post('/connections/pikku-puoti/problems/retry-orders', { group: KLARNA_KEY });
    expect(retried.status).toBe(303);
    const firstOrder = Number(hookBodies()[0]!.groups[0]!.items[0]);
    await waitFor('the first Klarna order sent', async () =>
      (await ledgerState(firstOrder)) === 'sent' ? true : undefined,
    );
    clock = new Date(clock.getTime() + 60_000);
    await tick();
    const groups = await t.service.database.db
      .selectFrom('notification_groups')
      .select(['key', 'closed_at'])
      .where('connection_id', '=', connectionId)
      .execute();
    expect(groups).toEqual([{ key: KLARNA_KEY, closed_at: clock }]);
    expect(smtp.messages).toHaveLength(2);

    // Klarna disappears from NetBaron again and a new order is paid with it: the same cause, news again.
    await setNetBaronPaymentMethods((methods) => methods.filter((m) => m !== 'Klarna'));
    const order = await placeOrder(sims, { payment_method_id: 3 });
    await waitFor('the new Klarna order waiting', async () =>
      (await ledgerState(order.id)) === 'waiting' ? true : undefined,
    );
    clock = new Date(clock.getTime() + 60_000);
    await tick();
    await received(3, 4);
    expect(smtp.messages[2]!.subject).toBe('Pikku Puoti: 1 new problem in the connector');
    expect(smtp.messages[2]!.text).toContain(`Orders: ${order.id}`);
    expect(hookBodies()[3]).toMatchObject({
      event: 'problems.opened',
      groups: [{ key: KLARNA_KEY, items: [String(order.id)] }],
    });
    expect(hooks.requests.every((r) => r.signatureValid)).toBe(true);
    for (const mail of smtp.messages) expectNoCustomerOrSecret(mail.raw);
    for (const request of hooks.requests) expectNoCustomerOrSecret(request.body);
    expect(smtp.refusedSignIns).toBe(0);
  });

  it('keeps the notification settings and the signing secret when the store settings or its file are saved again', async () => {
    const store = t.service.store;
    const before = (await store.byId(connectionId))!;
    await store.saveSettings(connectionId, before.name, {
      ...before.settings,
      notifications: { recipients: [], webhookUrl: '', digestAt: '08:00' },
    });
    await store.upsertFromFile(connectionFileFor(sims, 'pikku-puoti', 'Pikku Puoti'));
    const after = (await store.byId(connectionId))!;
    expect(after.settings.notifications).toEqual(before.settings.notifications);
    expect(after.secretsSet.webhookSecret).toBe(true);
    expect(t.service.notifier.channelsOf(after)).toEqual(['email', 'webhook']);
  });

  it('shows the last notifications on the page, without any secret', async () => {
    const page = await admin.get('/connections/pikku-puoti/notifications');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Saved (hidden)');
    expect(page.text).toContain('The webhook answered 500.');
    expect(page.text).toContain('Daily digest');
    expect(page.text).not.toContain(WEBHOOK_SECRET);
    expect(page.text).not.toContain(SMTP_PASSWORD);
    expect(t.logs.join('\n')).toContain('notification delivered');
  });
});

describe('a service without a mail server', () => {
  it('says e-mail needs SMTP_URL, and the webhook still works', async () => {
    const plain = await startTestService();
    const store = await addConnection(plain, connectionFileFor(sims, 'ilman-postia', 'Ilman postia'));
    const client = new AdminClient(plain.url);
    await client.signIn();
    const page = await client.get(`/connections/${store.slug}/notifications`);
    expect(page.text).toContain(
      'E-mail needs a mail server, which whoever runs the connector sets up (SMTP_URL).',
    );
    const saved = await client.post(`/connections/${store.slug}/notifications`, {
      recipients: 'owner@ilmanpostia.example',
      webhook_url: hooks.url,
      webhook_secret: WEBHOOK_SECRET,
      digest_at: '08:00',
    });
    expect(saved.status).toBe(303);
    const before = hooks.requests.length;
    const tested = await client.post(`/connections/${store.slug}/notifications/test`);
    expect(tested.text).toContain(
      'E-mail: not delivered. E-mail needs a mail server, which whoever runs the connector sets up (SMTP_URL).',
    );
    expect(tested.text).toContain('Webhook: delivered.');
    expect(hooks.requests).toHaveLength(before + 1);
    expect(hooks.requests[before]).toMatchObject({ signatureValid: true, status: 200 });
    expect(JSON.parse(hooks.requests[before]!.body)).toMatchObject({
      event: 'test',
      connection: { slug: 'ilman-postia', name: 'Ilman postia' },
    });
  });
});
