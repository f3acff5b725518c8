import { z } from 'zod';
import { plural, type ProblemGroup } from '../reports/problem-groups.ts';
import { html, type Html } from '../util/html.ts';
import { localDayAndTime, type NotificationEvent } from './plan.ts';

/*
 * What a notification says, built from the problem groups. Only what the merchant needs to act: each
 * group's title, fix, count, start and the labels of its items (order numbers, product codes). Never an
 * item's `detail`: it may quote a customer's details or a remote system's words.
 */

/** Labels per group in a message; the count says how many there are in all. */
export const ITEMS_IN_MESSAGE = 20;

export const notificationBodySchema = z
  .object({
    event: z.enum(['problems.opened', 'problems.digest', 'test']),
    connection: z.object({ slug: z.string(), name: z.string() }).strict(),
    groups: z.array(
      z
        .object({
          key: z.string(),
          title: z.string(),
          fix: z.string(),
          count: z.number().int().nonnegative(),
          since: z.string().nullable(),
          items: z.array(z.string()),
        })
        .strict(),
    ),
    problemsUrl: z.string(),
    sentAt: z.string(),
  })
  .strict();
export type NotificationBody = z.infer<typeof notificationBodySchema>;

/** The webhook's JSON body, which the e-mail is also written from. Fields are picked one by one. */
export function buildBody(input: {
  event: NotificationEvent;
  connection: { slug: string; name: string };
  groups: readonly ProblemGroup[];
  problemsUrl: string;
  sentAt: Date;
}): NotificationBody {
  return {
    event: input.event,
    connection: { slug: input.connection.slug, name: input.connection.name },
    groups: input.groups.map((g) => ({
      key: g.key,
      title: g.title,
      fix: g.fix,
      count: g.count,
      since: g.since ? g.since.toISOString() : null,
      items: g.items.slice(0, ITEMS_IN_MESSAGE).map((i) => i.label),
    })),
    problemsUrl: input.problemsUrl,
    sentAt: input.sentAt.toISOString(),
  };
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

type BodyGroup = NotificationBody['groups'][number];

function subject(body: NotificationBody): string {
  const name = body.connection.name;
  const n = body.groups.length;
  if (body.event === 'problems.opened')
    return `${name}: ${plural(n, 'new problem', 'new problems')} in the connector`;
  if (body.event === 'problems.digest')
    return `${name}: ${plural(n, 'problem is', 'problems are')} still open in the connector`;
  return `${name}: a test notification from the connector`;
}

function lead(body: NotificationBody): string {
  const name = body.connection.name;
  const n = body.groups.length;
  if (body.event === 'problems.opened')
    return n === 1
      ? `This problem has just appeared in the connector of ${name}.`
      : `These ${n} problems have just appeared in the connector of ${name}.`;
  if (body.event === 'problems.digest')
    return n === 1
      ? `This problem is still open in the connector of ${name}.`
      : `These ${n} problems are still open in the connector of ${name}.`;
  return n === 0
    ? `This is a test notification from the connector of ${name}: notifications reach you this way. No problem is open right now.`
    : `This is a test notification from the connector of ${name}: notifications reach you this way. Open now:`;
}

/** "10023, 10024 and 3 more". */
function itemList(g: BodyGroup): string {
  const more = g.count - g.items.length;
  return more > 0 ? `${g.items.join(', ')} and ${more} more` : g.items.join(', ');
}

const itemsLabel = (g: BodyGroup): string => (g.key.startsWith('orders:') ? 'Orders' : 'Affects');

function sinceText(g: BodyGroup, timeZone: string): string | undefined {
  if (!g.since) return undefined;
  const { day, time } = localDayAndTime(new Date(g.since), timeZone);
  return `${day} ${time} (${timeZone})`;
}

const FOOTER =
  'Sent by the MyCashflow ⇄ NetBaron connector. Who gets these messages is set on the Notifications page of the connection.';

function textPart(body: NotificationBody, timeZone: string): string {
  const lines = [lead(body), ''];
  body.groups.forEach((g, i) => {
    lines.push(`${i + 1}. ${g.title}`, `   What to do: ${g.fix}`);
    if (g.items.length > 0) lines.push(`   ${itemsLabel(g)}: ${itemList(g)}`);
    const since = sinceText(g, timeZone);
    if (since) lines.push(`   Since: ${since}`);
    lines.push('');
  });
  lines.push(`See every problem: ${body.problemsUrl}`, '', '-- ', FOOTER, '');
  return lines.join('\n');
}

function htmlPart(body: NotificationBody, timeZone: string): Html {
  return html`<!doctype html>
    <html>
      <body style="font-family: sans-serif; line-height: 1.4">
        <p>${lead(body)}</p>
        ${body.groups.map((g) => {
          const since = sinceText(g, timeZone);
          return html`<h3 style="margin-bottom: 0.2em">${g.title}</h3>
            <p style="margin-top: 0"><strong>What to do:</strong> ${g.fix}</p>
            ${g.items.length > 0 ? html`<p>${itemsLabel(g)}: ${itemList(g)}</p>` : ''}
            ${since ? html`<p style="color: #555">Since ${since}</p>` : ''}`;
        })}
        <p><a href="${body.problemsUrl}">See every problem</a></p>
        <p style="color: #555; font-size: 0.9em">${FOOTER}</p>
      </body>
    </html>`;
}

/** The e-mail of a notification; times in the connection's time zone. */
export function renderEmail(body: NotificationBody, timeZone: string): EmailContent {
  return { subject: subject(body), text: textPart(body, timeZone), html: htmlPart(body, timeZone).text };
}
