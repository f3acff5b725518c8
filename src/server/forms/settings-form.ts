import { type z } from 'zod';
import {
  storedSettingsSchema,
  type SecretField,
  type Secrets,
  type StoredSettings,
} from '../../connections/settings.ts';
import { isRemoteAddress } from '../../config/remote-address.ts';
import { booleanSpellingSchema, decimalSeparatorSchema } from '../../netbaron/wire/format.ts';
import { formText, type Form } from '../http/request.ts';

const CONTACT_FIELDS = [
  'company',
  'business_id',
  'street_address',
  'postal_code',
  'city',
  'country',
  'email',
  'phone',
] as const;

/** The form's text inputs, radios and selects: shown back exactly as typed when the form has an error. */
export const TEXT_FIELDS = [
  'name',
  'mcf_store',
  'mcf_user',
  'nb_server',
  'nb_organisation',
  'nb_products_interface',
  'nb_salesorder_interface',
  'nb_marketplace',
  'nb_boolean_spelling',
  'nb_decimal_separator',
  'import_mode',
  'update_only',
  'when_removing',
  'vat_rates',
  'guard_removal_percent',
  'guard_price_percent',
  'guard_price_share_percent',
  'concurrency',
  'schedule_frequency',
  'schedule_at',
  'schedule_timezone',
  ...CONTACT_FIELDS.map((f) => `contact_${f}` as const),
  'shipping_code',
  'payment_cost_code',
  'discount_code',
] as const;
export const CHECK_FIELDS = [
  'update_descriptions',
  'use_version_contact',
  'clear_product_password',
  'clear_order_password',
] as const;

export type SettingsTextField = (typeof TEXT_FIELDS)[number];
export type SettingsCheckField = (typeof CHECK_FIELDS)[number];
/**
 * What the form shows: every field as text (or a checkbox's state), either from the saved settings or
 * as the merchant typed it. Credentials are never part of it: they are write-only.
 */
export type SettingsFormValues = Record<SettingsTextField, string> & Record<SettingsCheckField, boolean>;

/** The credential inputs and the secret each one sets. */
export const SECRET_INPUTS = {
  mcf_api_key: 'mycashflowApiKey',
  nb_product_password: 'productApiPassword',
  nb_order_password: 'orderApiPassword',
} as const satisfies Record<string, SecretField>;

/** The fields a connection test reads: an error in one of them leaves that test undone. */
export const TEST_FIELDS: Record<'mycashflow' | 'netbaron', SettingsTextField[]> = {
  mycashflow: ['mcf_store', 'mcf_user'],
  netbaron: ['nb_server', 'nb_organisation', 'nb_products_interface', 'nb_salesorder_interface'],
};

export type SettingsFormResult =
  | {
      ok: true;
      values: SettingsFormValues;
      name: string;
      settings: StoredSettings;
      secrets: Secrets;
      clear: SecretField[];
    }
  | { ok: false; values: SettingsFormValues; errors: Record<string, string> };

const percentOf = (share: number): string => String(Math.round(share * 1000) / 10);

