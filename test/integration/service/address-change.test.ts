import { describe, expect, it } from 'vitest';
import { ConnectionFileError } from '../../../src/config/connection-file.ts';
import { formValuesOf } from '../../../src/server/forms/settings-form.ts';
import { clearRequests, requestCounts } from '../../helpers/sims.ts';
import { MCF_USER, NB_ORDERS_PASSWORD, NB_PRODUCTS_PASSWORD } from '../../helpers/scenarios.ts';
import {
  AdminClient,
  addConnection,
  connectionFileFor,
  startStoreSims,
  startTestService,
} from '../../helpers/service.ts';

/*
 * A saved credential belongs to its address. Moving a connection to another store address or NetBaron
 * server (a typo, or someone else's server) must not send it there: the simulators at the new address
 * are the witnesses, and they see nothing until the credential is given again.
 */

const t = await startTestService();
const home = await startStoreSims();
const elsewhere = await startStoreSims();

/** The settings form as the page would post it, from stored settings with some fields changed. */
async function settingsForm(slug: string, changes: Record<string, string>): Promise<Record<string, string>> {
  const record = (await t.service.store.bySlug(slug))!;
  const values = formValuesOf(record.name, record.settings);
  const form: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) {
    if (typeof value === 'boolean') {
      if (value) form[field] = 'on';
    } else form[field] = value;
  }
  return { ...form, ...changes };
}

const total = async (url: string): Promise<number> => (await requestCounts(url)).total;

describe('changing a stored address', () => {
  it('in the settings form: asks for the credentials again and sends nothing to the new address until then', async () => {
    await addConnection(t, connectionFileFor(home, 'moving'));
    const admin = new AdminClient(t.url);
    await admin.signIn();
    await admin.get('/connections/moving/settings');
    await clearRequests(elsewhere.mycashflow.url);
    await clearRequests(elsewhere.netbaron.url);

    const moved = await settingsForm('moving', {
      mcf_store: `${elsewhere.mycashflow.url}/api/v1`,
      nb_server: elsewhere.netbaron.url,
    });
    const refused = await admin.post('/connections/moving/settings', moved);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('The store address changed: type the API key for the new address.');
    expect(refused.text).toContain('The NetBaron server changed: type this password for the new server');
    expect(refused.text).toMatch(/id="mcf_api_key-error"/);
    expect(refused.text).toMatch(/id="nb_order_password-error"/);
    // Nothing was saved.
    expect((await t.service.store.bySlug('moving'))!.settings.netbaron.baseUrl).toBe(home.netbaron.url);

    // "Test connection" with the new addresses uses no saved credential either.
    const mcfTest = await admin.post('/connections/moving/test/mycashflow', moved);
    expect(mcfTest.text).toContain(
      'Not tested: fill in the store address, the API user and the API key first.',
    );
    const nbTest = await admin.post('/connections/moving/test/netbaron', moved);
    expect(nbTest.text).toContain('Product API: no password typed or saved.');
    expect(await total(elsewhere.mycashflow.url)).toBe(0);
    expect(await total(elsewhere.netbaron.url)).toBe(0);

    // The same test at the saved addresses still uses the saved credentials.
    const homeTest = await admin.post('/connections/moving/test/netbaron', await settingsForm('moving', {}));
    expect(homeTest.text).toContain('Product API works');

    // A credential typed for the new address, or removed, lets the change through.
    const saved = await admin.post('/connections/moving/settings', {
      ...moved,
      mcf_api_key: MCF_USER.api_key,
      nb_product_password: NB_PRODUCTS_PASSWORD,
      clear_order_password: 'on',
    });
    expect(saved.status).toBe(303);
    const record = (await t.service.store.bySlug('moving'))!;
    expect(record.settings.netbaron.baseUrl).toBe(elsewhere.netbaron.url);
    expect(record.secretsSet).toMatchObject({
      mycashflowApiKey: true,
      productApiPassword: true,
      orderApiPassword: false,
    });
    const afterTest = await admin.post(
      '/connections/moving/test/mycashflow',
      await settingsForm('moving', {}),
    );
    expect(afterTest.text).toContain('API access works');
    expect(await total(elsewhere.mycashflow.url)).toBeGreaterThan(0);
  });

  it('from a connection file: a file that moves the address without the credential is refused', async () => {
    await t.service.store.upsertFromFile(connectionFileFor(home, 'filed'));
    const file = connectionFileFor(elsewhere, 'filed');
    const { productApiPassword: _p, orderApiPassword: _o, ...netbaron } = file.netbaron;
    const withoutPasswords = { ...file, netbaron };
    await expect(t.service.store.upsertFromFile(withoutPasswords)).rejects.toThrow(ConnectionFileError);
    await expect(t.service.store.upsertFromFile(withoutPasswords)).rejects.toThrow(
      /connection filed: the file changes its netbaron\.baseUrl but does not carry netbaron\.productApiPassword and netbaron\.orderApiPassword for the new address/,
    );
    const kept = (await t.service.store.bySlug('filed'))!;
    expect(kept.settings.netbaron.baseUrl).toBe(home.netbaron.url);
    expect(kept.secretsSet.orderApiPassword).toBe(true);

    // A file carrying the credentials for the new address moves it; one that keeps the address needs none.
    const moved = await t.service.store.upsertFromFile({
      ...file,
      netbaron: {
        ...netbaron,
        productApiPassword: NB_PRODUCTS_PASSWORD,
        orderApiPassword: NB_ORDERS_PASSWORD,
      },
    });
    expect(moved.settings.netbaron.baseUrl).toBe(elsewhere.netbaron.url);
    expect(moved.secretsSet.orderApiPassword).toBe(true);
    const stayed = await t.service.store.upsertFromFile(withoutPasswords);
    expect(stayed.settings.netbaron.baseUrl).toBe(elsewhere.netbaron.url);
  });
});
