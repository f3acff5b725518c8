import { localParts } from '../domain/schedule.ts';
import type { ProblemGroup } from '../reports/problem-groups.ts';

/*
 * What to tell the merchant at one tick, worked out from what was open before and what is open now.
 * Pure: the tick reads the state, this decides, and the executor records the decision and sends.
 */

export type Channel = 'email' | 'webhook';
export type NotificationEvent = 'problems.opened' | 'problems.digest' | 'test';

/** A group as the last tick left it open. */
export interface TrackedGroup {
  key: string;
  openedAt: Date;
}

export interface PlanInput {
  /** The groups open at the last tick (`notification_groups` without `closed_at`). */
  tracked: readonly TrackedGroup[];
  /** The connection's groups now (`openProblemGroups`). */
  current: readonly ProblemGroup[];
  /** The local day whose digest moment has passed already (YYYY-MM-DD), or null. */
  digestOn: string | null;
  now: Date;
  /** The digest's local time (HH:MM), the connection's time zone, and the channels set up. */
  settings: { digestAt: string; timeZone: string; channels: readonly Channel[] };
}

export interface PlannedMessage {
  event: 'problems.opened' | 'problems.digest';
  /** `since` is the group's own start, or when it was first seen open. */
  groups: ProblemGroup[];
}

export interface NotificationPlan {
  /** Groups to record as open from now. */
  opened: ProblemGroup[];
  /** Keys of groups to record as closed now. */
  closed: string[];
  /** One message per event, for every channel set up. */
  messages: PlannedMessage[];
  /** The local day to record as having had its digest moment; null when that is unchanged. */
  digestOn: string | null;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The local day (YYYY-MM-DD) and time (HH:MM) of an instant in a time zone. */
export function localDayAndTime(at: Date, timeZone: string): { day: string; time: string } {
  const p = localParts(at, timeZone);
  return { day: `${p.y}-${pad(p.mo)}-${pad(p.d)}`, time: `${pad(p.h)}:${pad(p.mi)}` };
}

/**
 * Only errors notify: a notice needs no action. A group opens when its key was not open at the last
 * tick, so one that closed and comes back is news again. The digest's moment is taken once a local day,
 * at the first tick at or after its time; a digest goes out then only if a group open before this tick
 * is still open (one that opened just now is announced by its own message), listing every open group.
 */
export function planNotifications(input: PlanInput): NotificationPlan {
  const { tracked, now, settings } = input;
  const errors = input.current.filter((g) => g.severity === 'error');
  const openedAt = new Map(tracked.map((t) => [t.key, t.openedAt]));
  const currentKeys = new Set(errors.map((g) => g.key));

  const opened = errors.filter((g) => !openedAt.has(g.key));
  const closed = tracked.filter((t) => !currentKeys.has(t.key)).map((t) => t.key);
  const withSince = (g: ProblemGroup): ProblemGroup => ({
    ...g,
    since: g.since ?? openedAt.get(g.key) ?? now,
  });

  const local = localDayAndTime(now, settings.timeZone);
  // Days compare as text (YYYY-MM-DD): a day recorded ahead of this one (a clock set back) waits for it.
  const digestMoment =
    local.time >= settings.digestAt && (input.digestOn === null || input.digestOn < local.day);
  const stillOpen = errors.some((g) => openedAt.has(g.key));

  const messages: PlannedMessage[] = [];
  if (settings.channels.length > 0) {
    if (opened.length > 0) messages.push({ event: 'problems.opened', groups: opened.map(withSince) });
    if (digestMoment && stillOpen) messages.push({ event: 'problems.digest', groups: errors.map(withSince) });
  }
  return { opened, closed, messages, digestOn: digestMoment ? local.day : null };
}