/** The saved settings as the form shows them. */
export function formValuesOf(name: string, s: StoredSettings): SettingsFormValues {
  const contact = s.orderExport.storeContact;
  return {
    name,
    mcf_store: s.mycashflow.baseUrl,
    mcf_user: s.mycashflow.user,
    nb_server: s.netbaron.baseUrl,
    nb_organisation: s.netbaron.organisation,
    nb_products_interface: String(s.netbaron.productsInterface),
    nb_salesorder_interface: String(s.netbaron.salesOrderInterface),
    nb_marketplace: s.netbaron.marketplace ?? '',
    nb_boolean_spelling: s.netbaron.booleanSpelling,
    nb_decimal_separator: s.netbaron.decimalSeparator,
    import_mode: s.productImport.mode,
    update_only: s.productImport.updateOnly.join('\n'),
    update_descriptions: s.productImport.updateDescriptions,
    when_removing: s.productImport.whenRemoving,
    vat_rates: s.productImport.vatRates.join(', '),
    guard_removal_percent: percentOf(s.productImport.guards.maxRemovalShare),
    guard_price_percent: String(s.productImport.guards.priceChangePercent),
    guard_price_share_percent: percentOf(s.productImport.guards.maxPriceChangeShare),
    concurrency: String(s.productImport.concurrency),
    schedule_frequency: s.schedule.frequency,
    schedule_at: s.schedule.at,
    schedule_timezone: s.schedule.timeZone,
    use_version_contact: s.orderExport.useVersionContactDetails,
    ...(Object.fromEntries(CONTACT_FIELDS.map((f) => [`contact_${f}`, contact[f] ?? ''])) as Record<
      `contact_${(typeof CONTACT_FIELDS)[number]}`,
      string
    >),
    shipping_code: s.orderExport.shippingArticleCode,
    payment_cost_code: s.orderExport.paymentCostArticleCode,
    discount_code: s.orderExport.discountArticleCode,
    clear_product_password: false,
    clear_order_password: false,
  };
}

/** The posted form as typed, untrimmed; credentials left out. */
export function postedValues(form: Form): SettingsFormValues {
  const text = Object.fromEntries(TEXT_FIELDS.map((f) => [f, formText(form, f)]));
  const checked = Object.fromEntries(CHECK_FIELDS.map((f) => [f, formText(form, f).trim() === 'on']));
  return { ...text, ...checked } as SettingsFormValues;
}

/** Whether a post carries the settings form (a bare test request carries none of it). */
export const isSettingsPost = (form: Form): boolean => TEXT_FIELDS.some((f) => f in form);

/** A store name (`my-store`) becomes its API address; a full address is kept as typed. */
export function storeApiAddress(input: string): string {
  const text = input.trim();
  if (/^[a-z0-9][a-z0-9-]*$/i.test(text)) return `https://${text.toLowerCase()}.mycashflow.fi/api/v1`;
  return text.replace(/\/+$/, '');
}

/** The product codes of "Products to update": one per line, or separated by commas or semicolons. */
export const updateOnlyCodes = (text: string): string[] => [
  ...new Set(
    text
      .split(/[\s,;]+/)
      .map((c) => c.trim())
      .filter(Boolean),
  ),
];

/** The form field each stored setting comes from, for messages beside the right input. */
const FIELD_OF_PATH: Record<string, string> = {
  'productImport.updateOnly': 'update_only',
  'productImport.vatRates': 'vat_rates',
  'productImport.concurrency': 'concurrency',
  'productImport.guards.maxRemovalShare': 'guard_removal_percent',
  'productImport.guards.priceChangePercent': 'guard_price_percent',
  'productImport.guards.maxPriceChangeShare': 'guard_price_share_percent',
  'orderExport.shippingArticleCode': 'shipping_code',
  'orderExport.paymentCostArticleCode': 'payment_cost_code',
  'orderExport.discountArticleCode': 'discount_code',
  'schedule.at': 'schedule_at',
  'schedule.timeZone': 'schedule_timezone',
  'netbaron.productsInterface': 'nb_products_interface',
  'netbaron.salesOrderInterface': 'nb_salesorder_interface',
  'netbaron.booleanSpelling': 'nb_boolean_spelling',
  'netbaron.decimalSeparator': 'nb_decimal_separator',
};

const num = (text: string): number => (text.trim() === '' ? NaN : Number(text.replace(',', '.')));

/**
 * The connection parts of the form (store and NetBaron addresses, users, interfaces), as a save stores
 * them and a connection test uses them, with the messages of the ones that are wrong.
 */
