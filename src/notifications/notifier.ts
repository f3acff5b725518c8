import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { ConnectionRecord, ConnectionStore } from '../connections/connection-store.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../observability/logger.ts';
import type { ProblemGroup } from '../reports/problem-groups.ts';
import { openProblemGroups } from '../reports/problems-inbox.ts';
import type { Mailer } from './mailer.ts';
import { buildBody, notificationBodySchema, renderEmail } from './message.ts';
import {
  claimDue,
  digestDay,
  enqueueMessages,
  recordPlan,
  recordSent,
  settle,
  trackedGroups,
  type NewMessage,
  type OutboxRow,
  type SendOutcome,
} from './outbox.ts';
import { planNotifications, type Channel, type NotificationEvent } from './plan.ts';
import { postWebhook } from './webhook.ts';

export interface NotifierOptions {
  db: Kysely<Database>;
  store: ConnectionStore;
  /** Absent without SMTP_URL: e-mail is then not offered. */
  mailer?: Mailer;
  logger: Logger;
  /** The service's address for the link to the problems page (PUBLIC_URL, or where it listens). */
  publicUrl: () => string;
  /** The time as the notifications see it (tests move it to a digest's hour). */
  clock?: () => Date;
}

export interface TickResult {
  queued: number;
  delivered: number;
  retrying: number;
  failed: number;
}

export interface TestOutcome {
  channel: Channel;
  outcome: SendOutcome;
}

export const EMAIL_NOT_SET_UP =
  'E-mail needs a mail server, which whoever runs the connector sets up (SMTP_URL).';

/** Claimed and sent together; each send has its own timeouts of a few seconds. */
const BATCH = 8;

/**
 * The executor of notifications: each minute it works out, per connection, what `planNotifications`
 * says to send, records that in one transaction under the connection's lock (so two processes ticking
 * at once decide once), then sends whatever is due from the outbox and records how it went.
 */
export class Notifier {
  constructor(private readonly options: NotifierOptions) {}

  get emailAvailable(): boolean {
    return this.options.mailer !== undefined;
  }

  now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  /** The channels a connection has set up; e-mail only where the service has a mail server. */
  channelsOf(record: ConnectionRecord): Channel[] {
    const n = record.settings.notifications;
    const channels: Channel[] = [];
    if (this.options.mailer && n.recipients.length > 0) channels.push('email');
    if (n.webhookUrl && record.secretsSet.webhookSecret) channels.push('webhook');
    return channels;
  }

  problemsUrl(slug: string): string {
    return `${this.options.publicUrl()}/connections/${slug}/problems`;
  }

  async tick(): Promise<TickResult> {
    const now = this.now();
    let queued = 0;
    for (const c of await this.options.store.list()) {
      try {
        queued += await this.planConnection(c.id, now);
      } catch (err) {
        this.options.logger.warn('could not work out the notifications of a connection', {
          connection: c.slug,
          error: (err as Error).message,
        });
      }
    }
    return { queued, ...(await this.deliverDue(now)) };
  }

  private async planConnection(connectionId: string, now: Date): Promise<number> {
    const assembled = await this.options.store.assemble(connectionId);
    if (!assembled) return 0;
    const { record } = assembled;
    const missing = assembled.ok ? [] : assembled.missing;
    const channels = this.channelsOf(record);
    return this.options.db.transaction().execute(async (trx) => {
      // The groups are read under the lock: a second tick waits, then sees this one's decision.
      await sql`select pg_advisory_xact_lock(hashtext(${`notifications:${connectionId}`}))`.execute(trx);
      const current = await openProblemGroups(trx, connectionId, missing, record.credentialsUnreadable);
      const plan = planNotifications({
        tracked: await trackedGroups(trx, connectionId),
        current,
        digestOn: await digestDay(trx, connectionId),
        now,
        settings: {
          digestAt: record.settings.notifications.digestAt,
          timeZone: record.settings.schedule.timeZone,
          channels,
        },
      });
      const openedIds = await recordPlan(trx, connectionId, plan, now);
      const messages = plan.messages.flatMap((m) => {
        const body = this.body(record, m.event, m.groups, now);
        const dedupeKey =
          m.event === 'problems.digest' ? `digest:${plan.digestOn}` : `opened:${openedIds.join(',')}`;
        return channels.map((channel): NewMessage => ({
          id: randomUUID(),
          channel,
          event: m.event,
          body,
          dedupeKey,
        }));
      });
      return enqueueMessages(trx, connectionId, messages, now);
    });
  }

