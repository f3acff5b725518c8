import type { ConnectionRecord } from '../../../connections/connection-store.ts';
import type { SecretField } from '../../../connections/settings.ts';
import type { Session } from '../../auth/sessions.ts';
import type { SettingsCheckField, SettingsFormValues, SettingsTextField } from '../../forms/settings-form.ts';
import { fieldError, invalidAttrs } from '../fields.ts';
import { html, type Html } from '../../../util/html.ts';
import { csrfField } from '../layout.ts';
import { updateOnlyField, type CodeChecks } from './settings-products.ts';

export interface TestResult {
  system: 'MyCashflow' | 'NetBaron';
  ok: boolean;
  lines: string[];
}

export interface SettingsView {
  record: ConnectionRecord;
  /** What the form shows: the saved settings, or what was posted, exactly as typed. */
  values: SettingsFormValues;
  errors: Record<string, string>;
  marketplaces: Array<{ id: string; name: string }> | { unavailable: string };
  /** The chosen products checked against the store; absent when there is nothing to check. */
  codeChecks?: CodeChecks;
  saved: boolean;
  test?: TestResult;
  /** The form shows values that differ from the saved settings (after an error, or a test). */
  unsaved: boolean;
  /** Credentials typed into the post shown now: never shown back, so the merchant is told to retype them. */
  typedSecrets: SecretField[];
  missing: string[];
  session?: Session;
}

/** The credential inputs' labels, for the summary of errors (a changed address asks for them again). */
const SECRET_LABELS: Record<string, string> = {
  mcf_api_key: 'API key',
  nb_product_password: 'Product API password',
  nb_order_password: 'Order API password',
};

/** The label of each field, beside its input and in the summary of errors at the top. */
const LABELS: Record<SettingsTextField | SettingsCheckField, string> = {
  name: 'Name',
  mcf_store: 'Store name or API address',
  mcf_user: 'API user (e-mail address)',
  nb_server: 'NetBaron server',
  nb_organisation: 'Organisation',
  nb_products_interface: 'Product module interface',
  nb_salesorder_interface: 'Sales order module interface',
  nb_marketplace: 'Marketplace',
  nb_boolean_spelling: 'Yes/no values sent to NetBaron',
  nb_decimal_separator: 'Decimal separator sent to NetBaron',
  import_mode: 'Product import',
  update_only: 'Products to update',
  update_descriptions: 'Update product description and product details',
  when_removing: 'When removing products',
  vat_rates: 'VAT rates accepted for new products (%)',
  guard_removal_percent: 'Stop before writing when more than this % of the store would be hidden or deleted',
  guard_price_percent: 'A price moves "a lot" when it changes by more than (%)',
  guard_price_share_percent: 'Stop when more than this % of the prices would move a lot',
  concurrency: 'Writes to MyCashflow at once (at most)',
  schedule_frequency: 'Automatic product updates',
  schedule_at: 'Time of day',
  schedule_timezone: 'Time zone',
  use_version_contact: 'Use version contact details',
  contact_company: 'Company',
  contact_business_id: 'Business ID',
  contact_street_address: 'Street address',
  contact_postal_code: 'Postal code',
  contact_city: 'City',
  contact_country: 'Country (code, such as FI)',
  contact_email: 'E-mail',
  contact_phone: 'Phone',
  shipping_code: 'Shipping',
  payment_cost_code: 'Payment cost',
  discount_code: 'Discount',
  clear_product_password: 'Remove the saved password',
  clear_order_password: 'Remove the saved password',
};

/** Every time zone the server knows, Helsinki first: chosen, never typed. */
const TIME_ZONES = [
  'Europe/Helsinki',
  ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'Europe/Helsinki'),
];

const invalid = (v: SettingsView, field: string): Html => invalidAttrs(v.errors, field);