export function readConnectionFields(
  v: SettingsFormValues,
  current?: StoredSettings,
): {
  mycashflow: StoredSettings['mycashflow'];
  netbaron: StoredSettings['netbaron'];
  errors: Record<string, string>;
} {
  const t = (name: SettingsTextField) => v[name].trim();
  const errors: Record<string, string> = {};
  const mcfAddress = t('mcf_store') ? storeApiAddress(t('mcf_store')) : '';
  if (mcfAddress && !isRemoteAddress(mcfAddress))
    errors.mcf_store =
      'Enter the store name (as in STORE.mycashflow.fi) or the API address https://STORE.mycashflow.fi/api/v1.';
  const nbServer = t('nb_server').replace(/\/+$/, '');
  if (nbServer && !isRemoteAddress(nbServer))
    errors.nb_server = 'Enter the NetBaron server address, such as https://nb.example.fi.';
  const mcfUser = t('mcf_user');
  if (mcfUser && !/^[^\s@]+@[^\s@]+$/.test(mcfUser)) errors.mcf_user = "Enter the API user's e-mail address.";
  const interfaceNumber = (field: SettingsTextField): number => {
    const n = num(t(field) || '1');
    if (!Number.isInteger(n) || n < 1) errors[field] = 'The interface number is a whole number, 1 or more.';
    return n;
  };
  // A post without these fields (an older page, a bare test) keeps what is saved.
  const choice = <T extends string>(
    field: SettingsTextField,
    schema: z.ZodType<T>,
    saved: T,
    message: string,
  ): T => {
    if (!t(field)) return saved;
    const read = schema.safeParse(t(field));
    if (read.success) return read.data;
    errors[field] = message;
    return saved;
  };
  return {
    mycashflow: { baseUrl: mcfAddress, user: mcfUser },
    netbaron: {
      baseUrl: nbServer,
      organisation: t('nb_organisation'),
      productsInterface: interfaceNumber('nb_products_interface'),
      salesOrderInterface: interfaceNumber('nb_salesorder_interface'),
      ...(t('nb_marketplace') ? { marketplace: t('nb_marketplace') } : {}),
      booleanSpelling: choice(
        'nb_boolean_spelling',
        booleanSpellingSchema,
        current?.netbaron.booleanSpelling ?? 'upper',
        'Choose TRUE / FALSE or true / false.',
      ),
      decimalSeparator: choice(
        'nb_decimal_separator',
        decimalSeparatorSchema,
        current?.netbaron.decimalSeparator ?? '.',
        'Choose a point (24.90) or a comma (24,90).',
      ),
    },
    errors,
  };
}

/** The credentials typed into the form (a blank field keeps the saved one) and those to remove. */
export function typedSecrets(form: Form): { secrets: Secrets; clear: SecretField[] } {
  const secrets: Secrets = {};
  for (const [input, field] of Object.entries(SECRET_INPUTS)) {
    const typed = formText(form, input).trim();
    if (typed) secrets[field] = typed;
  }
  const clear: SecretField[] = [];
  if (formText(form, 'clear_product_password').trim() === 'on') clear.push('productApiPassword');
  if (formText(form, 'clear_order_password').trim() === 'on') clear.push('orderApiPassword');
  return { secrets, clear };
}

/**
 * The settings page's form, read into settings. Credentials are write-only: a blank field keeps the
 * saved value, and a value is never put back into the page. Messages name the field, never its value.
 * Either way the result carries the values as typed, for the page to show again.
 */
