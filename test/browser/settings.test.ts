import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionRecord } from '../../src/connections/connection-store.ts';
import { launchBrowser, poll, type TestBrowser } from '../helpers/browser.ts';
import { MCF_USER, NB_ORDERS_PASSWORD, NB_PRODUCTS_PASSWORD } from '../helpers/scenarios.ts';
import {
  ADMIN_PASSWORD,
  addConnection,
  connectionFileFor,
  startStoreSims,
  startTestService,
  type TestService,
} from '../helpers/service.ts';

/*
 * The settings page in real headless Chromium, against the whole service and both simulators with the
 * small scenario (store products KAHVI-1, KIRJA-1, TS-100 with TS-100-S and TS-100-M, MUKI-1, SUKKA-1, …):
 * a form with errors comes back as typed, the products to update are chosen by searching the store,
 * a near-miss is offered for a code the store does not have, the time zone is chosen from a list, a
 * connection test uses what is in the form without saving it, and leaving unsaved changes asks first.
 * The steps build on one another and share one signed-in browser page.
 */

const TYPED_PASSWORD = 'typed-never-saved-Öö-8812';
const WRONG_PRODUCT_PASSWORD = 'not-the-product-password-5521';

let t: TestService;
let b: TestBrowser;
let page: Page;
let base: string;
let connectionId: string;

/** The dialogs the page opened (their types), answered as `dialogAnswer` says. */
const dialogs: string[] = [];
let dialogAnswer: 'accept' | 'dismiss' = 'accept';

const pathOf = (p: Page): string => new URL(p.url()).pathname;

const text = async (target: Locator): Promise<string> =>
  ((await target.textContent()) ?? '').replace(/\s+/g, ' ').trim();

async function clickAndLoad(target: Locator): Promise<void> {
  const loaded = page.waitForEvent('load');
  await target.click();
  await loaded;
}

async function openSettings(): Promise<void> {
  await page.goto(`${t.url}${base}/settings`);
  expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Settings');
}

async function saved(): Promise<ConnectionRecord> {
  return (await t.service.store.byId(connectionId))!;
}

async function saveSettings(): Promise<void> {
  await clickAndLoad(page.getByRole('button', { name: 'Save settings' }));
  expect(pathOf(page)).toBe(`${base}/settings`);
  expect(await text(page.getByRole('status').filter({ hasText: 'Settings saved' }))).toBe('Settings saved.');
}

async function expectNoCredentialsInPage(): Promise<void> {
  const markup = await page.content();
  for (const secret of [MCF_USER.api_key, NB_PRODUCTS_PASSWORD, NB_ORDERS_PASSWORD, TYPED_PASSWORD])
    expect(markup).not.toContain(secret);
  expect(markup).not.toContain(WRONG_PRODUCT_PASSWORD);
}

const field = (): Locator => page.locator('#update-only-field');
const search = (): Locator => page.getByLabel('Find products in the store by code or name');
const searchStatus = (): Locator => page.locator('#product-search-status');
const result = (code: string): Locator =>
  page.locator('#product-search-results').getByRole('button', { name: new RegExp(`^${code} `) });
const chosenCodes = async (): Promise<string[]> =>
  page
    .locator('#chosen-products li')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-code') ?? ''));

/** Searches the picker and waits for the live region to tell what was found. */
async function searchFor(query: string, expected: string | RegExp): Promise<void> {
  await search().fill(query);
  await page.locator('#product-search-status', { hasText: expected }).waitFor();
}

beforeAll(async () => {
  t = await startTestService();
  const sims = await startStoreSims();
  const record = await addConnection(t, connectionFileFor(sims, 'settingskauppa', 'Settingskauppa'));
  base = `/connections/${record.slug}`;
  connectionId = record.id;
  b = await launchBrowser();
  page = b.page;
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void (dialogAnswer === 'accept' ? dialog.accept() : dialog.dismiss());
  });
  await page.goto(`${t.url}/sign-in`);
  await page.getByLabel('Admin password').fill(ADMIN_PASSWORD);
  await clickAndLoad(page.getByRole('button', { name: 'Sign in' }));
  expect(pathOf(page)).toBe('/');
});

