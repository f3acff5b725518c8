import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { credentialsToRetype, savedSecretsFor } from '../../connections/address-change.ts';
import { mycashflowClientFromSettings, netbaronClientFromSettings } from '../../connections/clients.ts';
import type { ConnectionRecord } from '../../connections/connection-store.ts';
import {
  checkCodes,
  nearMisses,
  searchCatalog,
  type CatalogIndex,
} from '../../connections/product-search.ts';
import { ConnectionNotReady } from '../../connections/registry.ts';
import {
  mergeSecrets,
  type SecretField,
  type Secrets,
  type StoredSettings,
} from '../../connections/settings.ts';
import { StoreProductCache, readStoreProducts } from '../../connections/store-products.ts';
import { testSystem, type ConnectionTest } from '../../connections/test-connection.ts';
import type { MyCashflowClient } from '../../mycashflow/client.ts';
import type { Logger } from '../../observability/logger.ts';
import { within } from '../../util/within.ts';
import type { AppContext } from '../app-context.ts';
import {
  formValuesOf,
  isSettingsPost,
  readConnectionFields,
  readSettingsForm,
  retypeErrors,
  TEST_FIELDS,
  typedSecrets,
  updateOnlyCodes,
  type SettingsFormValues,
} from '../forms/settings-form.ts';
import { HttpError } from '../http/request.ts';
import { redirect, sendHtml, sendJson, type RequestContext, type Route } from '../http/router.ts';
import { choiceDetail, searchSummary, type CodeChecks } from '../views/pages/settings-products.ts';
import { settingsBody, type SettingsView } from '../views/pages/settings.ts';
import { connectionOf, connectionPage } from './common.ts';

/** How long a page waits for a remote list (marketplaces, the store's products) before it goes without. */
const PAGE_WAIT_MS = 4000;
/** How long a search waits for the store's catalog; a read still running then answers the next search. */
const SEARCH_WAIT_MS = 10_000;
const SEARCH_RESULTS = 20;

const searchQuerySchema = z.object({ q: z.string().max(200).default('') });

/** NetBaron's marketplaces for the choice list, when the Product API credentials allow; never slow. */
async function marketplacesFor(
  netbaron: StoredSettings['netbaron'],
  secrets: Secrets,
  logger: Logger,
): Promise<SettingsView['marketplaces']> {
  if (!secrets.productApiPassword)
    return { unavailable: 'the NetBaron server, organisation and Product API password are needed first' };
  const nb = netbaronClientFromSettings(netbaron, secrets, logger);
  if (!nb) return { unavailable: 'the NetBaron server and organisation are needed first' };
  try {
    const answer = await within(nb.listMarketplaces(), PAGE_WAIT_MS);
    if (answer === 'timeout') return { unavailable: 'NetBaron did not answer in time' };
    return answer.map((m) => ({ id: String(m.id), name: m.name }));
  } catch (err) {
    return { unavailable: (err as Error).message };
  }
}

/** Settings compared as stored (jsonb drops keys whose value is undefined). */
const sameSettings = (a: StoredSettings, b: StoredSettings): boolean =>
  isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

interface RenderOptions {
  values?: SettingsFormValues;
  errors?: Record<string, string>;
  test?: ConnectionTest;
  unsaved?: boolean;
  typedSecrets?: SecretField[];
  /** What the marketplace list is read with: the form's NetBaron settings on a test; the saved ones otherwise. */
  netbaron?: { settings: StoredSettings['netbaron']; secrets: Secrets };
}

