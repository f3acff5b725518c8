import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openAdminApp } from '../helpers/admin-browser.ts';
import { clickAndLoad, textOf, type TestBrowser } from '../helpers/browser.ts';
import type { TestService } from '../helpers/service.ts';

/*
 * "Check compatibility" in real Chromium: the button on the settings page, the verdict first, and the
 * technical detail folded away until asked for.
 */

let t: TestService;
let b: TestBrowser;
let page: Page;
let base: string;

beforeAll(async () => {
  ({ t, base, b, page } = await openAdminApp({ id: 'yhteensopiva', name: 'Yhteensopiva' }));
});

describe('Check compatibility, in Chromium', () => {
  it('from the settings page: the verdict, a label per check, the detail one click away', async () => {
    await page.goto(`${t.url}${base}/settings`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Check compatibility' }));
    expect(new URL(page.url()).pathname).toBe(`${base}/probe`);
    expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Compatibility check');
    expect(await textOf(page.locator('#probe-verdict'))).toBe('Nothing needs a change.');
    expect(await textOf(page.locator('tr[data-check="mcf.products-read"] td').first())).toBe('Matched');
    expect(await textOf(page.locator('tr[data-check="nb.writes"] td').first())).toBe('Not checked');

    const json = page.locator('#probe-json');
    expect(await json.isVisible()).toBe(false);
    await page.getByText('Technical details (for support)').click();
    expect(await json.isVisible()).toBe(true);
    expect(JSON.parse((await json.textContent()) ?? '')).toMatchObject({ connection: 'Yhteensopiva' });

    await clickAndLoad(page, page.getByRole('button', { name: 'Check again' }));
    expect(await textOf(page.locator('#probe-verdict'))).toBe('Nothing needs a change.');
    expect(b.pageErrors).toEqual([]);
  });
});
