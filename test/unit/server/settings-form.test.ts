import { describe, expect, it } from 'vitest';
import { mergeSecrets, parseStoredSettings } from '../../../src/connections/settings.ts';
import {
  formValuesOf,
  isSettingsPost,
  readConnectionFields,
  readSettingsForm,
  storeApiAddress,
  typedSecrets,
} from '../../../src/server/forms/settings-form.ts';

const current = parseStoredSettings({});

/** The form as the settings page posts it with its defaults. */
function form(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: 'Pikku Puoti',
    mcf_store: 'pikku-puoti',
    mcf_user: 'api@pikku.example',
    mcf_api_key: '',
    nb_server: 'https://nb.example.fi/',
    nb_organisation: 'org-1',
    nb_product_password: '',
    nb_order_password: '',
    nb_products_interface: '1',
    nb_salesorder_interface: '2',
    nb_marketplace: '3',
    import_mode: 'import-new',
    update_only: '',
    when_removing: 'hide',
    vat_rates: '25.5, 14, 13.5, 10, 0',
    guard_removal_percent: '10',
    guard_price_percent: '30',
    guard_price_share_percent: '10',
    concurrency: '4',
    shipping_code: 'TOIMITUS',
    payment_cost_code: 'MAKSUKULU',
    discount_code: 'ALENNUS',
    schedule_frequency: 'off',
    schedule_at: '03:00',
    schedule_timezone: 'Europe/Helsinki',
    ...overrides,
  };
}

