import type { ProbeCheck, ProbeSystem } from '../../../connections/probe/check.ts';
import type { ProbeReport } from '../../../connections/probe/run-probe.ts';
import { duration, stateBadge } from '../format.ts';
import { html, type Html } from '../../../util/html.ts';

/*
 * "Check compatibility": what the store and NetBaron answered, compared with what the connector expects.
 * The merchant reads the verdict and one label per row; the ids, the requests and the report as JSON
 * are for support, one click away.
 */

export interface ProbePageData {
  /** `/connections/<slug>`. */
  base: string;
  /** The form that runs the check again (with the session's CSRF token). */
  csrf: Html;
}

const SYSTEMS: readonly ProbeSystem[] = ['MyCashflow', 'NetBaron'];

/** The label of a row, as the merchant reads it, and the badge's class. */
function statusOf(c: ProbeCheck): { label: string; state: string } {
  if (c.status === 'matched') return { label: 'Matched', state: 'matched' };
  if (c.status === 'unchecked') return { label: 'Not checked', state: 'unchecked' };
  return c.handled
    ? { label: 'Differs, handled by the connector', state: 'handled' }
    : { label: 'Differs, needs a change', state: 'needs-change' };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The verdict in the merchant's words: a system that could not be read first, then what needs a change. */
function verdictLines(r: ProbeReport): string[] {
  const lines = r.blocked.map((b) => `${b.system} could not be checked: ${b.reason}`);
  const { needsAttention } = r.counts;
  if (needsAttention > 0)
    lines.push(
      `${plural(needsAttention, 'thing needs', 'things need')} a change before this connection runs.`,
    );
  else if (r.blocked.length === 0) lines.push('Nothing needs a change.');
  else {
    // The other system was read: say so, or the merchant cannot tell it from not checked at all.
    const read = SYSTEMS.filter((s) => !r.blocked.some((b) => b.system === s));
    for (const system of read) lines.push(`${system}: nothing needs a change.`);
  }
  return lines;
}

function verdict(r: ProbeReport): Html {
  const tone = r.blocked.length ? 'error' : r.needsAttention ? 'warn' : 'ok';
  const [first, ...rest] = verdictLines(r);
  return html`<div class="notice ${tone}" role="status" id="probe-verdict">
    <p><strong>${first}</strong></p>
    ${rest.map((line) => html`<p><strong>${line}</strong></p>`)}
    ${
      r.blocked.length
        ? html`<p>Correct the settings and check again.</p>`
        : r.needsAttention
          ? html`<p>The rows marked "Differs, needs a change" say what was seen.</p>`
          : ''
    }
  </div>`;
}

function summary(r: ProbeReport): Html {
  const { matched, handled, unchecked } = r.counts;
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  // With a system unread, most checks were not made for that reason, not for the one given here.
  const why = r.blocked.length
    ? ''
    : ' (a read cannot show them: they need a write, a webhook or data the store does not have yet)';
  return html`<p class="muted" id="probe-summary">
    Checked with the saved settings in ${duration(Number.isFinite(ms) ? ms : undefined)}; only read, nothing
    was written to either system. ${matched} matched, ${handled} differ in ways the connector handles,
    ${unchecked} not checked${why}.
  </p>`;
}

function systemTable(system: ProbeSystem, checks: readonly ProbeCheck[], blocked: boolean): Html {
  if (checks.length === 0) return html``;
  // A system that could not be read at all: one line, not a row per check with the same reason.
  if (blocked && checks.every((c) => c.status === 'unchecked'))
    return html`<h2>${system}</h2>
      <p class="muted" id="probe-unread-${system.toLowerCase()}">
        None of its ${checks.length} checks could be made: ${system} could not be read with the saved settings
        (see above).
      </p>`;
  return html`<h2>${system}</h2>
    <table class="probe-checks">
      <thead>
        <tr>
          <th>Result</th>
          <th>What the connector expects</th>
          <th>What was seen</th>
        </tr>
      </thead>
      <tbody>
        ${checks.map((c) => {
          const s = statusOf(c);
          return html`<tr data-check="${c.id}" data-status="${s.state}">
            <td>${stateBadge(s.state, s.label)}</td>
            <td>${c.assumption}</td>
            <td>${c.observed}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
}

/** For support: each check's id and the requests behind it, and the whole report to paste into a ticket. */
function technicalDetails(r: ProbeReport): Html {
  return html`<details class="document" id="probe-details">
    <summary>Technical details (for support)</summary>
    <table>
      <thead>
        <tr>
          <th>Check</th>
          <th>Result</th>
          <th>Requests made</th>
        </tr>
      </thead>
      <tbody>
        ${r.checks.map(
          (c) =>
            html`<tr>
              <td><code>${c.id}</code></td>
              <td>${statusOf(c).label}</td>
              <td>
                ${(c.requests ?? []).map((q, i) => html`${i > 0 ? html`<br />` : ''}<code>${q}</code>`)}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p>The whole report, to copy into a support ticket:</p>
    <pre id="probe-json">${JSON.stringify(r, null, 2)}</pre>
  </details>`;
}

function again(d: ProbePageData, label: string): Html {
  return html`<div class="actions">
    <form method="post" action="${d.base}/probe" class="inline">
      ${d.csrf}<button type="submit" class="secondary">${label}</button>
    </form>
    <a href="${d.base}/settings">Settings</a>
  </div>`;
}

const INTRO = html`<h1>Compatibility check</h1>`;

export function probePage(d: ProbePageData, r: ProbeReport): Html {
  return html`${INTRO} ${verdict(r)} ${summary(r)}
  ${SYSTEMS.map((s) =>
    systemTable(
      s,
      r.checks.filter((c) => c.system === s),
      r.blocked.some((b) => b.system === s),
    ),
  )}
  ${technicalDetails(r)} ${again(d, 'Check again')}`;
}

/** A connection not complete yet: what to fill in, and no check was made. */
export function probeNotReadyPage(d: ProbePageData, missing: readonly string[]): Html {
  return html`${INTRO}
    <p class="notice warn" role="status" id="probe-verdict">
      Not checked: the settings are not complete. Set ${missing.join(', ')} in the
      <a href="${d.base}/settings">settings</a>, save them, and check again.
    </p>`;
}
