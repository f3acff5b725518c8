import type { ConnectionRecord } from '../../../connections/connection-store.ts';
import type { ConnectionState } from '../../../connections/connection-state.ts';
import type { Session } from '../../auth/sessions.ts';
import { when } from '../format.ts';
import { html, type Html } from '../../../util/html.ts';
import { csrfField } from '../layout.ts';

/** What the service itself does for the connection: how orders reach it, when products are read next. */
export function serviceStatePanel(state: ConnectionState): Html {
  const { subscribed, lastDelivery } = state.webhook;
  return html`<h2>The service</h2>
    <table class="facts" id="service-state">
      <tbody>
        <tr>
          <th>Order webhook</th>
          <td>
            ${
              subscribed
                ? html`Active since ${when(subscribed.since)} at <code>${subscribed.url}</code>`
                : 'Not subscribed: orders arrive by polling only'
            }
          </td>
        </tr>
        <tr>
          <th>Last order by webhook</th>
          <td>${lastDelivery ? when(lastDelivery) : 'None yet'}</td>
        </tr>
        <tr>
          <th>Last order poll</th>
          <td>${state.lastPoll ? when(state.lastPoll) : 'None yet'}</td>
        </tr>
        <tr>
          <th>Next scheduled import</th>
          <td>
            ${state.nextImport ? when(state.nextImport) : state.pausedAt ? 'None while paused' : 'None: the schedule is off'}
          </td>
        </tr>
      </tbody>
    </table>`;
}

/** Pause or resume, and the way to the removal's confirmation. */
export function connectionControls(
  base: string,
  record: ConnectionRecord,
  session: Session | undefined,
): Html {
  return html`<h2 id="controls">Pause or remove</h2>
    <p>
      A paused connection runs no product import and sends no order to NetBaron; orders keep arriving and
      wait, and resuming sends each of them once.
    </p>
    <div class="actions">
      <form method="post" action="${base}/${record.pausedAt ? 'resume' : 'pause'}" class="inline">
        ${csrfField(session)}<button type="submit" class="secondary">
          ${record.pausedAt ? 'Resume' : 'Pause'}
        </button>
      </form>
      <a href="${base}/remove" class="button danger">Remove…</a>
    </div>`;
}
