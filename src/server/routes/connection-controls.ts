import { removeConnection, resumeConnection } from '../../jobs/connection-controls.ts';
import type { AppContext } from '../app-context.ts';
import { formText, HttpError } from '../http/request.ts';
import { redirect, sendHtml, type Route } from '../http/router.ts';
import { html } from '../../util/html.ts';
import { csrfField } from '../views/layout.ts';
import { connectionBase, connectionOf, connectionPage } from './common.ts';

/** Pause, resume and remove a connection: POST forms with the session's CSRF token, as every form. */
export function connectionControlRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/connections/:slug/pause',
      access: 'admin',
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        if (await app.store.pause(record.id))
          ctx.logger.info('connection paused from the admin page', { connection: record.slug });
        redirect(ctx.res, `${connectionBase(record)}?paused=1`);
      },
    },
    {
      method: 'POST',
      path: '/connections/:slug/resume',
      access: 'admin',
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const { resumed, queued } = await resumeConnection(
          app.boss,
          app.db,
          app.store,
          record.id,
          'admin page (resumed)',
        );
        app.wakeOrderWorkers?.();
        if (resumed)
          ctx.logger.info('connection resumed from the admin page', {
            connection: record.slug,
            orders: queued,
          });
        redirect(ctx.res, `${connectionBase(record)}?resumed=${queued}`);
      },
    },
    {
      method: 'GET',
      path: '/connections/:slug/remove',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const base = connectionBase(cp.record);
        const body = html`<section class="notice confirm" aria-labelledby="remove-title">
          <h2 id="remove-title">Remove ${cp.record.name}?</h2>
          <p>
            The service stops importing products and sending orders for this store, erases its credentials and
            deletes its order webhook at MyCashflow. Its product imports and orders stay readable (on the
            command line: <code>netbaron connections list --removed</code>). Orders not yet in NetBaron are
            not sent.
          </p>
          <form method="post" action="${base}/remove" class="inline">
            ${csrfField(ctx.session)}<input type="hidden" name="confirm" value="yes" />
            <button type="submit" class="danger">Remove this connection</button>
          </form>
          <a href="${base}">Keep it</a>
        </section>`;
        sendHtml(ctx.res, 200, cp.page(`Remove ${cp.record.name}`, 'overview', body));
      },
    },
    {
      method: 'POST',
      path: '/connections/:slug/remove',
      access: 'admin',
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        if (formText(ctx.form, 'confirm') !== 'yes')
          throw new HttpError(400, 'Confirm the removal on its page: nothing was removed.');
        const { archivedAs } = await removeConnection(app.db, app.store, record.id, ctx.logger);
        ctx.logger.info('connection removed from the admin page', { connection: record.slug, archivedAs });
        redirect(ctx.res, `/?removed=${encodeURIComponent(record.slug)}`);
      },
    },
  ];
}