function textInput(
  v: SettingsView,
  field: SettingsTextField,
  options: { hint?: string; type?: string } = {},
): Html {
  return html`<label for="${field}">${LABELS[field]}</label>
    ${options.hint ? html`<p class="hint">${options.hint}</p>` : ''}
    <input
      type="${options.type ?? 'text'}"
      id="${field}"
      name="${field}"
      value="${v.values[field]}"
      ${invalid(v, field)}
    />
    ${fieldError(v.errors, field)}`;
}

function secretHint(saved: boolean, typed: boolean): string {
  if (typed && saved)
    return 'Saved (hidden). The one you typed is not saved and is never shown again: type it again before saving to replace the saved one.';
  if (typed)
    return 'Not set. The one you typed is not saved and is never shown again: type it again before saving.';
  return saved ? 'Saved (hidden). Leave empty to keep it; type a new one to replace it.' : 'Not set.';
}

/** A write-only credential: never filled in; says whether one is saved. */
function secretInput(
  v: SettingsView,
  field: string,
  label: string,
  secret: SecretField,
  clearField?: 'clear_product_password' | 'clear_order_password',
): Html {
  const saved = v.record.secretsSet[secret];
  return html`<label for="${field}">${label}</label>
    <p class="hint">${secretHint(saved, v.typedSecrets.includes(secret))}</p>
    <input
      type="password"
      id="${field}"
      name="${field}"
      value=""
      autocomplete="new-password"
      placeholder="${saved ? '••••••••••' : ''}"
      ${invalidAttrs(v.errors, field)}
    />
    ${fieldError(v.errors, field)} ${saved && clearField ? checkbox(v, clearField) : ''}`;
}

const radio = (v: SettingsView, name: SettingsTextField, value: string, label: string, hint?: string): Html =>
  html`<label class="choice"
    ><input type="radio" name="${name}" value="${value}" ${v.values[name] === value ? html` checked` : ''} />
    <span>${label}${hint ? html`<br /><span class="hint">${hint}</span>` : ''}</span></label
  >`;

const checkbox = (v: SettingsView, name: SettingsCheckField, hint?: string): Html =>
  html`<label class="choice"
    ><input type="checkbox" name="${name}" ${v.values[name] ? html` checked` : ''} />
    <span>${LABELS[name]}${hint ? html`<br /><span class="hint">${hint}</span>` : ''}</span></label
  >`;

/** A choice list that keeps a value outside its list (typed earlier, or no longer offered) as it is. */
function select(
  v: SettingsView,
  field: SettingsTextField,
  options: Array<{ value: string; label: string }>,
  hint?: string,
): Html {
  const current = v.values[field];
  const listed = options.some((o) => o.value === current);
  return html`<label for="${field}">${LABELS[field]}</label>
    ${hint ? html`<p class="hint">${hint}</p>` : ''}
    <select id="${field}" name="${field}" ${invalid(v, field)}>
      ${current && !listed ? html`<option value="${current}" selected>${current}</option>` : ''}
      ${options.map(
        (o) =>
          html`<option value="${o.value}" ${o.value === current ? html` selected` : ''}>${o.label}</option>`,
      )}
    </select>
    ${fieldError(v.errors, field)}`;
}

function marketplaceField(v: SettingsView): Html {
  if ('unavailable' in v.marketplaces) {
    return textInput(v, 'nb_marketplace', {
      hint: `NetBaron's list of marketplaces could not be read (${v.marketplaces.unavailable}). Enter the marketplace's id, or save the Product API password and reload.`,
    });
  }
  return select(
    v,
    'nb_marketplace',
    [
      { value: '', label: 'Choose…' },
      ...v.marketplaces.map((m) => ({ value: m.id, label: `${m.name} (${m.id})` })),
    ],
    'The products marked as marketplace products in this NetBaron marketplace are imported.',
  );
}

/**
 * How flags and decimals are spelled in what is sent to NetBaron. The defaults are what NetBaron's
 * reference writes; the other choice is for a server that turns out to want it (`wire/format.ts`).
 */
