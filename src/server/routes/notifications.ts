import { recentNotifications } from '../../notifications/outbox.ts';
import type { AppContext } from '../app-context.ts';
import { formValuesOf, readNotificationsForm } from '../forms/notifications-form.ts';
import { redirect, sendHtml, type RequestContext, type Route } from '../http/router.ts';
import { notificationsBody, type NotificationsView } from '../views/pages/notifications.ts';
import { connectionBase, connectionOf, connectionPage } from './common.ts';

async function renderNotifications(
  app: AppContext,
  ctx: RequestContext,
  status: number,
  overrides: Partial<NotificationsView> = {},
): Promise<void> {
  const cp = await connectionPage(app, ctx);
  const { record } = cp;
  const view: NotificationsView = {
    base: connectionBase(record),
    session: ctx.session,
    values: formValuesOf(record.settings.notifications),
    errors: {},
    secretSaved: record.secretsSet.webhookSecret,
    timeZone: record.settings.schedule.timeZone,
    emailAvailable: app.notifier.emailAvailable,
    channels: app.notifier.channelsOf(record),
    saved: ctx.url.searchParams.get('saved') === '1',
    recent: await recentNotifications(app.db, record.id),
    ...overrides,
  };
  sendHtml(ctx.res, status, cp.page('Notifications', 'notifications', notificationsBody(view)));
}

export function notificationRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/connections/:slug/notifications',
      access: 'admin',
      handler: (ctx) => renderNotifications(app, ctx, 200),
    },
    {
      method: 'POST',
      path: '/connections/:slug/notifications',
      access: 'admin',
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const result = readNotificationsForm(ctx.form, record.secretsSet.webhookSecret);
        // What was typed comes back beside the messages; the signing secret never does.
        if (!result.ok)
          return renderNotifications(app, ctx, 422, { errors: result.errors, values: result.values });
        await app.store.saveNotifications(record.id, result.settings);
        await app.store.saveSecrets(
          record.id,
          result.secret ? { webhookSecret: result.secret } : {},
          result.clearSecret ? ['webhookSecret'] : [],
        );
        ctx.logger.info('notification settings saved', {
          connection: record.slug,
          recipients: result.settings.recipients.length,
          webhook: result.settings.webhookUrl !== '',
          signingChanged: Boolean(result.secret) || (result.clearSecret && record.secretsSet.webhookSecret),
        });
        redirect(ctx.res, `${connectionBase(record)}/notifications?saved=1`);
      },
    },
    {
      method: 'POST',
      path: '/connections/:slug/notifications/test',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const test = await app.notifier.sendTest(cp.record, cp.problems);
        await renderNotifications(app, ctx, 200, { test });
      },
    },
  ];
}
