import { type z } from 'zod';
import {
  storedSettingsSchema,
  type SecretField,
  type Secrets,
  type StoredSettings,
} from '../../connections/settings.ts';
import { formText, type Form } from '../http/request.ts';

export type SettingsFormResult =
  | { ok: true; name: string; settings: StoredSettings; secrets: Secrets; clear: SecretField[] }
  | { ok: false; errors: Record<string, string> };

/** A store name (`my-store`) becomes its API address; a full address is kept as typed. */
export function storeApiAddress(input: string): string {
  const text = input.trim();
  if (/^[a-z0-9][a-z0-9-]*$/i.test(text)) return `https://${text.toLowerCase()}.mycashflow.fi/api/v1`;
  return text.replace(/\/+$/, '');
}

const isHttpUrl = (text: string): boolean => {
  try {
    const u = new URL(text);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
  } catch {
    return false;
  }
};

const codesOf = (text: string): string[] => [
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
};

const num = (text: string): number => (text.trim() === '' ? NaN : Number(text.replace(',', '.')));

/**
 * The settings page's form, read into settings. Credentials are write-only: a blank field keeps the
 * saved value, and a value is never put back into the page. Messages name the field, never its value.
 */
export function readSettingsForm(form: Form, current: StoredSettings): SettingsFormResult {
  const t = (name: string) => formText(form, name).trim();
  const on = (name: string) => t(name) === 'on';
  const errors: Record<string, string> = {};

  const name = t('name');
  if (!name) errors.name = 'Give the connection a name.';
  const mcfAddress = t('mcf_store') ? storeApiAddress(t('mcf_store')) : '';
  if (mcfAddress && !isHttpUrl(mcfAddress))
    errors.mcf_store =
      'Enter the store name (as in STORE.mycashflow.fi) or the API address https://STORE.mycashflow.fi/api/v1.';
  const nbServer = t('nb_server').replace(/\/+$/, '');
  if (nbServer && !isHttpUrl(nbServer))
    errors.nb_server = 'Enter the NetBaron server address, such as https://nb.example.fi.';
  const mcfUser = t('mcf_user');
  if (mcfUser && !/^[^\s@]+@[^\s@]+$/.test(mcfUser)) errors.mcf_user = "Enter the API user's e-mail address.";

  const vatRates = t('vat_rates')
    .split(/[\s;]+|,(?=\s)/)
    .filter(Boolean)
    .map(num);
  const candidate = {
    mycashflow: { baseUrl: mcfAddress, user: mcfUser },
    netbaron: {
      baseUrl: nbServer,
      organisation: t('nb_organisation'),
      productsInterface: num(t('nb_products_interface') || '1'),
      salesOrderInterface: num(t('nb_salesorder_interface') || '1'),
      ...(t('nb_marketplace') ? { marketplace: t('nb_marketplace') } : {}),
    },
    productImport: {
      mode: t('import_mode') === 'update-existing' ? 'update-existing' : 'import-new',
      updateOnly: codesOf(formText(form, 'update_only')),
      updateDescriptions: on('update_descriptions'),
      whenRemoving: t('when_removing') === 'delete' ? 'delete' : 'hide',
      vatRates,
      guards: {
        maxRemovalShare: num(t('guard_removal_percent')) / 100,
        priceChangePercent: num(t('guard_price_percent')),
        maxPriceChangeShare: num(t('guard_price_share_percent')) / 100,
      },
      concurrency: num(t('concurrency')),
    },
    orderExport: {
      useVersionContactDetails: on('use_version_contact'),
      storeContact: Object.fromEntries(
        (
          [
            'company',
            'business_id',
            'street_address',
            'postal_code',
            'city',
            'country',
            'email',
            'phone',
          ] as const
        )
          .map((f) => [f, t(`contact_${f}`)])
          .filter(([, v]) => v !== ''),
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
    errors.update_only = 'List the product codes to update, one per line.';
  const parsed = storedSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p) => typeof p === 'string').join('.');
      const field = FIELD_OF_PATH[path] ?? FIELD_OF_PATH[issue.path.slice(0, 2).join('.')] ?? path;
      errors[field] ??= readable(path, issue);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };

  const secrets: Secrets = {};
  if (t('mcf_api_key')) secrets.mycashflowApiKey = t('mcf_api_key');
  if (t('nb_product_password')) secrets.productApiPassword = t('nb_product_password');
  if (t('nb_order_password')) secrets.orderApiPassword = t('nb_order_password');
  const clear: SecretField[] = [];
  if (on('clear_product_password')) clear.push('productApiPassword');
  if (on('clear_order_password')) clear.push('orderApiPassword');
  return { ok: true, name, settings: parsed.data, secrets, clear };
}

function readable(path: string, issue: z.core.$ZodIssue): string {
  if (path === 'productImport.updateOnly') return 'List the product codes to update, one per line.';
  if (path.startsWith('productImport.vatRates')) return 'VAT rates are percentages such as 25.5, 14, 10, 0.';
  if (path.startsWith('productImport.guards')) return 'Give a number between 0 and 100.';
  if (path === 'productImport.concurrency') return 'Give a whole number from 1 to 32.';
  if (path.startsWith('orderExport.')) return 'An article code is required.';
  if (path === 'schedule.at') return 'Give the time as HH:MM, such as 04:30.';
  if (path.startsWith('netbaron.') && path.endsWith('Interface'))
    return 'The interface number is a whole number, 1 or more.';
  return issue.message;
}