describe('the settings form', () => {
  it('reads every setting, turning a store name into its API address', () => {
    const result = readSettingsForm(
      form({
        update_descriptions: 'on',
        use_version_contact: 'on',
        contact_company: 'Pikku Puoti Oy',
        when_removing: 'delete',
        schedule_frequency: 'daily',
        schedule_at: '04:30',
        guard_removal_percent: '12,5',
      }),
      current,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.mycashflow.baseUrl).toBe('https://pikku-puoti.mycashflow.fi/api/v1');
    expect(result.settings.netbaron).toMatchObject({
      baseUrl: 'https://nb.example.fi',
      salesOrderInterface: 2,
      marketplace: '3',
    });
    expect(result.settings.productImport).toMatchObject({
      updateDescriptions: true,
      whenRemoving: 'delete',
      vatRates: [25.5, 14, 13.5, 10, 0],
      guards: { maxRemovalShare: 0.125, priceChangePercent: 30, maxPriceChangeShare: 0.1 },
    });
    expect(result.settings.orderExport).toMatchObject({
      useVersionContactDetails: true,
      storeContact: { company: 'Pikku Puoti Oy' },
    });
    expect(result.settings.schedule).toEqual({
      frequency: 'daily',
      at: '04:30',
      timeZone: 'Europe/Helsinki',
    });
  });

  it('keeps a saved credential when its field is left empty, and replaces it when typed', () => {
    const kept = readSettingsForm(form(), current);
    expect(kept.ok && kept.secrets).toEqual({});
    const typed = readSettingsForm(
      form({ mcf_api_key: ' new-key ', nb_order_password: 'pw', clear_product_password: 'on' }),
      current,
    );
    expect(typed.ok && typed.secrets).toEqual({ mycashflowApiKey: 'new-key', orderApiPassword: 'pw' });
    expect(typed.ok && typed.clear).toEqual(['productApiPassword']);
  });

  it('reads the update-only selection as codes, one per line or separated by commas', () => {
    const result = readSettingsForm(
      form({ import_mode: 'update-existing', update_only: 'KAHVI-1\r\nTS-100, KIRJA-1\n\nKAHVI-1' }),
      current,
    );
    expect(result.ok && result.settings.productImport.updateOnly).toEqual(['KAHVI-1', 'TS-100', 'KIRJA-1']);
  });

  it('names each wrong field in words, and never echoes a value', () => {
    const result = readSettingsForm(
      form({
        name: '',
        mcf_store: 'https://user:hunter2@store.example/api',
        mcf_user: 'not-an-email',
        import_mode: 'update-existing',
        vat_rates: '25.5, lots',
        concurrency: '99',
        schedule_at: '25:00',
        shipping_code: '',
      }),
      current,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      [
        'concurrency',
        'mcf_store',
        'mcf_user',
        'name',
        'schedule_at',
        'shipping_code',
        'update_only',
        'vat_rates',
      ].sort(),
    );
    expect(JSON.stringify(result.errors)).not.toContain('hunter2');
    expect(result.errors.update_only).toMatch(/product codes/);
  });

  it('leaves a full API address as typed, without a trailing slash', () => {
    expect(storeApiAddress('https://kauppa.mycashflow.fi/api/v1/')).toBe(
      'https://kauppa.mycashflow.fi/api/v1',
    );
    expect(storeApiAddress('Kauppa')).toBe('https://kauppa.mycashflow.fi/api/v1');
  });

  it('keeps every field exactly as typed when the form has an error, credentials left out', () => {
    const asTyped = {
      name: '  Pikku Puoti  ',
      vat_rates: '25.5, lots',
      concurrency: '99',
      import_mode: 'update-existing',
      update_only: 'kirja-1\r\n TS-100,,',
      when_removing: 'delete',
      schedule_timezone: 'Europe/Stockholm',
      contact_city: 'Turku ',
    };
    const result = readSettingsForm(
      form({
        ...asTyped,
        update_descriptions: 'on',
        clear_order_password: 'on',
        mcf_api_key: 'typed-secret-key',
        nb_product_password: 'typed-secret-password',
      }),
      current,
    );
    expect(result.ok).toBe(false);
    expect(result.values).toMatchObject({
      ...asTyped,
      update_descriptions: true,
      use_version_contact: false,
      clear_order_password: true,
    });
    expect(JSON.stringify(result)).not.toContain('typed-secret');
  });

  it('shows the saved settings as the form would post them, and reads them back unchanged', () => {
    const saved = readSettingsForm(form({ guard_removal_percent: '12.5' }), current);
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    const values = formValuesOf(saved.name, saved.settings);
    expect(values).toMatchObject({
      mcf_store: 'https://pikku-puoti.mycashflow.fi/api/v1',
      guard_removal_percent: '12.5',
    });
    const posted = Object.fromEntries(
      Object.entries(values).flatMap(([k, v]) => (v === false ? [] : [[k, v === true ? 'on' : v]])),
    );
    const again = readSettingsForm(posted, saved.settings);
    expect(again.ok && again.settings).toEqual(saved.settings);
  });

  it('reads the NetBaron wire format chosen on the form, and refuses a value outside the choices', () => {
    const read = readSettingsForm(form({ nb_boolean_spelling: 'lower', nb_decimal_separator: ',' }), current);
    expect(read.ok && read.settings.netbaron).toMatchObject({
      booleanSpelling: 'lower',
      decimalSeparator: ',',
    });
    const wrong = readSettingsForm(form({ nb_boolean_spelling: 'TRUE', nb_decimal_separator: ' ' }), current);
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.errors).toEqual({ nb_boolean_spelling: 'Choose TRUE / FALSE or true / false.' });
    expect(wrong.values).toMatchObject({ nb_boolean_spelling: 'TRUE', nb_decimal_separator: ' ' });
    const separator = readSettingsForm(form({ nb_decimal_separator: ';' }), current);
    expect(!separator.ok && separator.errors).toEqual({
      nb_decimal_separator: 'Choose a point (24.90) or a comma (24,90).',
    });
  });

  it('keeps the saved NetBaron wire format when a post does not carry it (an older page, a bare test)', () => {
    const saved = parseStoredSettings({ netbaron: { booleanSpelling: 'lower', decimalSeparator: ',' } });
    const read = readSettingsForm(form(), saved);
    expect(read.ok && read.settings.netbaron).toMatchObject({
      booleanSpelling: 'lower',
      decimalSeparator: ',',
    });
    expect(readConnectionFields(read.values, saved).netbaron).toMatchObject({ booleanSpelling: 'lower' });
    expect(readSettingsForm(form(), current).ok && current.netbaron.booleanSpelling).toBe('upper');
  });

  it('reads the connection parts a test uses, naming only their own errors', () => {
    const parts = readConnectionFields(
      readSettingsForm(form({ nb_products_interface: 'x', vat_rates: 'lots' }), current).values,
    );
    expect(parts.mycashflow).toEqual({
      baseUrl: 'https://pikku-puoti.mycashflow.fi/api/v1',
      user: 'api@pikku.example',
    });
    expect(parts.netbaron).toMatchObject({ baseUrl: 'https://nb.example.fi', salesOrderInterface: 2 });
    expect(Object.keys(parts.errors)).toEqual(['nb_products_interface']);
  });

  it('tests with a typed credential, else the saved one, and without one marked for removal', () => {
    const saved = { mycashflowApiKey: 'k1', productApiPassword: 'p1', orderApiPassword: 'o1' };
    const typed = typedSecrets(form({ nb_product_password: ' p2 ', clear_order_password: 'on' }));
    expect(mergeSecrets(saved, typed.secrets, typed.clear)).toEqual({
      mycashflowApiKey: 'k1',
      productApiPassword: 'p2',
    });
    expect(isSettingsPost({ _csrf: 't' })).toBe(false);
    expect(isSettingsPost(form())).toBe(true);
  });
});
