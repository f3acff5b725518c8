import { sql, type Kysely } from 'kysely';
import type { Database, NotificationState } from '../db/schema.ts';
import type { Channel, NotificationPlan, TrackedGroup } from './plan.ts';

/*
 * The notification tables: the groups open at the last tick, each connection's digest day, and the
 * outbox. A message is claimed before it is sent (attempts + 1, due again only after a lease), so two
 * processes never send one message at once, and one whose process died is sent again later.
 */

type Db = Kysely<Database>;

export type SendOutcome = { ok: true } | { ok: false; reason: string; permanent?: boolean };

/** Seven attempts: at once, then after 1, 2, 4, 8, 16 and 32 minutes (about an hour in all). */
export const MAX_ATTEMPTS = 7;
export const retryDelayMs = (attempt: number): number => 60_000 * 2 ** (attempt - 1);
/** A claimed message neither delivered nor failed after this long is due again (its process died). */
const LEASE_MS = 2 * 60_000;

export interface OutboxRow {
  id: string;
  connection_id: string;
  channel: Channel;
  event: string;
  body: string;
  attempts: number;
}

export interface NewMessage {
  id: string;
  channel: Channel;
  event: string;
  body: string;
  dedupeKey: string | null;
}

export async function trackedGroups(db: Db, connectionId: string): Promise<TrackedGroup[]> {
  const rows = await db
    .selectFrom('notification_groups')
    .select(['key', 'opened_at'])
    .where('connection_id', '=', connectionId)
    .where('closed_at', 'is', null)
    .execute();
  return rows.map((r) => ({ key: r.key, openedAt: r.opened_at }));
}

export async function digestDay(db: Db, connectionId: string): Promise<string | null> {
  const row = await db
    .selectFrom('notification_state')
    .select('digest_on')
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  return row?.digest_on ?? null;
}

/** Records the plan's openings, closings and digest day; the ids of the rows of the groups opened. */
export async function recordPlan(
  db: Db,
  connectionId: string,
  plan: NotificationPlan,
  now: Date,
): Promise<string[]> {
  if (plan.closed.length > 0)
    await db
      .updateTable('notification_groups')
      .set({ closed_at: now })
      .where('connection_id', '=', connectionId)
      .where('key', 'in', plan.closed)
      .where('closed_at', 'is', null)
      .execute();
  let openedIds: string[] = [];
  if (plan.opened.length > 0)
    openedIds = (
      await db
        .insertInto('notification_groups')
        .values(plan.opened.map((g) => ({ connection_id: connectionId, key: g.key, opened_at: now })))
        .onConflict((oc) => oc.columns(['connection_id', 'key']).where('closed_at', 'is', null).doNothing())
        .returning('id')
        .execute()
    ).map((r) => r.id);
  if (plan.digestOn)
    await db
      .insertInto('notification_state')
      .values({ connection_id: connectionId, digest_on: plan.digestOn })
      .onConflict((oc) => oc.column('connection_id').doUpdateSet({ digest_on: plan.digestOn }))
      .execute();
  return openedIds;
}

/** Queues messages to be sent now; one already queued under the same key is not queued again. */
export async function enqueueMessages(
  db: Db,
  connectionId: string,
  messages: readonly NewMessage[],
  now: Date,
): Promise<number> {
  if (messages.length === 0) return 0;
  const inserted = await db
    .insertInto('notifications')
    .values(
      messages.map((m) => ({
        id: m.id,
        connection_id: connectionId,
        channel: m.channel,
        event: m.event,
        body: m.body,
        dedupe_key: m.dedupeKey,
        state: 'pending' as const,
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['connection_id', 'channel', 'dedupe_key']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/** Takes up to `limit` messages that are due, for this process alone. */
export async function claimDue(db: Db, now: Date, limit: number): Promise<OutboxRow[]> {
  const { rows } = await sql<OutboxRow>`
    update notifications set attempts = attempts + 1,
      next_attempt_at = ${new Date(now.getTime() + LEASE_MS)}
    where id in (
      select id from notifications
      where state = 'pending' and next_attempt_at <= ${now}
      order by created_at limit ${limit}
      for update skip locked)
    returning id, connection_id::text as connection_id, channel, event, body, attempts`.execute(db);
  return rows;
}

/**
 * What an attempt came to: delivered, due again after the back-off, or failed for good. A delivery keeps
 * the last error of the attempts before it: the page shows what it took.
 */
export async function settle(
  db: Db,
  row: OutboxRow,
  outcome: SendOutcome,
  now: Date,
): Promise<NotificationState> {
  if (outcome.ok) {
    await db
      .updateTable('notifications')
      .set({ state: 'delivered', delivered_at: now, next_attempt_at: null })
      .where('id', '=', row.id)
      .execute();
    return 'delivered';
  }
  const final = outcome.permanent === true || row.attempts >= MAX_ATTEMPTS;
  await db
    .updateTable('notifications')
    .set({
      state: final ? 'failed' : 'pending',
      last_error: outcome.reason,
      next_attempt_at: final ? null : new Date(now.getTime() + retryDelayMs(row.attempts)),
    })
    .where('id', '=', row.id)
    .execute();
  return final ? 'failed' : 'pending';
}

/** A message sent at once (the page's test), recorded with its outcome; it is never retried. */
export async function recordSent(
  db: Db,
  connectionId: string,
  message: NewMessage,
  outcome: SendOutcome,
  now: Date,
): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      id: message.id,
      connection_id: connectionId,
      channel: message.channel,
      event: message.event,
      body: message.body,
      dedupe_key: message.dedupeKey,
      state: outcome.ok ? 'delivered' : 'failed',
      attempts: 1,
      last_error: outcome.ok ? null : outcome.reason,
      created_at: now,
      delivered_at: outcome.ok ? now : null,
    })
    .execute();
}

export interface NotificationSummary {
  id: string;
  channel: Channel;
  event: string;
  state: NotificationState;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** The newest messages of a connection, for its page: no body (the page lists, it does not quote). */
export async function recentNotifications(
  db: Db,
  connectionId: string,
  limit = 20,
): Promise<NotificationSummary[]> {
  return db
    .selectFrom('notifications')
    .select(['id', 'channel', 'event', 'state', 'attempts', 'last_error', 'created_at', 'delivered_at'])
    .where('connection_id', '=', connectionId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
