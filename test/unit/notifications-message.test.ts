import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { mailFailureWords } from '../../src/notifications/mailer.ts';
import {
  buildBody,
  ITEMS_IN_MESSAGE,
  notificationBodySchema,
  renderEmail,
} from '../../src/notifications/message.ts';
import { retryDelayMs, MAX_ATTEMPTS } from '../../src/notifications/outbox.ts';
import { webhookUrlProblem } from '../../src/config/notification-settings.ts';
import { signBody, verifySignature } from '../../src/notifications/signature.ts';
import type { ProblemGroup } from '../../src/reports/problem-groups.ts';
import { readNotificationsForm } from '../../src/server/forms/notifications-form.ts';

const CUSTOMER_DETAIL = 'Åsa Öberg, Kotitie 3, 00200 Helsinki, asa@example.com';
const NETBARON_WORDS = 'UNKNOWN_PAYMENT_METHOD: NetBaron has: "Paytrail", "Lasku"';

const klarna: ProblemGroup = {
  key: 'orders:payment-method:Klarna',
  area: 'orders',
  severity: 'error',
  title: 'Payment method "Klarna" is unknown to NetBaron (25 orders wait)',
  fix: 'Add a payment method named exactly "Klarna" in NetBaron, then retry these orders.',
  count: 25,
  items: Array.from({ length: 25 }, (_, i) => ({
    label: String(10001 + i),
    link: `/orders/${10001 + i}`,
    detail: i % 2 ? CUSTOMER_DETAIL : NETBARON_WORDS,
  })),
  since: new Date('2026-01-15T08:23:00Z'),
  action: { label: 'Retry these 25 orders', path: '/problems/retry-orders', fields: { group: 'x' } },
};

const writes: ProblemGroup = {
  key: 'catalog:write-failed:set-stock:409',
  area: 'catalog',
  severity: 'error',
  title: 'MyCashflow refused 2 stock changes (409) <script>alert(1)</script>',
  fix: 'Check these codes in MyCashflow & retry them.',
  count: 2,
  items: [
    { label: 'KAHVI-1', detail: 'conflict: Åsa Öberg' },
    { label: 'TS-100-M', detail: 'conflict' },
  ],
  since: new Date('2026-01-15T09:00:00Z'),
};

const body = buildBody({
  event: 'problems.opened',
  connection: { slug: 'pikku-puoti', name: 'Pikku Puoti' },
  groups: [klarna, writes],
  problemsUrl: 'https://connector.example.fi/connections/pikku-puoti/problems',
  sentAt: new Date('2026-01-15T10:00:00Z'),
});

describe('the message of a notification', () => {
  it('carries each group in the webhook shape, labels only, at most 20 of them', () => {
    expect(notificationBodySchema.parse(body)).toEqual(body);
    expect(body.groups[0]).toEqual({
      key: 'orders:payment-method:Klarna',
      title: klarna.title,
      fix: klarna.fix,
      count: 25,
      since: '2026-01-15T08:23:00.000Z',
      items: Array.from({ length: ITEMS_IN_MESSAGE }, (_, i) => String(10001 + i)),
    });
    expect(body.problemsUrl).toBe('https://connector.example.fi/connections/pikku-puoti/problems');
    expect(body.sentAt).toBe('2026-01-15T10:00:00.000Z');
  });

  it("never carries an item's detail (a customer's details, NetBaron's words) nor the page's links and actions", () => {
    const email = renderEmail(body, 'Europe/Helsinki');
    for (const text of [JSON.stringify(body), email.subject, email.text, email.html]) {
      expect(text).not.toContain('Åsa');
      expect(text).not.toContain('asa@example.com');
      expect(text).not.toContain('Kotitie');
      expect(text).not.toContain('UNKNOWN_PAYMENT_METHOD');
      expect(text).not.toContain('Retry these 25 orders');
    }
  });

  it('is an e-mail naming the store, with a plain-text part and an escaped HTML part', () => {
    const email = renderEmail(body, 'Europe/Helsinki');
    expect(email.subject).toBe('Pikku Puoti: 2 new problems in the connector');
    expect(email.text).toContain('These 2 problems have just appeared in the connector of Pikku Puoti.');
    expect(email.text).toContain(`1. ${klarna.title}\n   What to do: ${klarna.fix}`);
    expect(email.text).toContain(
      'Orders: 10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009, 10010, 10011, 10012, 10013, 10014, 10015, 10016, 10017, 10018, 10019, 10020 and 5 more',
    );
    expect(email.text).toContain('Since: 2026-01-15 10:23 (Europe/Helsinki)');
    expect(email.text).toContain('Affects: KAHVI-1, TS-100-M\n');
    expect(email.text).toContain(
      'See every problem: https://connector.example.fi/connections/pikku-puoti/problems',
    );
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Check these codes in MyCashflow &amp; retry them.');
    expect(email.html).toContain('href="https://connector.example.fi/connections/pikku-puoti/problems"');
  });

  it('words the digest and the test in their own way', () => {
    const digest = { ...body, event: 'problems.digest' as const, groups: body.groups.slice(0, 1) };
    expect(renderEmail(digest, 'Europe/Helsinki').subject).toBe(
      'Pikku Puoti: 1 problem is still open in the connector',
    );
    const test = { ...body, event: 'test' as const, groups: [] };
    const email = renderEmail(test, 'Europe/Helsinki');
    expect(email.subject).toBe('Pikku Puoti: a test notification from the connector');
    expect(email.text).toContain('No problem is open right now.');
  });
});

