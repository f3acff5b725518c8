import type { ConnectionRecord } from '../../../connections/connection-store.ts';
import type { StoredSettings } from '../../../connections/settings.ts';
import type { Session } from '../../auth/sessions.ts';
import { html, type Html } from '../html.ts';
import { csrfField } from '../layout.ts';

export interface TestResult {
  system: 'MyCashflow' | 'NetBaron';
  ok: boolean;
  lines: string[];
}

export interface SettingsView {
  record: ConnectionRecord;
  /** What the form shows: the saved settings, or what was posted when it had errors. */
  settings: StoredSettings;
  name: string;
  errors: Record<string, string>;
  marketplaces: Array<{ id: string; name: string }> | { unavailable: string };
  saved: boolean;
  test?: TestResult;
  missing: string[];
  session?: Session;
}

const err = (errors: Record<string, string>, field: string): Html =>
  errors[field] ? html`<p class="notice error field-error" id="${field}-error">${errors[field]}</p>` : html``;

function textInput(
  v: SettingsView,
  field: string,
  label: string,
  value: string | number | undefined,
  options: { hint?: string; type?: string } = {},
): Html {
  return html`<label for="${field}">${label}</label>
    ${options.hint ? html`<p class="hint">${options.hint}</p>` : ''}
    <input
      type="${options.type ?? 'text'}"
      id="${field}"
      name="${field}"
      value="${value ?? ''}"
      ${v.errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : ''}
    />
    ${err(v.errors, field)}`;
}

/** A write-only credential: never filled in; says whether one is saved. */
function secretInput(
  v: SettingsView,
  field: string,
  label: string,
  saved: boolean,
  clearField?: string,
): Html {
  return html`<label for="${field}">${label}</label>
    <p class="hint">
      ${saved ? 'Saved (hidden). Leave empty to keep it; type a new one to replace it.' : 'Not set.'}
    </p>
    <input
      type="password"
      id="${field}"
      name="${field}"
      value=""
      autocomplete="new-password"
      placeholder="${saved ? '••••••••••' : ''}"
    />
    ${saved && clearField ? html`<label class="choice"><input type="checkbox" name="${clearField}" /> Remove the saved password</label>` : ''}`;
}

const radio = (name: string, value: string, current: string, label: string, hint?: string): Html =>
  html`<label class="choice"
    ><input type="radio" name="${name}" value="${value}" ${current === value ? html` checked` : ''} />
    <span>${label}${hint ? html`<br /><span class="hint">${hint}</span>` : ''}</span></label
  >`;

const checkbox = (name: string, checked: boolean, label: string, hint?: string): Html =>
  html`<label class="choice"
    ><input type="checkbox" name="${name}" ${checked ? html` checked` : ''} />
    <span>${label}${hint ? html`<br /><span class="hint">${hint}</span>` : ''}</span></label
  >`;

function marketplaceField(v: SettingsView): Html {
  const current = v.settings.netbaron.marketplace ?? '';
  if ('unavailable' in v.marketplaces) {
    return html`${textInput(v, 'nb_marketplace', 'Marketplace', current, {
      hint: `NetBaron's list of marketplaces could not be read (${v.marketplaces.unavailable}). Enter the marketplace's id, or save the Product API password and reload.`,
    })}`;
  }
  return html`<label for="nb_marketplace">Marketplace</label>
    <p class="hint">The products marked as marketplace products in this NetBaron marketplace are imported.</p>
    <select id="nb_marketplace" name="nb_marketplace">
      <option value="">Choose…</option>
      ${v.marketplaces.map(
        (m) =>
          html`<option value="${m.id}" ${m.id === current ? html` selected` : ''}>
            ${m.name} (${m.id})
          </option>`,
      )}
    </select>`;
}