  private body(
    record: ConnectionRecord,
    event: NotificationEvent,
    groups: readonly ProblemGroup[],
    now: Date,
  ): string {
    return JSON.stringify(
      buildBody({
        event,
        connection: { slug: record.slug, name: record.name },
        groups,
        problemsUrl: this.problemsUrl(record.slug),
        sentAt: now,
      }),
    );
  }

  /** Sends every message that is due, a batch at a time, until none is left. */
  async deliverDue(now: Date): Promise<Omit<TickResult, 'queued'>> {
    const counts = { delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const batch = await claimDue(this.options.db, now, BATCH);
      if (batch.length === 0) return counts;
      for (const state of await Promise.all(batch.map((row) => this.attempt(row, now))))
        counts[state === 'pending' ? 'retrying' : state] += 1;
    }
  }

  private async attempt(row: OutboxRow, now: Date) {
    const record = await this.options.store.byId(row.connection_id);
    const outcome: SendOutcome = record
      ? await this.send(record, row.channel, row.event, row.body, row.id, now)
      : { ok: false, reason: 'The connection was removed.', permanent: true };
    const state = await settle(this.options.db, row, outcome, now);
    const fields = {
      connection: record?.slug,
      channel: row.channel,
      event: row.event,
      delivery: row.id,
      attempt: row.attempts,
      ...(outcome.ok ? {} : { reason: outcome.reason }),
    };
    if (state === 'delivered') this.options.logger.info('notification delivered', fields);
    else if (state === 'pending')
      this.options.logger.warn('notification not delivered; it is tried again', fields);
    else this.options.logger.error('notification not delivered; no more attempts', fields);
    return state;
  }

  private async send(
    record: ConnectionRecord,
    channel: Channel,
    event: string,
    body: string,
    deliveryId: string,
    now: Date,
  ): Promise<SendOutcome> {
    const n = record.settings.notifications;
    if (channel === 'email') {
      if (!this.options.mailer) return { ok: false, reason: EMAIL_NOT_SET_UP, permanent: true };
      if (n.recipients.length === 0)
        return { ok: false, reason: 'No e-mail address is set to send to.', permanent: true };
      const content = renderEmail(
        notificationBodySchema.parse(JSON.parse(body)),
        record.settings.schedule.timeZone,
      );
      return this.options.mailer.send(n.recipients, content);
    }
    if (!n.webhookUrl) return { ok: false, reason: 'No webhook address is set.', permanent: true };
    const secret = (await this.options.store.secrets(record.id)).webhookSecret;
    if (!secret) return { ok: false, reason: 'No signing secret is saved for the webhook.', permanent: true };
    return postWebhook({ url: n.webhookUrl, secret, body, event, deliveryId, now });
  }

  /**
   * "Send a test notification": every channel set up, at once, each outcome shown and recorded. Not
   * retried: the merchant is looking at the answer. It lists the groups open now, as a real one would.
   */
  async sendTest(record: ConnectionRecord, groups: readonly ProblemGroup[]): Promise<TestOutcome[]> {
    const now = this.now();
    const body = this.body(
      record,
      'test',
      groups.filter((g) => g.severity === 'error'),
      now,
    );
    // Addresses saved on a service without a mail server: said beside the rest, nothing to record.
    const noMailServer: TestOutcome[] =
      !this.options.mailer && record.settings.notifications.recipients.length > 0
        ? [{ channel: 'email', outcome: { ok: false, reason: EMAIL_NOT_SET_UP } }]
        : [];
    const sent = await Promise.all(
      this.channelsOf(record).map(async (channel) => {
        const message: NewMessage = { id: randomUUID(), channel, event: 'test', body, dedupeKey: null };
        const outcome = await this.send(record, channel, 'test', body, message.id, now);
        await recordSent(this.options.db, record.id, message, outcome, now);
        this.options.logger.info('test notification sent', {
          connection: record.slug,
          channel,
          delivered: outcome.ok,
          ...(outcome.ok ? {} : { reason: outcome.reason }),
        });
        return { channel, outcome };
      }),
    );
    return [...noMailServer, ...sent];
  }
}
