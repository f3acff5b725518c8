import { ledgerStateCounts } from '../../db/order-ledger.ts';
import { slugFromName } from '../../config/connection-file.ts';
import { connectionState } from '../../connections/connection-state.ts';
import { describeSchedule } from '../../domain/schedule.ts';
import { activeImportRun, listRuns, newestWriteRun } from '../../db/run-history.ts';
import { actionableCount, openProblemGroups } from '../../reports/problems-inbox.ts';
import type { AppContext } from '../app-context.ts';
import { formText, HttpError } from '../http/request.ts';
import { redirect, sendHtml, type Route } from '../http/router.ts';
import { stateBadge, when } from '../views/format.ts';
import { html } from '../../util/html.ts';
import { csrfField, layout } from '../views/layout.ts';
import { connectionControls, serviceStatePanel } from '../views/pages/connection-state.ts';
import { runBadge, runsTable } from '../views/pages/runs.ts';
import { connectionBase, connectionPage } from './common.ts';

export function connectionRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/',
      access: 'admin',
      handler: async (ctx) => {
        const connections = await app.store.list();
        const rows = await Promise.all(
          connections.map(async (c) => {
            const assembled = await app.store.assemble(c.id);
            const missing = assembled && !assembled.ok ? assembled.missing : [];
            const problems = actionableCount(
              await openProblemGroups(app.db, c.id, missing, c.credentialsUnreadable),
            );
            const [lastRun] = await listRuns(app.db, c.id, 1);
            const orders = await ledgerStateCounts(app.db, c.id);
            return { c, missing, problems, lastRun, orders };
          }),
        );
        const removed = ctx.url.searchParams.get('removed');
        const body = html`<h1>Connections</h1>
          ${removed ? html`<p class="notice ok" role="status">Connection "${removed}" was removed; its history is kept.</p>` : ''}
          ${
            rows.length === 0
              ? html`<p class="muted">No store is connected yet. Add one below.</p>`
              : html`<table>
                  <thead>
                    <tr>
                      <th>Store</th>
                      <th>Status</th>
                      <th>Last product import</th>
                      <th class="num">Orders sent</th>
                      <th class="num">Orders waiting</th>
                      <th class="num">Open problems</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows.map(
                      ({ c, missing, problems, lastRun, orders }) =>
                        html`<tr>
                          <td><a href="/connections/${c.slug}">${c.name}</a></td>
                          <td>
                            ${c.pausedAt ? stateBadge('paused') : missing.length ? stateBadge('not-ready') : stateBadge('ready')}
                          </td>
                          <td>
                            ${lastRun ? html`<a href="/connections/${c.slug}/runs/${lastRun.id}">${runBadge(lastRun)}</a> ${when(lastRun.created_at)}` : '—'}
                          </td>
                          <td class="num">${orders.sent}</td>
                          <td class="num">${orders.waiting + orders['outcome-unknown']}</td>
                          <td class="num">
                            <a href="/connections/${c.slug}/problems">${problems}</a>
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
          <h2>Add a store</h2>
          <form method="post" action="/connections">
            ${csrfField(ctx.session)}
            <label for="new-name">Name of the store</label>
            <input type="text" id="new-name" name="name" required maxlength="100" />
            <div class="actions"><button type="submit">Add</button></div>
          </form>`;
        sendHtml(ctx.res, 200, layout({ title: 'Connections', session: ctx.session }, body));
      },
    },
    {
      method: 'POST',
      path: '/connections',
      access: 'admin',
      handler: async (ctx) => {
        const name = formText(ctx.form, 'name').trim();
        if (!name || name.length > 100)
          throw new HttpError(400, 'Give the store a name of at most 100 characters.');
        let slug = slugFromName(name);
        for (let i = 2; await app.store.slugTaken(slug); i += 1) slug = `${slugFromName(name)}-${i}`;
        const record = await app.store.create(slug, name);
        ctx.logger.info('connection added', { connection: record.slug });
        redirect(ctx.res, `${connectionBase(record)}/settings`);
      },
    },
    {
      method: 'GET',
      path: '/connections/:slug',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const base = connectionBase(cp.record);
        const runs = await listRuns(app.db, cp.record.id, 5);
        const lastWrite = await newestWriteRun(app.db, cp.record.id);
        const active = await activeImportRun(app.db, cp.record.id);
        const orders = await ledgerStateCounts(app.db, cp.record.id);
        const openGroups = actionableCount(cp.problems);
        const state = await connectionState(app.db, cp.record);
        const resumed = ctx.url.searchParams.get('resumed');
        const flash = ctx.url.searchParams.has('paused')
          ? html`<p class="notice ok" role="status">
              Paused. Orders keep arriving and wait until you resume.
            </p>`
          : resumed !== null && /^\d+$/.test(resumed)
            ? html`<p class="notice ok" role="status">
                Resumed: ${resumed} waiting ${resumed === '1' ? 'order was' : 'orders were'} queued to be
                sent.
              </p>`
            : '';
        const body = html`<h1>${cp.record.name}</h1>
          ${flash}
          ${cp.missing.length ? html`<p class="notice warn">Not ready: set ${cp.missing.join(', ')} in the <a href="${base}/settings">settings</a>.</p>` : ''}
          <div class="cards">
            <div class="card">
              <div class="figure">${orders.sent}</div>
              orders sent to NetBaron
            </div>
            <div class="card">
              <div class="figure">${orders.waiting + orders['outcome-unknown']}</div>
              <a href="${base}/orders?state=waiting">orders waiting</a>
            </div>
            <div class="card">
              <div class="figure">${openGroups}</div>
              <a href="${base}/problems">open problems</a>
            </div>
            <div class="card">
              <div class="figure">${describeSchedule(cp.record.settings.schedule)}</div>
              automatic product updates
            </div>
            ${
              lastWrite
                ? html`<div class="card">
                    <div class="figure">${runBadge(lastWrite)}</div>
                    <a href="${base}/runs/${lastWrite.id}">last product import</a>,
                    ${when(lastWrite.created_at)}
                  </div>`
                : ''
            }
          </div>
          <h2>Fetch all products</h2>
          <p>
            Reads every marketplace product from NetBaron and the whole store, then creates, updates, hides or
            deletes products by your settings. The preview shows the plan, field by field, and writes nothing;
            "Fetch all products" shows what a preview counted and asks before it writes.
          </p>
          ${active?.job_id ? html`<p class="notice warn">An import is running now. <a href="${base}/imports/${active.job_id}">Follow it</a>.</p>` : ''}
          <div class="actions">
            <form method="post" action="${base}/imports" class="inline">
              ${csrfField(ctx.session)}<input type="hidden" name="dry_run" value="1" /><button
                type="submit"
                class="secondary"
                ${cp.missing.length || cp.record.pausedAt ? html` disabled` : ''}
              >
                Preview (dry run)
              </button>
            </form>
            <form method="post" action="${base}/imports" class="inline">
              ${csrfField(ctx.session)}<input type="hidden" name="intent" value="confirm" /><button
                type="submit"
                ${cp.missing.length || cp.record.pausedAt ? html` disabled` : ''}
              >
                Fetch all products
              </button>
            </form>
          </div>
          <h2>Recent product imports</h2>
          ${runsTable(base, runs)}
          <p><a href="${base}/runs">All runs</a></p>
          ${serviceStatePanel(state)} ${connectionControls(base, cp.record, ctx.session)}`;
        sendHtml(ctx.res, 200, cp.page(cp.record.name, 'overview', body));
      },
    },
  ];
}
