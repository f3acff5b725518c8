import type { ProblemGroup } from '../../../reports/problem-groups.ts';
import { when } from '../format.ts';
import { html, type Html } from '../../../util/html.ts';

export interface ProblemsPageData {
  /** `/connections/<slug>`. */
  base: string;
  groups: readonly ProblemGroup[];
  /** The hidden CSRF field of the session; without it no action button is shown. */
  csrf?: Html;
  /** A banner about what the last bulk action did, true at the moment it is shown. */
  notice?: string;
}

const AREA_HEADINGS = { connection: 'The connection', orders: 'Orders', catalog: 'Products' } as const;

function items(base: string, g: ProblemGroup): Html {
  if (g.items.length === 0) return html``;
  const noun = g.area === 'orders' ? (g.count === 1 ? 'order' : 'orders') : g.count === 1 ? 'code' : 'codes';
  const more = g.count - g.items.length;
  return html`<details class="group-items">
    <summary>The ${g.count} ${noun}</summary>
    <ul>
      ${g.items.map(
        (i) =>
          html`<li>
            ${i.link ? html`<a href="${base}${i.link}">${i.label}</a>` : html`<strong>${i.label}</strong>`}
            ${i.detail ? html`<span class="hint">${i.detail}</span>` : ''}
          </li>`,
      )}
    </ul>
    ${more > 0 ? html`<p class="muted">And ${more} more${g.link ? html`: <a href="${base}${g.link}">see them all</a>` : ''}.</p>` : ''}
  </details>`;
}

function group(d: ProblemsPageData, g: ProblemGroup): Html {
  const action = g.action;
  return html`<section
    class="problem${g.severity === 'error' ? ' error' : ''}"
    data-group="${g.key}"
    aria-labelledby="group-${g.key}"
  >
    <h3 id="group-${g.key}">${g.title}</h3>
    <p class="fix">${g.fix}</p>
    ${items(d.base, g)}
    <p class="muted">
      ${g.since ? html`Since ${when(g.since)}` : ''}${
        g.link ? html`${g.since ? ' · ' : ''}<a href="${d.base}${g.link}">Open</a>` : ''
      }
    </p>
    ${
      action && d.csrf
        ? html`<form
            method="post"
            action="${d.base}${action.path}"
            class="actions"
            ${action.confirm ? html` data-confirm="${action.confirm}"` : ''}
          >
            ${d.csrf}${Object.entries(action.fields).map(
              ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
            )}<button type="submit" class="secondary">${action.label}</button>
          </form>`
        : ''
    }
  </section>`;
}

export function problemsPage(d: ProblemsPageData): Html {
  const areas = (['connection', 'orders', 'catalog'] as const)
    .map((area) => ({ area, groups: d.groups.filter((g) => g.area === area) }))
    .filter((a) => a.groups.length > 0);
  return html`<h1>Problems</h1>
    <p class="muted">
      What needs your attention in this connection, one entry per cause, with what to do. An entry closes
      itself when its cause is gone: when the next import no longer finds it, or when the orders have been
      sent.
    </p>
    ${d.notice ? html`<p class="notice ok" role="status">${d.notice}</p>` : ''}
    ${
      d.groups.length === 0
        ? html`<p class="notice ok">No open problems.</p>`
        : areas.map(
            (a) =>
              html`<h2>${AREA_HEADINGS[a.area]}</h2>
                ${a.groups.map((g) => group(d, g))}`,
          )
    }`;
}