export function settingsRoutes(app: AppContext): Route[] {
  const catalogs = new StoreProductCache();

  /** The store's products for the picker, through the connection's MyCashflow client. */
  async function storeProducts(record: ConnectionRecord, logger: Logger): Promise<CatalogIndex> {
    let mcf: MyCashflowClient | undefined;
    try {
      mcf = (await app.registry.get(record.id))?.mcf;
    } catch (err) {
      // Not ready to run (no marketplace yet, say): the store may still be searched.
      if (!(err instanceof ConnectionNotReady)) throw err;
    }
    mcf ??= mycashflowClientFromSettings(
      record.settings.mycashflow,
      await app.store.secrets(record.id),
      logger,
    );
    if (!mcf) throw new Error('the store address, the API user and the API key are needed first');
    const { baseUrl, user } = record.settings.mycashflow;
    const client = mcf;
    return catalogs.get(record.id, `${baseUrl} ${user}`, () => readStoreProducts(client));
  }

  /** The chosen codes checked against the store, when the form is in the mode that uses them. */
  async function codeChecksFor(
    record: ConnectionRecord,
    values: SettingsFormValues,
    logger: Logger,
  ): Promise<CodeChecks | undefined> {
    const codes = updateOnlyCodes(values.update_only);
    if (values.import_mode.trim() !== 'update-existing' || codes.length === 0) return undefined;
    try {
      const index = await within(storeProducts(record, logger), PAGE_WAIT_MS);
      if (index === 'timeout') return { unavailable: 'the store did not answer in time' };
      return checkCodes(index, codes);
    } catch (err) {
      return { unavailable: (err as Error).message };
    }
  }

  async function renderSettings(
    ctx: RequestContext,
    status: number,
    options: RenderOptions = {},
  ): Promise<void> {
    const cp = await connectionPage(app, ctx);
    const { record } = cp;
    const values = options.values ?? formValuesOf(record.name, record.settings);
    const netbaron = options.netbaron ?? {
      settings: record.settings.netbaron,
      secrets: record.secretsSet.productApiPassword ? await app.store.secrets(record.id) : {},
    };
    const [marketplaces, codeChecks] = await Promise.all([
      marketplacesFor(netbaron.settings, netbaron.secrets, ctx.logger),
      codeChecksFor(record, values, ctx.logger),
    ]);
    const view: SettingsView = {
      record,
      values,
      errors: options.errors ?? {},
      marketplaces,
      codeChecks,
      saved: ctx.url.searchParams.get('saved') === '1',
      test: options.test,
      unsaved: options.unsaved ?? false,
      typedSecrets: options.typedSecrets ?? [],
      missing: cp.missing,
      session: ctx.session,
    };
    sendHtml(ctx.res, status, cp.page('Settings', 'settings', settingsBody(view)));
  }

  /**
   * A test of what is in the form, before saving: typed settings, and typed credentials or else the saved
   * ones. Nothing is saved; the page comes back with the form as typed and the result. A request
   * without the form (a bare POST) tests the saved settings.
   */
  async function testForm(ctx: RequestContext, system: 'mycashflow' | 'netbaron'): Promise<void> {
    const record = await connectionOf(app, ctx);
    const saved = await app.store.secrets(record.id);
    if (!isSettingsPost(ctx.form)) {
      const test = await testSystem(system, record.settings, saved, ctx.logger);
      ctx.logger.info('connection tested', { system, ok: test.ok, typed: false });
      return renderSettings(ctx, 200, { test });
    }
    const read = readSettingsForm(ctx.form, record.settings);
    const typed = typedSecrets(ctx.form);
    const parts = readConnectionFields(read.values, record.settings);
    // A saved key goes only to the address it was saved for: a changed one is tested with typed ones alone.
    const secrets = mergeSecrets(savedSecretsFor(record.settings, saved, parts), typed.secrets, typed.clear);
    const wrong = TEST_FIELDS[system].filter((f) => parts.errors[f]);
    const test: ConnectionTest = wrong.length
      ? {
          system: system === 'mycashflow' ? 'MyCashflow' : 'NetBaron',
          ok: false,
          lines: ['Not tested: correct the settings marked below first.'],
        }
      : await testSystem(system, parts, secrets, ctx.logger);
    const unsaved =
      !read.ok ||
      read.name !== record.name ||
      !sameSettings(read.settings, record.settings) ||
      Object.keys(typed.secrets).length + typed.clear.length > 0;
    ctx.logger.info('connection tested', { system, ok: test.ok, typed: true, unsaved });
    const nbUsable = TEST_FIELDS.netbaron.every((f) => !parts.errors[f]);
    await renderSettings(ctx, 200, {
      values: read.values,
      errors: read.ok ? {} : read.errors,
      test,
      unsaved,
      typedSecrets: Object.keys(typed.secrets) as SecretField[],
      ...(nbUsable ? { netbaron: { settings: parts.netbaron, secrets } } : {}),
    });
  }

  return [
    {
      method: 'GET',
      path: '/connections/:slug/settings',
      access: 'admin',
      handler: (ctx) => renderSettings(ctx, 200),
    },
    {
      method: 'POST',
      path: '/connections/:slug/settings',
      access: 'admin',
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const read = readSettingsForm(ctx.form, record.settings);
        const retype = read.ok
          ? credentialsToRetype(record.settings, record.secretsSet, read.settings, read.secrets, read.clear)
          : [];
        const result = retype.length
          ? { ok: false as const, values: read.values, errors: retypeErrors(retype) }
          : read;
        if (!result.ok) {
          // The form comes back as typed, with the messages beside the fields; credentials never do.
          return renderSettings(ctx, 422, {
            values: result.values,
            errors: result.errors,
            unsaved: true,
            typedSecrets: Object.keys(typedSecrets(ctx.form).secrets) as SecretField[],
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
      handler: (ctx) => testForm(ctx, system),
    })),
    {
      // The product picker's search: JSON for the page's script, from the store's catalog in memory.
      method: 'GET',
      path: '/connections/:slug/store-products',
      access: 'admin',
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const input = searchQuerySchema.safeParse(Object.fromEntries(ctx.url.searchParams));
        if (!input.success) throw new HttpError(400, 'The search is too long.');
        const query = input.data.q.trim();
        if (!query) return sendJson(ctx.res, 200, { ok: true, summary: '', choices: [], exactCode: false });
        let index: CatalogIndex | 'timeout';
        try {
          index = await within(storeProducts(record, ctx.logger), SEARCH_WAIT_MS);
        } catch (err) {
          ctx.logger.warn('store products could not be read for the picker', {
            connection: record.slug,
            error: (err as Error).message,
          });
          return sendJson(ctx.res, 503, { ok: false, message: (err as Error).message });
        }
        if (index === 'timeout')
          return sendJson(ctx.res, 503, {
            ok: false,
            message:
              "the store's products are still being read (a large store takes a while); search again in a moment",
          });
        const found = searchCatalog(index, query, SEARCH_RESULTS);
        // Nothing matches: the near-misses are offered instead, so a slip still leads to the product.
        const choices = found.total > 0 ? found.choices : nearMisses(index, query);
        sendJson(ctx.res, 200, {
          ok: true,
          summary: searchSummary(query, found.total, found.choices.length, found.total > 0 ? [] : choices),
          choices: choices.map((c) => ({ code: c.code, name: c.name, detail: choiceDetail(c) })),
          exactCode: index.byCode.has(query),
        });
      },
    },
  ];
}
