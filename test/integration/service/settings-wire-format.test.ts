import { describe, expect, it } from 'vitest';
import { formValuesOf } from '../../../src/server/forms/settings-form.ts';
import { clearRequests, simControl } from '../../helpers/sims.ts';
import {
  AdminClient,
  addConnection,
  connectionFileFor,
  startStoreSims,
  startTestService,
} from '../../helpers/service.ts';

/*
 * How flags and decimals are spelled for NetBaron (`netbaron.booleanSpelling`, `.decimalSeparator`) is
 * chosen on the settings page too, not only in a connection file: saved, shown back, used on the wire,
 * and a value outside the two choices is refused without losing anything else typed.
 */

const t = await startTestService();
const sims = await startStoreSims();
const PAGE = '/connections/spelling/settings';

/** The settings form as the page would post it, from the stored settings with some fields changed. */
async function settingsForm(changes: Record<string, string>): Promise<Record<string, string>> {
  const record = (await t.service.store.bySlug('spelling'))!;
  const form: Record<string, string> = {};
  for (const [field, value] of Object.entries(formValuesOf(record.name, record.settings))) {
    if (typeof value === 'boolean') {
      if (value) form[field] = 'on';
    } else form[field] = value;
  }
  return { ...form, ...changes };
}

/** The value of the `<option>` a select shows as chosen. */
function chosen(page: string, field: string): string | undefined {
  const select = new RegExp(`<select id="${field}"[\\s\\S]*?</select>`).exec(page)?.[0] ?? '';
  return /<option value="([^"]*)"\s+selected/.exec(select)?.[1];
}

async function netbaronQueries(): Promise<string[]> {
  const log = await simControl<{ requests: Array<{ query: string }> }>(`${sims.netbaron.url}/__sim/requests`);
  return log.requests.map((r) => r.query);
}

describe('NetBaron spelling on the settings page', () => {
  it('shows the defaults with what each changes, saves lower case and a comma, and uses them', async () => {
    await addConnection(t, connectionFileFor(sims, 'spelling'));
    const admin = new AdminClient(t.url);
    await admin.signIn();

    await clearRequests(sims.netbaron.url);
    const first = await admin.get(PAGE);
    expect(first.status).toBe(200);
    expect(await netbaronQueries()).toContain('?ListMarketplaces=TRUE');
    expect(chosen(first.text, 'nb_boolean_spelling')).toBe('upper');
    expect(chosen(first.text, 'nb_decimal_separator')).toBe('.');
    expect(first.text).toContain('Yes/no values sent to NetBaron');
    expect(first.text).toContain('Decimal separator sent to NetBaron');
    expect(first.text).toContain('How yes/no values are written in the requests sent to NetBaron.');
    expect(first.text).toContain('How prices, VAT rates and quantities are written in the orders sent');

    const saved = await admin.post(
      PAGE,
      await settingsForm({ nb_boolean_spelling: 'lower', nb_decimal_separator: ',' }),
    );
    expect(saved.status).toBe(303);
    const record = (await t.service.store.bySlug('spelling'))!;
    expect(record.settings.netbaron).toMatchObject({ booleanSpelling: 'lower', decimalSeparator: ',' });

    await clearRequests(sims.netbaron.url);
    const again = await admin.get(PAGE);
    expect(chosen(again.text, 'nb_boolean_spelling')).toBe('lower');
    expect(chosen(again.text, 'nb_decimal_separator')).toBe(',');
    // The page's list of marketplaces is read from NetBaron with the saved spelling.
    expect(await netbaronQueries()).toContain('?ListMarketplaces=true');
  });

  it('refuses a value outside the choices with a clear message, keeps everything typed and saves nothing', async () => {
    const admin = new AdminClient(t.url);
    await admin.signIn();
    await admin.get(PAGE);
    const before = (await t.service.store.bySlug('spelling'))!;

    const refused = await admin.post(
      PAGE,
      await settingsForm({
        name: 'Renamed shop',
        contact_city: 'Tampere',
        nb_boolean_spelling: 'Yes',
        nb_decimal_separator: '.',
      }),
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choose TRUE / FALSE or true / false.');
    expect(refused.text).toMatch(/<a href="#nb_boolean_spelling">Yes\/no values sent to NetBaron<\/a>/);
    expect(refused.text).toMatch(/id="nb_boolean_spelling-error"/);
    // Shown back exactly as typed: the refused value, the other choice and the other fields.
    expect(chosen(refused.text, 'nb_boolean_spelling')).toBe('Yes');
    expect(chosen(refused.text, 'nb_decimal_separator')).toBe('.');
    expect(refused.text).toContain('value="Renamed shop"');
    expect(refused.text).toContain('value="Tampere"');

    const after = (await t.service.store.bySlug('spelling'))!;
    expect(after.name).toBe(before.name);
    expect(after.settings).toEqual(before.settings);

    const badSeparator = await admin.post(PAGE, await settingsForm({ nb_decimal_separator: ';' }));
    expect(badSeparator.status).toBe(422);
    expect(badSeparator.text).toContain('Choose a point (24.90) or a comma (24,90).');
    expect((await t.service.store.bySlug('spelling'))!.settings).toEqual(before.settings);
  });
});
