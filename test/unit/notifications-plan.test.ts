import { describe, expect, it } from 'vitest';
import { planNotifications, type PlanInput, type TrackedGroup } from '../../src/notifications/plan.ts';
import type { ProblemGroup } from '../../src/reports/problem-groups.ts';

const group = (key: string, overrides: Partial<ProblemGroup> = {}): ProblemGroup => ({
  key,
  area: 'orders',
  severity: 'error',
  title: `Title of ${key}`,
  fix: `Fix of ${key}`,
  count: 1,
  items: [{ label: '10001' }],
  since: null,
  ...overrides,
});

const HELSINKI = { digestAt: '08:00', timeZone: 'Europe/Helsinki', channels: ['email', 'webhook'] as const };
// 15 January 2026: Helsinki is UTC+2, New York UTC−5 (no daylight saving on either side).
const NOON_UTC = new Date('2026-01-15T12:00:00Z');

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'current'>) {
  return planNotifications({
    tracked: [],
    digestOn: '2026-01-15',
    now: NOON_UTC,
    settings: HELSINKI,
    ...input,
  });
}

const tracked = (key: string, openedAt = new Date('2026-01-14T09:00:00Z')): TrackedGroup => ({
  key,
  openedAt,
});

describe('which groups open and close', () => {
  it('announces a group whose key was not open, once, in one message listing every new group', () => {
    const a = group('orders:payment-method:Klarna');
    const b = group('catalog:write-failed:set-stock:409', { area: 'catalog' });
    const result = plan({ current: [a, b] });
    expect(result.opened.map((g) => g.key)).toEqual([a.key, b.key]);
    expect(result.closed).toEqual([]);
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]!.event).toBe('problems.opened');
    expect(result.messages[0]!.groups.map((g) => g.key)).toEqual([a.key, b.key]);
    // A group without its own start is dated from now, when it was first seen.
    expect(result.messages[0]!.groups[0]!.since).toEqual(NOON_UTC);
  });

  it('says nothing while the same groups stay open', () => {
    const result = plan({
      current: [group('orders:outcome-unknown')],
      tracked: [tracked('orders:outcome-unknown')],
    });
    expect(result).toEqual({ opened: [], closed: [], messages: [], digestOn: null });
  });

  it('closes a group that is gone without a message, and announces it again when it comes back', () => {
    const key = 'orders:payment-method:Klarna';
    const closing = plan({ current: [], tracked: [tracked(key)] });
    expect(closing).toEqual({ opened: [], closed: [key], messages: [], digestOn: null });
    // The executor then holds no open row for it: the next opening is news again.
    const reopened = plan({ current: [group(key)], tracked: [] });
    expect(reopened.opened.map((g) => g.key)).toEqual([key]);
    expect(reopened.messages.map((m) => m.event)).toEqual(['problems.opened']);
  });

  it('never notifies of notices: a warning neither opens nor keeps a group open', () => {
    const notice = group('catalog:negative-quantity', { severity: 'warning', area: 'catalog' });
    expect(plan({ current: [notice] })).toEqual({ opened: [], closed: [], messages: [], digestOn: null });
    expect(plan({ current: [notice], tracked: [tracked(notice.key)] }).closed).toEqual([notice.key]);
  });

  it('records openings and closings but sends nothing when no channel is set up', () => {
    const result = plan({
      current: [group('connection:settings')],
      tracked: [tracked('orders:outcome-unknown')],
      settings: { ...HELSINKI, channels: [] },
    });
    expect(result.opened.map((g) => g.key)).toEqual(['connection:settings']);
    expect(result.closed).toEqual(['orders:outcome-unknown']);
    expect(result.messages).toEqual([]);
  });
});

describe('the daily digest', () => {
  const open = group('orders:payment-method:Klarna');
  const since = new Date('2026-01-14T09:00:00Z');

  it('is not due before its local time, and is due from that minute on', () => {
    const before = plan({
      current: [open],
      tracked: [tracked(open.key, since)],
      digestOn: '2026-01-14',
      now: new Date('2026-01-15T05:59:00Z'), // 07:59 in Helsinki
    });
    expect(before.digestOn).toBeNull();
    expect(before.messages).toEqual([]);
    const at = plan({
      current: [open],
      tracked: [tracked(open.key, since)],
      digestOn: '2026-01-14',
      now: new Date('2026-01-15T06:00:00Z'), // 08:00 in Helsinki
    });
    expect(at.digestOn).toBe('2026-01-15');
    expect(at.messages).toEqual([{ event: 'problems.digest', groups: [{ ...open, since }] }]);
  });

  it('goes out at most once a local day', () => {
    const later = plan({
      current: [open],
      tracked: [tracked(open.key)],
      digestOn: '2026-01-15',
      now: new Date('2026-01-15T20:00:00Z'),
    });
    expect(later).toEqual({ opened: [], closed: [], messages: [], digestOn: null });
  });

  it("follows the connection's time zone, day boundary included", () => {
    const newYork = { ...HELSINKI, timeZone: 'America/New_York' };
    const input = {
      current: [open],
      tracked: [tracked(open.key)],
      digestOn: '2026-01-14',
      settings: newYork,
    };
    // 06:00 UTC is 08:00 in Helsinki but 01:00 in New York.
    expect(plan({ ...input, now: new Date('2026-01-15T06:00:00Z') }).digestOn).toBeNull();
    expect(plan({ ...input, now: new Date('2026-01-15T13:00:00Z') }).digestOn).toBe('2026-01-15');
    // 03:00 UTC on the 16th is still the evening of the 15th in New York: that day had its digest.
    expect(
      plan({ ...input, digestOn: '2026-01-15', now: new Date('2026-01-16T03:00:00Z') }).messages,
    ).toEqual([]);
  });

  it('takes the day without a message when nothing is open, so a group opening later waits for tomorrow', () => {
    const quiet = plan({ current: [], digestOn: '2026-01-14', now: new Date('2026-01-15T06:30:00Z') });
    expect(quiet).toEqual({ opened: [], closed: [], messages: [], digestOn: '2026-01-15' });
    const afternoon = plan({
      current: [open],
      digestOn: '2026-01-15',
      now: new Date('2026-01-15T12:00:00Z'),
    });
    expect(afternoon.messages.map((m) => m.event)).toEqual(['problems.opened']);
  });

  it('is not sent for a group that opened in this very tick (its own message says it), but lists it beside older ones', () => {
    const fresh = group('orders:outcome-unknown');
    const onlyNew = plan({ current: [fresh], digestOn: '2026-01-14', now: new Date('2026-01-15T06:00:00Z') });
    expect(onlyNew.messages.map((m) => m.event)).toEqual(['problems.opened']);
    expect(onlyNew.digestOn).toBe('2026-01-15');
    const both = plan({
      current: [open, fresh],
      tracked: [tracked(open.key)],
      digestOn: '2026-01-14',
      now: new Date('2026-01-15T06:00:00Z'),
    });
    expect(both.messages.map((m) => [m.event, m.groups.map((g) => g.key)])).toEqual([
      ['problems.opened', [fresh.key]],
      ['problems.digest', [open.key, fresh.key]],
    ]);
  });

  it('waits for its day when the recorded day is ahead (a clock set back), and counts only errors', () => {
    expect(
      plan({ current: [open], tracked: [tracked(open.key)], digestOn: '2026-01-16', now: NOON_UTC }).digestOn,
    ).toBeNull();
    const notice = group('catalog:fractional-quantity', { severity: 'warning' });
    const onlyNotice = plan({ current: [notice], digestOn: '2026-01-14' });
    expect(onlyNotice.messages).toEqual([]);
  });
});
