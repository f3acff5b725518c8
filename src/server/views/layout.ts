import type { Session } from '../auth/sessions.ts';
import { html, type Html } from '../../util/html.ts';

export interface PageOptions {
  title: string;
  session?: Session;
  /** The connection the page belongs to, for the tabs. */
  connection?: { slug: string; name: string };
  /** Which tab is current. */
  tab?: 'overview' | 'settings' | 'notifications' | 'runs' | 'orders' | 'problems' | 'check' | 'stock';
  problemCount?: number;
}

const TABS: Array<[NonNullable<PageOptions['tab']>, string, string]> = [
  ['overview', 'Overview', ''],
  ['settings', 'Settings', '/settings'],
  ['notifications', 'Notifications', '/notifications'],
  ['runs', 'Product imports', '/runs'],
  ['orders', 'Orders', '/orders'],
  ['problems', 'Problems', '/problems'],
  ['check', 'Pre-flight check', '/check'],
  ['stock', 'Stock report', '/stock'],
];

/** A hidden CSRF field for a form of a signed-in page. */
export const csrfField = (session: Session | undefined): Html =>
  html`<input type="hidden" name="_csrf" value="${session?.csrfToken ?? ''}" />`;

export function layout(options: PageOptions, body: Html): Html {
  const c = options.connection;
  const base = c ? `/connections/${c.slug}` : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · NetBaron connector</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">MyCashflow ⇄ NetBaron</a>
          ${
            options.session
              ? html`<form method="post" action="/sign-out" class="inline">
                  ${csrfField(options.session)}<button class="link">Sign out</button>
                </form>`
              : ''
          }
        </header>
        ${
          c
            ? html`<nav class="tabs" aria-label="${c.name}">
                <span class="connection-name">${c.name}</span>
                ${TABS.map(
                  ([tab, label, path]) =>
                    html`<a href="${base}${path}" ${options.tab === tab ? html` aria-current="page"` : ''}
                      >${label}${
                        tab === 'problems' && options.problemCount
                          ? html` <span class="badge">${options.problemCount}</span>`
                          : ''
                      }</a
                    >`,
                )}
              </nav>`
            : ''
        }
        <main>${body}</main>
      </body>
    </html>`;
}