function wireFormatFields(v: SettingsView): Html {
  return html`${select(
    v,
    'nb_boolean_spelling',
    [
      { value: 'upper', label: 'TRUE / FALSE (default)' },
      { value: 'lower', label: 'true / false' },
    ],
    "How yes/no values are written in the requests sent to NetBaron. The default follows NetBaron's documentation; change it only if your NetBaron server asks for lower case.",
  )}
  ${select(
    v,
    'nb_decimal_separator',
    [
      { value: '.', label: 'Point: 24.90 (default)' },
      { value: ',', label: 'Comma: 24,90' },
    ],
    "How prices, VAT rates and quantities are written in the orders sent to NetBaron. The default follows NetBaron's documentation; change it only if your NetBaron server asks for a comma.",
  )}`;
}

/** The errors at the top of the page, each a link to its field; focused when the page opens. */
function errorSummary(errors: Record<string, string>): Html {
  // In the order of the form, as the merchant reads it.
  const order = Object.keys(LABELS);
  const place = (f: string) => (order.includes(f) ? order.indexOf(f) : order.length);
  const fields = Object.keys(errors).sort((a, b) => place(a) - place(b));
  if (fields.length === 0) return html``;
  return html`<div class="notice error" role="alert" id="error-summary" tabindex="-1">
    <p>Some settings need fixing; nothing was saved:</p>
    <ul>
      ${fields.map(
        (f) =>
          html`<li>
            <a href="#${f}">${LABELS[f as SettingsTextField] ?? SECRET_LABELS[f] ?? f}</a>: ${errors[f]}
          </li>`,
      )}
    </ul>
  </div>`;
}

function testResult(v: SettingsView): Html {
  if (!v.test) return html``;
  return html`<div class="notice ${v.test.ok ? 'ok' : 'error'}" role="status" id="test-result">
      <strong>${v.test.system}: ${v.test.ok ? 'connection works' : 'connection failed'}</strong>
      <ul>
        ${v.test.lines.map((l) => html`<li>${l}</li>`)}
      </ul>
    </div>
    ${
      v.unsaved
        ? html`<p class="notice warn" id="not-saved">
            The test used the settings in the form, which are not saved yet. Press "Save settings" to keep
            them.
          </p>`
        : ''
    }`;
}