describe('the settings page in Chromium', () => {
  it('shows a form with errors exactly as typed, the errors listed at the top, and no typed password', async () => {
    await openSettings();
    const before = await saved();
    await page.getByLabel('Name', { exact: true }).fill('Settingskauppa (uusi)');
    await page.getByLabel('VAT rates accepted for new products (%)').fill('25.5, lots');
    await page.getByText('Safety limits and speed').click();
    await page.getByLabel('Writes to MyCashflow at once (at most)').fill('99');
    await page.getByRole('radio', { name: 'Delete the product' }).check();
    await page.getByRole('radio', { name: 'Every hour' }).check();
    await page.getByRole('checkbox', { name: 'Use version contact details' }).check();
    await page.getByLabel('City').fill('Turku');
    await page.getByLabel('Time zone').selectOption('Europe/Stockholm');
    await page.getByLabel('Product API password').fill(TYPED_PASSWORD);
    await clickAndLoad(page.getByRole('button', { name: 'Save settings' }));

    expect(pathOf(page)).toBe(`${base}/settings`);
    const summary = page.locator('#error-summary');
    expect(await text(summary)).toContain('Some settings need fixing; nothing was saved');
    expect(
      await summary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).toEqual(['#vat_rates', '#concurrency']);
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('error-summary');
    // Every field as typed.
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Settingskauppa (uusi)');
    expect(await page.getByLabel('VAT rates accepted for new products (%)').inputValue()).toBe('25.5, lots');
    expect(await page.getByLabel('Writes to MyCashflow at once (at most)').inputValue()).toBe('99');
    expect(await page.getByRole('radio', { name: 'Delete the product' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Every hour' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Use version contact details' }).isChecked()).toBe(true);
    expect(await page.getByLabel('City').inputValue()).toBe('Turku');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Stockholm');
    // The messages beside their fields.
    const concurrency = page.getByLabel('Writes to MyCashflow at once (at most)');
    expect(await concurrency.getAttribute('aria-invalid')).toBe('true');
    expect(await text(page.locator(`#${await concurrency.getAttribute('aria-describedby')}`))).toBe(
      'Give a whole number from 1 to 32.',
    );
    expect(
      await page.getByLabel('VAT rates accepted for new products (%)').getAttribute('aria-invalid'),
    ).toBe('true');
    // The typed password is not in the page, nor saved; the page says so.
    expect(await page.getByLabel('Product API password').inputValue()).toBe('');
    expect(await text(page.locator('label[for="nb_product_password"] + p.hint'))).toContain(
      'The one you typed is not saved',
    );
    await expectNoCredentialsInPage();
    expect(t.logs.join('\n')).not.toContain(TYPED_PASSWORD);
    const after = await saved();
    expect(after.settings).toEqual(before.settings);
    expect(after.name).toBe(before.name);
    expect((await t.service.store.secrets(connectionId)).productApiPassword).toBe(NB_PRODUCTS_PASSWORD);
  });

  it('asks for the products to update only in the mode that uses them, without reloading', async () => {
    await openSettings();
    const importNew = page.getByRole('radio', { name: 'Import new products from NetBaron' });
    const updateExisting = page.getByRole('radio', { name: "Only update existing products' details" });
    expect(await importNew.isChecked()).toBe(true);
    expect(await field().isVisible()).toBe(false);
    await updateExisting.check();
    expect(await field().isVisible()).toBe(true);
    expect(await search().isVisible()).toBe(true);
    // Progressive enhancement: the textarea stays the form's field, out of sight.
    expect(await page.locator('textarea#update_only').isVisible()).toBe(false);
    await importNew.check();
    expect(await field().isVisible()).toBe(false);
    await updateExisting.check();
    expect(await field().isVisible()).toBe(true);
  });

  it('chooses products by searching the store, by lower-case code and by part of the name, and keeps them', async () => {
    await searchFor('kirja-1', '1 product matches.');
    expect(await text(result('KIRJA-1'))).toContain('Kirja: Pähkinänsärkijä (no variations)');
    await result('KIRJA-1').click();
    expect(await text(searchStatus())).toBe('KIRJA-1 added.');

    await searchFor('villasuk', '1 product matches.');
    await result('SUKKA-1').click();

    // A product with variations says so; one chosen by mistake is removed again, by keyboard.
    await searchFor('ts-100', '3 products match.');
    expect(await text(result('TS-100'))).toContain('T-paita (2 variations)');
    expect(await text(result('TS-100-S'))).toContain('variation of TS-100');
    await result('TS-100').focus();
    await page.keyboard.press('Enter');
    expect(await chosenCodes()).toEqual(['KIRJA-1', 'SUKKA-1', 'TS-100']);
    expect(await result('TS-100').getAttribute('aria-disabled')).toBe('true');
    await page.getByRole('button', { name: 'Remove TS-100', exact: true }).focus();
    await page.keyboard.press('Enter');
    expect(await chosenCodes()).toEqual(['KIRJA-1', 'SUKKA-1']);
    expect(await text(searchStatus())).toBe('TS-100 removed.');

    await saveSettings();
    const record = await saved();
    expect(record.settings.productImport.mode).toBe('update-existing');
    expect(record.settings.productImport.updateOnly).toEqual(['KIRJA-1', 'SUKKA-1']);

    await page.reload();
    expect(await field().isVisible()).toBe(true);
    expect(await chosenCodes()).toEqual(['KIRJA-1', 'SUKKA-1']);
    expect(await text(page.locator('#chosen-products li[data-code="SUKKA-1"]'))).toContain(
      'Villasukat, harmaa',
    );
    expect(await page.getByRole('button', { name: 'Remove KIRJA-1', exact: true }).isVisible()).toBe(true);
  });

  it('offers the near-miss of a code the store does not have, and keeps such a code with a warning', async () => {
    await searchFor('KIRJA1', 'No product matches “KIRJA1”. Did you mean KIRJA-1?');
    expect(await result('KIRJA-1').isVisible()).toBe(true);

    // A code typed as is (lower case): kept on saving, with a warning and the hint beside it.
    await searchFor('kirja-1', '1 product matches.');
    await page.getByRole('button', { name: 'Add “kirja-1” as typed' }).click();
    expect(await chosenCodes()).toEqual(['KIRJA-1', 'SUKKA-1', 'kirja-1']);
    await saveSettings();
    expect((await saved()).settings.productImport.updateOnly).toEqual(['KIRJA-1', 'SUKKA-1', 'kirja-1']);
    const warned = page.locator('#chosen-products li[data-code="kirja-1"]');
    expect(await text(warned)).toContain('The store has no product or variation with this code.');
    expect(await text(warned)).toContain('Did you mean KIRJA-1?');
    // Pictured with a search's results beside the chosen products and the warning.
    await searchFor('kahvi', '1 product matches.');
    await b.screenshot('settings-products');

    await page.getByRole('button', { name: 'Remove kirja-1', exact: true }).click();
    await saveSettings();
    expect((await saved()).settings.productImport.updateOnly).toEqual(['KIRJA-1', 'SUKKA-1']);
  });

  it('chooses the time zone from a list, Helsinki first', async () => {
    const zone = page.getByLabel('Time zone');
    expect(await zone.evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await zone.inputValue()).toBe('Europe/Helsinki');
    const values = await zone
      .locator('option')
      .evaluateAll((options) => options.map((o) => o.getAttribute('value')));
    expect(values[0]).toBe('Europe/Helsinki');
    expect(values.length).toBeGreaterThan(300);
    expect(values).toContain('America/New_York');
    await zone.selectOption('America/New_York');
    await saveSettings();
    expect((await saved()).settings.schedule.timeZone).toBe('America/New_York');
    await page.reload();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('America/New_York');
  });

  it('tests NetBaron with a typed wrong Product API password without saving it, naming the Product API', async () => {
    const before = await saved();
    await page.getByLabel('Product API password').fill(WRONG_PRODUCT_PASSWORD);
    await clickAndLoad(page.getByRole('button', { name: 'Test NetBaron connection' }));
    const outcome = await text(page.locator('#test-result'));
    expect(outcome).toContain('NetBaron: connection failed');
    expect(outcome).toMatch(/Product API: Organisation, password or module interface number: refused\./);
    expect(outcome).toContain('Order API works: 2 payment method(s).');
    expect(await text(page.locator('#not-saved'))).toContain('not saved yet');
    expect(await page.getByLabel('Product API password').inputValue()).toBe('');
    await expectNoCredentialsInPage();
    expect(t.logs.join('\n')).not.toContain(WRONG_PRODUCT_PASSWORD);
    const after = await saved();
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(after.settings).toEqual(before.settings);
    expect((await t.service.store.secrets(connectionId)).productApiPassword).toBe(NB_PRODUCTS_PASSWORD);

    // The form is tested as it stands: a typed name changes nothing saved, and the test of the
    // saved password (blank field) works.
    await openSettings();
    await page.getByLabel('Name', { exact: true }).fill('Settingskauppa testissä');
    await clickAndLoad(page.getByRole('button', { name: 'Test NetBaron connection' }));
    expect(await text(page.locator('#test-result'))).toContain('NetBaron: connection works');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Settingskauppa testissä');
    expect(await page.locator('#not-saved').count()).toBe(1);
    expect((await saved()).name).toBe('Settingskauppa');

    // Unchanged from the saved settings: no word of unsaved settings.
    await openSettings();
    await clickAndLoad(page.getByRole('button', { name: 'Test MyCashflow connection' }));
    expect(await text(page.locator('#test-result'))).toContain('MyCashflow: connection works');
    expect(await page.locator('#not-saved').count()).toBe(0);
  });

  it('works without JavaScript: the codes are typed, and checked against the store when saved', async () => {
    const context = await b.browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await context.newPage();
      await plain.goto(`${t.url}/sign-in`);
      await plain.getByLabel('Admin password').fill(ADMIN_PASSWORD);
      await Promise.all([plain.waitForEvent('load'), plain.getByRole('button', { name: 'Sign in' }).click()]);
      await plain.goto(`${t.url}${base}/settings`);
      const codes = plain.getByRole('textbox', { name: 'Products to update' });
      expect(await codes.inputValue()).toBe('KIRJA-1\nSUKKA-1');
      await codes.fill('KIRJA-1\nSUKKA-1\nkahvi1');
      await Promise.all([
        plain.waitForEvent('load'),
        plain.getByRole('button', { name: 'Save settings' }).click(),
      ]);
      expect(await text(plain.getByRole('status'))).toBe('Settings saved.');
      expect((await saved()).settings.productImport.updateOnly).toEqual(['KIRJA-1', 'SUKKA-1', 'kahvi1']);
      expect(await text(plain.locator('#chosen-products li[data-code="kahvi1"]'))).toContain(
        'Did you mean KAHVI-1?',
      );
      expect(await text(plain.locator('#chosen-products li[data-code="KIRJA-1"]'))).toContain(
        'Kirja: Pähkinänsärkijä',
      );

      // A form with an error keeps the codes as typed, line breaks and all.
      await codes.fill('KIRJA-1,  SUKKA-1\n\nkahvi1');
      await plain.getByLabel('VAT rates accepted for new products (%)').fill('lots');
      await Promise.all([
        plain.waitForEvent('load'),
        plain.getByRole('button', { name: 'Save settings' }).click(),
      ]);
      expect(await codes.inputValue()).toBe('KIRJA-1,  SUKKA-1\n\nkahvi1');
      expect((await saved()).settings.productImport.updateOnly).toEqual(['KIRJA-1', 'SUKKA-1', 'kahvi1']);
    } finally {
      await context.close();
    }
  });

  it('asks before leaving changes unsaved, and not after saving them', async () => {
    await openSettings();
    dialogs.length = 0;
    await page.getByLabel('Time of day').fill('05:15');
    dialogAnswer = 'dismiss';
    await page.locator('nav.tabs').getByRole('link', { name: 'Overview' }).click();
    await poll('the beforeunload prompt', async () => (dialogs.length > 0 ? true : undefined));
    expect(dialogs).toEqual(['beforeunload']);
    // Staying: the page and what was typed are still there.
    expect(pathOf(page)).toBe(`${base}/settings`);
    expect(await page.getByLabel('Time of day').inputValue()).toBe('05:15');

    dialogs.length = 0;
    await saveSettings();
    expect(dialogs).toEqual([]);
    expect((await saved()).settings.schedule.at).toBe('05:15');
    await clickAndLoad(page.locator('nav.tabs').getByRole('link', { name: 'Overview' }));
    expect(pathOf(page)).toBe(base);
    expect(dialogs).toEqual([]);
    dialogAnswer = 'accept';
  });

  it('saves even when the store cannot be reached, and says the codes could not be checked', async () => {
    await openSettings();
    // Nothing listens on port 9 of this machine: the store is unreachable.
    await page.getByLabel('Store name or API address').fill('http://127.0.0.1:9/api/v1');
    // A new address takes its key typed again: a saved key is never sent to another host.
    await page.getByLabel('API key', { exact: true }).fill(MCF_USER.api_key);
    await saveSettings();
    expect((await saved()).settings.mycashflow.baseUrl).toBe('http://127.0.0.1:9/api/v1');
    expect(await text(field())).toContain('The codes could not be checked against the store just now');
    expect(await chosenCodes()).toEqual(['KIRJA-1', 'SUKKA-1', 'kahvi1']);
    await searchFor('kirja', "The store's products could not be searched");
    expect(await page.locator('#product-search-results li').count()).toBe(0);
  });

  it('ran every page without a script error', () => {
    // Expected: the form with errors (422) and the search of an unreachable store (503), nothing else.
    const expected = [/status of 422 .*\/settings\)$/, /status of 503 .*\/store-products\?q=kirja\)$/];
    expect(b.pageErrors.filter((e) => !expected.some((r) => r.test(e)))).toEqual([]);
  });
});
