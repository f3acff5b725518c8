import { setTimeout as delay } from 'node:timers/promises';
import { netbaronClientFromSettings } from '../../connections/clients.ts';
import { testMyCashflow, testNetBaron, type ConnectionTest } from '../../connections/test-connection.ts';
import type { ConnectionRecord } from '../../connections/connection-store.ts';
import { MyCashflowClient } from '../../mycashflow/client.ts';
import type { AppContext } from '../app-context.ts';
import { readSettingsForm } from '../forms/settings-form.ts';
import { redirect, sendHtml, type RequestContext, type Route } from '../http/router.ts';
import { settingsBody, type SettingsView } from '../views/pages/settings.ts';
import { connectionOf, connectionPage } from './common.ts';

/** NetBaron's marketplaces for the choice list, when the Product API credentials allow; never slow. */
async function marketplacesFor(
  app: AppContext,
  record: ConnectionRecord,
): Promise<SettingsView['marketplaces']> {
  if (!record.secretsSet.productApiPassword)
    return { unavailable: 'the NetBaron server, organisation and Product API password are needed first' };
  const nb = netbaronClientFromSettings(
    record.settings.netbaron,
    await app.store.secrets(record.id),
    app.logger,
  );
  if (!nb) return { unavailable: 'the NetBaron server and organisation are needed first' };
  try {
    const answer = await Promise.race([nb.listMarketplaces(), delay(4000, 'timeout' as const)]);
    if (answer === 'timeout') return { unavailable: 'NetBaron did not answer in time' };
    return answer.map((m) => ({ id: String(m.id), name: m.name }));
  } catch (err) {
    return { unavailable: (err as Error).message };
  }
}

async function renderSettings(
  app: AppContext,
  ctx: RequestContext,
  status: number,
  overrides: Partial<SettingsView> = {},
): Promise<void> {
  const cp = await connectionPage(app, ctx);
  const view: SettingsView = {
    record: cp.record,
    settings: cp.record.settings,
    name: cp.record.name,
    errors: {},
    marketplaces: await marketplacesFor(app, cp.record),
    saved: ctx.url.searchParams.get('saved') === '1',
    missing: cp.missing,
    session: ctx.session,
    ...overrides,
  };
  sendHtml(ctx.res, status, cp.page('Settings', 'settings', settingsBody(view)));
}

async function runTest(
  app: AppContext,
  ctx: RequestContext,
  system: 'mycashflow' | 'netbaron',
): Promise<ConnectionTest> {
  const record = await connectionOf(app, ctx);
  const secrets = await app.store.secrets(record.id);
  // Fresh clients: a test must not wait behind the retries of a running job's client.
  if (system === 'netbaron') {
    const nb = netbaronClientFromSettings(record.settings.netbaron, secrets, ctx.logger);
    if (!nb)
      return {
        system: 'NetBaron',
        ok: false,
        lines: ['Not tested: set the NetBaron server and organisation and save first.'],
      };
    return testNetBaron(nb, {
      products: Boolean(secrets.productApiPassword),
      salesorder: Boolean(secrets.orderApiPassword),
    });
  }
  const m = record.settings.mycashflow;
  if (!m.baseUrl || !m.user || !secrets.mycashflowApiKey)
    return {
      system: 'MyCashflow',
      ok: false,
      lines: ['Not tested: set the store address, the API user and the API key and save first.'],
    };
  const mcf = new MyCashflowClient(
    { baseUrl: m.baseUrl, email: m.user, apiKey: secrets.mycashflowApiKey },
    ctx.logger.child({ system: 'mycashflow' }),
  );
  return testMyCashflow(mcf);
}

export function settingsRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/connections/:slug/settings',
      access: 'admin',
      handler: (ctx) => renderSettings(app, ctx, 200),
    },
    {
      method: 'POST',
      path: '/connections/:slug/settings',
      access: 'admin',
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const result = readSettingsForm(ctx.form, record.settings);
        if (!result.ok) {
          // The saved settings come back with the messages beside the fields; credentials never do.
          return renderSettings(app, ctx, 422, {
            errors: result.errors,
            name: String(ctx.form.name ?? record.name),
          });
        }
        await app.store.saveSettings(record.id, result.name, result.settings);
        await app.store.saveSecrets(record.id, result.secrets, result.clear);
        ctx.logger.info('connection settings saved', {
          connection: record.slug,
          credentialsChanged: Object.keys(result.secrets).length + result.clear.length > 0,
        });
        try {
          await app.subscribeWebhooks(record.id);
        } catch (err) {
          ctx.logger.warn('could not subscribe to order webhooks; polling still exports orders', {
            connection: record.slug,
            error: (err as Error).message,
          });
        }
        redirect(ctx.res, `/connections/${record.slug}/settings?saved=1`);
      },
    },
    ...(['mycashflow', 'netbaron'] as const).map((system): Route => ({
      method: 'POST',
      path: `/connections/:slug/test/${system}`,
      access: 'admin',
      handler: async (ctx) => {
        const test = await runTest(app, ctx, system);
        ctx.logger.info('connection tested', { system, ok: test.ok });
        await renderSettings(app, ctx, 200, { test });
      },
    })),
  ];
}