describe('the webhook signature', () => {
  it('is sha256= and the hex HMAC-SHA256 of the exact body under the secret', () => {
    const secret = 'a-signing-secret-of-the-merchant';
    const text = JSON.stringify(body);
    const expected = createHmac('sha256', secret).update(text).digest('hex');
    expect(signBody(secret, text)).toBe(`sha256=${expected}`);
    expect(signBody('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
    expect(verifySignature(secret, text, `sha256=${expected}`)).toBe(true);
    expect(verifySignature(secret, `${text} `, `sha256=${expected}`)).toBe(false);
    expect(verifySignature('another-secret-entirely', text, `sha256=${expected}`)).toBe(false);
    expect(verifySignature(secret, text, undefined)).toBe(false);
    expect(signBody(secret, text)).not.toContain(secret);
  });
});

describe('retries', () => {
  it('tries seven times over about an hour', () => {
    const waits = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1));
    const minutes = waits.reduce((a, b) => a + b, 0) / 60_000;
    expect(minutes).toBeGreaterThanOrEqual(45);
    expect(minutes).toBeLessThanOrEqual(75);
  });
});

describe('failures in plain words', () => {
  it('tells what failed, never the server text', () => {
    expect(
      mailFailureWords({ code: 'EAUTH', responseCode: 535, message: 'Invalid login: 535 user pw' }),
    ).toBe('The mail server refused the sign-in: tell whoever runs the connector.');
    expect(mailFailureWords({ code: 'ESOCKET' })).toBe('The mail server could not be reached.');
    expect(mailFailureWords({ code: 'EENVELOPE', responseCode: 550 })).toBe(
      'The mail server refused the recipients (550).',
    );
    expect(mailFailureWords(new Error('who knows'))).toBe('The e-mail could not be sent.');
  });
});

describe('settings of notifications', () => {
  it('takes https webhook addresses, and http only to this machine', () => {
    expect(webhookUrlProblem('https://hooks.example.fi/connector')).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:9000/x')).toBeUndefined();
    expect(webhookUrlProblem('http://localhost/x')).toBeUndefined();
    expect(webhookUrlProblem('http://hooks.example.fi/x')).toMatch(/must start with https/);
    expect(webhookUrlProblem('https://user:pw@hooks.example.fi/x')).toMatch(
      /Leave the user name and password out/,
    );
    expect(webhookUrlProblem('hooks.example.fi')).toMatch(/full address/);
  });

  it('reads the form with a message beside each wrong field, keeping the input but never the secret', () => {
    const secret = 'typed-but-too-short';
    const wrong = readNotificationsForm(
      {
        recipients: 'owner@pikkupuoti.fi\nnot-an-address',
        webhook_url: 'http://hooks.example.fi/x',
        webhook_secret: secret.slice(0, 8),
        digest_at: '25:00',
      },
      false,
    );
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.errors).toEqual({
      recipients: '"not-an-address" is not an e-mail address. Enter one address per line.',
      webhook_url: 'The address must start with https:// (plain http only to this machine itself).',
      webhook_secret: 'Make the signing secret at least 16 characters long.',
      digest_at: 'Give the time as HH:MM, such as 08:00.',
    });
    expect(wrong.values).toEqual({
      recipients: 'owner@pikkupuoti.fi\nnot-an-address',
      webhookUrl: 'http://hooks.example.fi/x',
      digestAt: '25:00',
    });
    expect(JSON.stringify(wrong)).not.toContain(secret.slice(0, 8));

    const right = readNotificationsForm(
      {
        recipients: 'owner@pikkupuoti.fi, shop@pikkupuoti.fi; owner@pikkupuoti.fi',
        webhook_url: 'https://hooks.example.fi/x',
        webhook_secret: '',
        digest_at: '07:30',
      },
      true,
    );
    expect(right).toEqual({
      ok: true,
      settings: {
        recipients: ['owner@pikkupuoti.fi', 'shop@pikkupuoti.fi'],
        webhookUrl: 'https://hooks.example.fi/x',
        digestAt: '07:30',
      },
      clearSecret: false,
    });
    const noWebhook = readNotificationsForm({ recipients: '', webhook_url: '', digest_at: '08:00' }, true);
    expect(noWebhook).toMatchObject({ ok: true, clearSecret: true });
    const secretWithoutAddress = readNotificationsForm(
      { webhook_url: '', webhook_secret: 'a-long-enough-signing-secret', digest_at: '08:00' },
      false,
    );
    expect(secretWithoutAddress.ok).toBe(false);
  });

  it('validates SMTP_URL and MAIL_FROM at start, without repeating the password', () => {
    const env = readEnv({
      SMTP_URL: 'smtps://mailer:p%40ss@mail.example.fi:465',
      MAIL_FROM: 'Connector <c@example.fi>',
    });
    expect(env.SMTP_URL).toBe('smtps://mailer:p%40ss@mail.example.fi:465');
    let message = '';
    try {
      readEnv({ SMTP_URL: 'http://mailer:hunter2-secret@mail.example.fi' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/SMTP_URL: SMTP_URL must be the mail server as smtp:\/\//);
    expect(message).not.toContain('hunter2');
    expect(() => readEnv({ SMTP_URL: 'smtp://mail.example.fi:587' })).toThrow(
      /MAIL_FROM: MAIL_FROM is needed with SMTP_URL/,
    );
    expect(() => readEnv({ SMTP_URL: 'smtp://mail.example.fi', MAIL_FROM: 'a@b\r\nBcc: x@y' })).toThrow(
      /MAIL_FROM must be the sender of notifications/,
    );
  });
});
