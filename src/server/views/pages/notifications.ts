import type { Channel } from '../../../notifications/plan.ts';
import type { NotificationSummary } from '../../../notifications/outbox.ts';
import { EMAIL_NOT_SET_UP, type TestOutcome } from '../../../notifications/notifier.ts';
import type { Session } from '../../auth/sessions.ts';
import type { NotificationsFormValues } from '../../forms/notifications-form.ts';
import { stateBadge, when } from '../format.ts';
import { fieldError, invalidAttrs } from '../fields.ts';
import { html, type Html } from '../../../util/html.ts';
import { csrfField } from '../layout.ts';

export interface NotificationsView {
  /** `/connections/<slug>`. */
  base: string;
  session?: Session;
  values: NotificationsFormValues;
  errors: Record<string, string>;
  secretSaved: boolean;
  /** The connection's time zone (Settings), which the digest's time is in. */
  timeZone: string;
  /** The service has a mail server (SMTP_URL). */
  emailAvailable: boolean;
  /** The channels saved and usable now. */
  channels: Channel[];
  saved: boolean;
  test?: TestOutcome[];
  recent: NotificationSummary[];
}

const CHANNEL_WORDS: Record<Channel, string> = { email: 'E-mail', webhook: 'Webhook' };
const EVENT_WORDS: Record<string, string> = {
  'problems.opened': 'New problems',
  'problems.digest': 'Daily digest',
  test: 'Test',
};

const invalid = (v: NotificationsView, field: string): Html => invalidAttrs(v.errors, field);

const textarea = (v: NotificationsView, field: string, value: string): Html =>
  html`<textarea id="${field}" name="${field}" ${invalid(v, field)}>${value}</textarea>
    ${fieldError(v.errors, field)}`;

/** An input with its message beneath when it has one; `more` are further attributes. */
const input = (v: NotificationsView, field: string, type: string, value: string, more: Html = html``): Html =>
  html`<input type="${type}" id="${field}" name="${field}" value="${value}" ${more} ${invalid(v, field)} />
    ${fieldError(v.errors, field)}`;

function testResult(v: NotificationsView): Html {
  if (!v.test) return html``;
  if (v.test.length === 0)
    return html`<div class="notice error" role="status" id="test-result">
      <strong>Nothing was sent:</strong> save an e-mail address or a webhook first.
    </div>`;
  const allDelivered = v.test.every((t) => t.outcome.ok);
  return html`<div class="notice ${allDelivered ? 'ok' : 'error'}" role="status" id="test-result">
    <strong>Test notification</strong>
    <ul>
      ${v.test.map(
        (t) =>
          html`<li data-channel="${t.channel}">
            ${CHANNEL_WORDS[t.channel]}: ${t.outcome.ok ? 'delivered.' : `not delivered. ${t.outcome.reason}`}
          </li>`,
      )}
    </ul>
  </div>`;
}

function recentTable(v: NotificationsView): Html {
  if (v.recent.length === 0) return html`<p class="muted">No notification has been sent yet.</p>`;
  return html`<table id="recent-notifications">
    <thead>
      <tr>
        <th>When</th>
        <th>Channel</th>
        <th>Event</th>
        <th>State</th>
        <th class="num">Attempts</th>
        <th>Last error</th>
      </tr>
    </thead>
    <tbody>
      ${v.recent.map(
        (n) =>
          html`<tr>
            <td>${when(n.created_at)}</td>
            <td>${CHANNEL_WORDS[n.channel]}</td>
            <td>${EVENT_WORDS[n.event] ?? n.event}</td>
            <td>${stateBadge(n.state)}</td>
            <td class="num">${n.attempts}</td>
            <td>${n.last_error ?? ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function notificationsBody(v: NotificationsView): Html {
  const hasErrors = Object.keys(v.errors).length > 0;
  return html`<h1>Notifications</h1>
    <p class="muted">
      Hear about a problem without opening this page: a message goes out as soon as a new problem appears, and
      once a day at the digest time while problems stay open. Notices that need nothing from you are not sent.
    </p>
    ${v.saved ? html`<p class="notice ok" role="status">Notification settings saved.</p>` : ''}
    ${hasErrors ? html`<p class="notice error" role="alert">Some settings need fixing; nothing was saved. See the messages below.</p>` : ''}
    ${testResult(v)}
    <form method="post" action="${v.base}/notifications" id="notifications-form">
      ${csrfField(v.session)}
      <fieldset>
        <legend>E-mail</legend>
        ${
          v.emailAvailable
            ? ''
            : html`<p class="notice warn" id="email-unavailable">
                ${EMAIL_NOT_SET_UP} Until then only the webhook sends.
              </p>`
        }
        <label for="recipients">Send to</label>
        <p class="hint">E-mail addresses, one per line.</p>
        ${textarea(v, 'recipients', v.values.recipients)}
      </fieldset>
      <fieldset>
        <legend>Webhook</legend>
        <p class="hint">
          A POST with a JSON body to your address, signed: the header X-Connector-Signature holds sha256= and
          the HMAC-SHA256 of the body under the signing secret, so your receiver can tell it came from here.
        </p>
        <label for="webhook_url">Address</label>
        ${input(v, 'webhook_url', 'url', v.values.webhookUrl, html` placeholder="https://"`)}
        <label for="webhook_secret">Signing secret</label>
        <p class="hint">
          ${v.secretSaved ? 'Saved (hidden). Leave empty to keep it; type a new one to replace it.' : 'Not set. At least 16 characters; type the same in your receiver.'}
        </p>
        ${input(
          v,
          'webhook_secret',
          'password',
          '',
          html` autocomplete="new-password" placeholder="${v.secretSaved ? '••••••••••' : ''}"`,
        )}
      </fieldset>
      <fieldset>
        <legend>Daily digest</legend>
        <label for="digest_at">Time of day</label>
        <p class="hint">
          In the connection's time zone (${v.timeZone}, in Settings). Sent only while problems are open.
        </p>
        ${input(v, 'digest_at', 'time', v.values.digestAt)}
      </fieldset>
      <div class="actions"><button type="submit">Save notification settings</button></div>
    </form>

    <h2>Send a test notification</h2>
    <p class="hint">
      ${
        v.channels.length > 0
          ? `Sends to ${v.channels.map((c) => CHANNEL_WORDS[c].toLowerCase()).join(' and ')} as saved, at once, and shows how each went.`
          : 'Nothing is set up to send to yet: save an e-mail address or a webhook first.'
      }
    </p>
    <form method="post" action="${v.base}/notifications/test" class="actions">
      ${csrfField(v.session)}<button type="submit" class="secondary">Send a test notification</button>
    </form>

    <h2>Last notifications</h2>
    ${recentTable(v)}`;
}