export function settingsBody(v: SettingsView): Html {
  const s = v.values;
  const base = `/connections/${v.record.slug}`;
  const hasErrors = Object.keys(v.errors).length > 0;
  return html`<h1>Settings</h1>
    ${v.saved ? html`<p class="notice ok" role="status">Settings saved.</p>` : ''} ${errorSummary(v.errors)}
    ${v.missing.length && !hasErrors ? html`<p class="notice warn">Still to fill in: ${v.missing.join(', ')}.</p>` : ''}
    ${testResult(v)}
    <form
      method="post"
      action="${base}/settings"
      id="settings-form"
      data-unsaved-warning
      ${v.unsaved ? html` data-unsaved="1"` : ''}
    >
      ${csrfField(v.session)}
      <fieldset>
        <legend>Connection</legend>
        ${textInput(v, 'name')}
      </fieldset>

      <fieldset>
        <legend>MyCashflow</legend>
        ${textInput(v, 'mcf_store', { hint: 'The store name as in STORE.mycashflow.fi, or https://STORE.mycashflow.fi/api/v1.' })}
        ${textInput(v, 'mcf_user', { type: 'email' })}
        ${secretInput(v, 'mcf_api_key', 'API key', 'mycashflowApiKey')}
      </fieldset>

      <fieldset>
        <legend>NetBaron</legend>
        ${textInput(v, 'nb_server', { hint: 'Such as https://nb.example.fi.' })}
        ${textInput(v, 'nb_organisation')}
        ${secretInput(v, 'nb_product_password', 'Product API password', 'productApiPassword', 'clear_product_password')}
        ${textInput(v, 'nb_products_interface', { type: 'number' })}
        ${secretInput(v, 'nb_order_password', 'Order API password', 'orderApiPassword', 'clear_order_password')}
        ${textInput(v, 'nb_salesorder_interface', { type: 'number' })} ${marketplaceField(v)}
        ${wireFormatFields(v)}
      </fieldset>

      <fieldset>
        <legend>Product import</legend>
        ${radio(v, 'import_mode', 'import-new', 'Import new products from NetBaron', 'Products already in the store are updated and new ones are created.')}
        ${radio(v, 'import_mode', 'update-existing', "Only update existing products' details", 'Nothing is created; only the products selected below (with their variations) are touched, removals included.')}
        ${updateOnlyField({
          value: s.update_only,
          error: v.errors.update_only,
          checks: v.codeChecks,
          searchUrl: `${base}/store-products`,
        })}
        ${checkbox(v, 'update_descriptions', "NetBaron's Description and Additional information go to the store's Description and Product information, on create and on update.")}
        <p><strong>When removing products</strong></p>
        ${radio(v, 'when_removing', 'hide', 'Hide the product', 'It stays in the store, invisible in every store version; order history stays intact.')}
        ${radio(v, 'when_removing', 'delete', 'Delete the product')} ${textInput(v, 'vat_rates')}
        <details
          ${['guard_removal_percent', 'guard_price_percent', 'guard_price_share_percent', 'concurrency'].some((f) => v.errors[f]) ? html` open` : ''}
        >
          <summary>Safety limits and speed</summary>
          ${textInput(v, 'guard_removal_percent', { type: 'number' })}
          ${textInput(v, 'guard_price_percent', { type: 'number' })}
          ${textInput(v, 'guard_price_share_percent', { type: 'number' })}
          ${textInput(v, 'concurrency', { type: 'number' })}
        </details>
        <p><strong>Automatic product updates</strong></p>
        ${radio(v, 'schedule_frequency', 'off', 'Off: only when "Fetch all products" is pressed')}
        ${radio(v, 'schedule_frequency', 'hourly', 'Every hour')}
        ${radio(v, 'schedule_frequency', 'daily', 'Every day at the time below')}
        ${textInput(v, 'schedule_at', { type: 'time' })}
        ${select(
          v,
          'schedule_timezone',
          TIME_ZONES.map((z) => ({ value: z, label: z.replaceAll('_', ' ') })),
        )}
      </fieldset>

      <fieldset>
        <legend>Orders</legend>
        ${checkbox(v, 'use_version_contact', "The seller's contact details sent with each order come from the store version the order was placed in; otherwise from the store's general contact details below.")}
        <p>
          <strong>Store contact details</strong>
          <span class="hint">(MyCashflow's API does not give them, so they are set here.)</span>
        </p>
        ${textInput(v, 'contact_company')} ${textInput(v, 'contact_business_id')}
        ${textInput(v, 'contact_street_address')} ${textInput(v, 'contact_postal_code')}
        ${textInput(v, 'contact_city')} ${textInput(v, 'contact_country')} ${textInput(v, 'contact_email')}
        ${textInput(v, 'contact_phone')}
        <p>
          <strong>Article codes of cost rows</strong>
          <span class="hint">(NetBaron products for shipping, payment costs and discounts)</span>
        </p>
        ${textInput(v, 'shipping_code')} ${textInput(v, 'payment_cost_code')} ${textInput(v, 'discount_code')}
      </fieldset>
      <div class="actions"><button type="submit">Save settings</button></div>
    </form>

    <h2>Test the connection</h2>
    <p class="hint">
      Tests what is in the form, before saving. A blank password or key field uses the saved one.
    </p>
    <div class="actions">
      <button class="secondary" type="submit" form="settings-form" formaction="${base}/test/mycashflow">
        Test MyCashflow connection
      </button>
      <button class="secondary" type="submit" form="settings-form" formaction="${base}/test/netbaron">
        Test NetBaron connection
      </button>
    </div>

    <h2>Check compatibility</h2>
    <p class="hint">
      Reads the store and NetBaron with the saved settings and compares what they answer with what the
      connector expects, before the first import or order. Only reads: nothing is written to either system.
    </p>
    <form method="post" action="${base}/probe" class="actions" id="probe-form">
      ${csrfField(v.session)}<button class="secondary" type="submit">Check compatibility</button>
    </form>`;
}