export function settingsBody(v: SettingsView): Html {
  const s = v.settings;
  const base = `/connections/${v.record.slug}`;
  const contact = s.orderExport.storeContact;
  const contactField = (f: keyof typeof contact, label: string) =>
    textInput(v, `contact_${f}`, label, contact[f]);
  return html`<h1>Settings</h1>
    ${v.saved ? html`<p class="notice ok" role="status">Settings saved.</p>` : ''}
    ${Object.keys(v.errors).length ? html`<p class="notice error" role="alert">Some settings need fixing; nothing was saved. See the messages below.</p>` : ''}
    ${v.missing.length && !Object.keys(v.errors).length ? html`<p class="notice warn">Still to fill in: ${v.missing.join(', ')}.</p>` : ''}
    ${
      v.test
        ? html`<div class="notice ${v.test.ok ? 'ok' : 'error'}" role="status" id="test-result">
            <strong>${v.test.system}: ${v.test.ok ? 'connection works' : 'connection failed'}</strong>
            <ul>
              ${v.test.lines.map((l) => html`<li>${l}</li>`)}
            </ul>
          </div>`
        : ''
    }
    <form method="post" action="${base}/settings" id="settings-form">
      ${csrfField(v.session)}
      <fieldset>
        <legend>Connection</legend>
        ${textInput(v, 'name', 'Name', v.name)}
      </fieldset>

      <fieldset>
        <legend>MyCashflow</legend>
        ${textInput(v, 'mcf_store', 'Store name or API address', s.mycashflow.baseUrl, { hint: 'The store name as in STORE.mycashflow.fi, or https://STORE.mycashflow.fi/api/v1.' })}
        ${textInput(v, 'mcf_user', 'API user (e-mail address)', s.mycashflow.user, { type: 'email' })}
        ${secretInput(v, 'mcf_api_key', 'API key', v.record.secretsSet.mycashflowApiKey)}
      </fieldset>

      <fieldset>
        <legend>NetBaron</legend>
        ${textInput(v, 'nb_server', 'NetBaron server', s.netbaron.baseUrl, { hint: 'Such as https://nb.example.fi.' })}
        ${textInput(v, 'nb_organisation', 'Organisation', s.netbaron.organisation)}
        ${secretInput(v, 'nb_product_password', 'Product API password', v.record.secretsSet.productApiPassword, 'clear_product_password')}
        ${textInput(v, 'nb_products_interface', 'Product module interface', s.netbaron.productsInterface, { type: 'number' })}
        ${secretInput(v, 'nb_order_password', 'Order API password', v.record.secretsSet.orderApiPassword, 'clear_order_password')}
        ${textInput(v, 'nb_salesorder_interface', 'Sales order module interface', s.netbaron.salesOrderInterface, { type: 'number' })}
        ${marketplaceField(v)}
      </fieldset>

      <fieldset>
        <legend>Product import</legend>
        ${radio('import_mode', 'import-new', s.productImport.mode, 'Import new products from NetBaron', 'Products already in the store are updated and new ones are created.')}
        ${radio('import_mode', 'update-existing', s.productImport.mode, "Only update existing products' details", 'Nothing is created; only the products selected below (with their variations) are touched, removals included.')}
        <label for="update_only">Products to update</label>
        <p class="hint">Product codes, one per line (used with "Only update existing products' details").</p>
        <textarea id="update_only" name="update_only">${s.productImport.updateOnly.join('\n')}</textarea>
        ${err(v.errors, 'update_only')}
        ${checkbox('update_descriptions', s.productImport.updateDescriptions, 'Update product description and product details', "NetBaron's Description and Additional information go to the store's Description and Product information, on create and on update.")}
        <p><strong>When removing products</strong></p>
        ${radio('when_removing', 'hide', s.productImport.whenRemoving, 'Hide the product', 'It stays in the store, invisible in every store version; order history stays intact.')}
        ${radio('when_removing', 'delete', s.productImport.whenRemoving, 'Delete the product')}
        ${textInput(v, 'vat_rates', 'VAT rates accepted for new products (%)', s.productImport.vatRates.join(', '))}
        <details>
          <summary>Safety limits and speed</summary>
          ${textInput(v, 'guard_removal_percent', 'Stop before writing when more than this % of the store would be hidden or deleted', Math.round(s.productImport.guards.maxRemovalShare * 1000) / 10, { type: 'number' })}
          ${textInput(v, 'guard_price_percent', 'A price moves "a lot" when it changes by more than (%)', s.productImport.guards.priceChangePercent, { type: 'number' })}
          ${textInput(v, 'guard_price_share_percent', 'Stop when more than this % of the prices would move a lot', Math.round(s.productImport.guards.maxPriceChangeShare * 1000) / 10, { type: 'number' })}
          ${textInput(v, 'concurrency', 'Writes to MyCashflow at once (at most)', s.productImport.concurrency, { type: 'number' })}
        </details>
        <p><strong>Automatic product updates</strong></p>
        ${radio('schedule_frequency', 'off', s.schedule.frequency, 'Off: only when "Fetch all products" is pressed')}
        ${radio('schedule_frequency', 'hourly', s.schedule.frequency, 'Every hour')}
        ${radio('schedule_frequency', 'daily', s.schedule.frequency, 'Every day at the time below')}
        ${textInput(v, 'schedule_at', 'Time of day', s.schedule.at, { type: 'time' })}
        ${textInput(v, 'schedule_timezone', 'Time zone', s.schedule.timeZone)}
      </fieldset>

      <fieldset>
        <legend>Orders</legend>
        ${checkbox('use_version_contact', s.orderExport.useVersionContactDetails, 'Use version contact details', "The seller's contact details sent with each order come from the store version the order was placed in; otherwise from the store's general contact details below.")}
        <p>
          <strong>Store contact details</strong>
          <span class="hint">(MyCashflow's API does not give them, so they are set here.)</span>
        </p>
        ${contactField('company', 'Company')} ${contactField('business_id', 'Business ID')}
        ${contactField('street_address', 'Street address')} ${contactField('postal_code', 'Postal code')}
        ${contactField('city', 'City')} ${contactField('country', 'Country (code, such as FI)')}
        ${contactField('email', 'E-mail')} ${contactField('phone', 'Phone')}
        <p>
          <strong>Article codes of cost rows</strong>
          <span class="hint">(NetBaron products for shipping, payment costs and discounts)</span>
        </p>
        ${textInput(v, 'shipping_code', 'Shipping', s.orderExport.shippingArticleCode)}
        ${textInput(v, 'payment_cost_code', 'Payment cost', s.orderExport.paymentCostArticleCode)}
        ${textInput(v, 'discount_code', 'Discount', s.orderExport.discountArticleCode)}
      </fieldset>
      <div class="actions"><button type="submit">Save settings</button></div>
    </form>

    <h2>Test the connection</h2>
    <p class="hint">Tests the saved settings: save first.</p>
    <div class="actions">
      <form method="post" action="${base}/test/mycashflow" class="inline">
        ${csrfField(v.session)}<button class="secondary" type="submit">Test MyCashflow connection</button>
      </form>
      <form method="post" action="${base}/test/netbaron" class="inline">
        ${csrfField(v.session)}<button class="secondary" type="submit">Test NetBaron connection</button>
      </form>
    </div>`;
}