export function readSettingsForm(form: Form, current: StoredSettings): SettingsFormResult {
  const values = postedValues(form);
  const t = (name: SettingsTextField) => values[name].trim();
  const connection = readConnectionFields(values, current);
  const errors: Record<string, string> = { ...connection.errors };

  const name = t('name');
  if (!name) errors.name = 'Give the connection a name.';

  const vatRates = t('vat_rates')
    .split(/[\s;]+|,(?=\s)/)
    .filter(Boolean)
    .map(num);
  const candidate = {
    mycashflow: connection.mycashflow,
    netbaron: connection.netbaron,
    productImport: {
      mode: t('import_mode') === 'update-existing' ? 'update-existing' : 'import-new',
      updateOnly: updateOnlyCodes(values.update_only),
      updateDescriptions: values.update_descriptions,
      whenRemoving: t('when_removing') === 'delete' ? 'delete' : 'hide',
      vatRates,
      guards: {
        maxRemovalShare: num(t('guard_removal_percent')) / 100,
        priceChangePercent: num(t('guard_price_percent')),
        maxPriceChangeShare: num(t('guard_price_share_percent')) / 100,
      },
      concurrency: num(t('concurrency')),
      // Not on the page: kept as the connection has them.
      fullStoreReadEveryHours: current.productImport.fullStoreReadEveryHours,
      stockChangesKeptDays: current.productImport.stockChangesKeptDays,
    },
    orderExport: {
      useVersionContactDetails: values.use_version_contact,
      storeContact: Object.fromEntries(
        CONTACT_FIELDS.map((f) => [f, t(`contact_${f}`)]).filter(([, v]) => v !== ''),
      ),
      shippingArticleCode: t('shipping_code'),
      paymentCostArticleCode: t('payment_cost_code'),
      discountArticleCode: t('discount_code'),
    },
    schedule: {
      frequency: (['off', 'hourly', 'daily'] as const).find((f) => f === t('schedule_frequency')) ?? 'off',
      at: t('schedule_at') || current.schedule.at,
      timeZone: t('schedule_timezone') || current.schedule.timeZone,
    },
  };
  // Checked here too: the schema's own check of it runs only once every other field is valid.
  if (candidate.productImport.mode === 'update-existing' && candidate.productImport.updateOnly.length === 0)
    errors.update_only = 'Choose the products to update, or list their product codes.';
  const parsed = storedSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p) => typeof p === 'string').join('.');
      const field = FIELD_OF_PATH[path] ?? FIELD_OF_PATH[issue.path.slice(0, 2).join('.')] ?? path;
      errors[field] ??= readable(path, issue);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, values, errors };
  return { ok: true, values, name, settings: parsed.data, ...typedSecrets(form) };
}

/** The input of each credential, for a message beside it. */
const INPUT_OF_SECRET = Object.fromEntries(
  Object.entries(SECRET_INPUTS).map(([input, field]) => [field, input]),
) as Record<(typeof SECRET_INPUTS)[keyof typeof SECRET_INPUTS], keyof typeof SECRET_INPUTS>;

/**
 * The messages of a save that moves a store address or NetBaron server without the credentials for the
 * new one (`credentialsToRetype`): one beside each credential to type again.
 */
export function retypeErrors(fields: readonly SecretField[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    if (field === 'mycashflowApiKey')
      errors[INPUT_OF_SECRET[field]] =
        'The store address changed: type the API key for the new address. A saved key is never sent to another address.';
    else if (field === 'productApiPassword' || field === 'orderApiPassword')
      errors[INPUT_OF_SECRET[field]] =
        'The NetBaron server changed: type this password for the new server, or tick Remove. A saved password is never sent to another server.';
  }
  return errors;
}

function readable(path: string, issue: z.core.$ZodIssue): string {
  if (path === 'productImport.updateOnly')
    return 'Choose the products to update, or list their product codes.';
  if (path.startsWith('productImport.vatRates')) return 'VAT rates are percentages such as 25.5, 14, 10, 0.';
  if (path.startsWith('productImport.guards')) return 'Give a number between 0 and 100.';
  if (path === 'productImport.concurrency') return 'Give a whole number from 1 to 32.';
  if (path.startsWith('orderExport.')) return 'An article code is required.';
  if (path === 'schedule.at') return 'Give the time as HH:MM, such as 04:30.';
  if (path === 'schedule.timeZone') return 'Choose a time zone from the list.';
  if (path.startsWith('netbaron.') && path.endsWith('Interface'))
    return 'The interface number is a whole number, 1 or more.';
  return issue.message;
}
