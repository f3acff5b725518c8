import type { InboxProblem } from '../../../reports/problems-inbox.ts';
import { when } from '../format.ts';
import { html, type Html } from '../html.ts';

export interface ProblemsPageData {
  /** `/connections/<slug>`. */
  base: string;
  problems: readonly InboxProblem[];
}

function problem(base: string, p: InboxProblem): Html {
  return html`<section class="problem${p.severity === 'error' ? ' error' : ''}">
    <h3>${p.title}</h3>
    <p>${p.detail}</p>
    <p class="muted">
      ${p.since ? html`Since ${when(p.since)}` : ''}${
        p.link ? html`${p.since ? ' · ' : ''}<a href="${base}${p.link}">Open</a>` : ''
      }
    </p>
  </section>`;
}

export function problemsPage(d: ProblemsPageData): Html {
  const errors = d.problems.filter((p) => p.severity === 'error');
  const warnings = d.problems.filter((p) => p.severity !== 'error');
  return html`<h1>Problems</h1>
    <p class="muted">
      What needs your attention in this connection. A problem closes itself when its cause is gone: when the
      next import no longer finds it, or when the order has been sent.
    </p>
    ${
      d.problems.length === 0
        ? html`<p class="notice ok">No open problems.</p>`
        : html`${errors.map((p) => problem(d.base, p))}${warnings.map((p) => problem(d.base, p))}`
    }`;
}
