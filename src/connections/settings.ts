import { z } from 'zod';
import {
  connectionFileSchema,
  orderExportSettingsSchema,
  productImportSettingsSchema,
  type ConnectionFile,
} from '../config/connection-file.ts';
import { booleanSpellingSchema, decimalSeparatorSchema } from '../netbaron/wire/format.ts';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  notificationSettingsSchema,
} from '../config/notification-settings.ts';
import { scheduleSchema } from '../domain/schedule.ts';

/*
 * What the service stores of a connection: the connection file's shape split in two. The settings
 * (jsonb, readable) hold everything but the credentials; the credentials are sealed apart
 * (`secret-box.ts`) and never leave the server again.
 */

export const storedSettingsSchema = z.object({
  mycashflow: z
    .object({ baseUrl: z.string().default(''), user: z.string().default('') })
    .default({ baseUrl: '', user: '' }),
  netbaron: z
    .object({
      baseUrl: z.string().default(''),
      organisation: z.string().default(''),
      productsInterface: z.number().int().min(1).default(1),
      salesOrderInterface: z.number().int().min(1).default(1),
      marketplace: z.string().optional(),
      booleanSpelling: booleanSpellingSchema.default('upper'),
      decimalSeparator: decimalSeparatorSchema.default('.'),
    })
    .default({
      baseUrl: '',
      organisation: '',
      productsInterface: 1,
      salesOrderInterface: 1,
      booleanSpelling: 'upper',
      decimalSeparator: '.',
    }),
  productImport: productImportSettingsSchema.default(productImportSettingsSchema.parse({})),
  orderExport: orderExportSettingsSchema.default(orderExportSettingsSchema.parse({})),
  schedule: scheduleSchema.default(scheduleSchema.parse({})),
  // Saved by the Notifications page alone (`saveNotifications`); unreadable ones fall back to none.
  notifications: notificationSettingsSchema.catch(DEFAULT_NOTIFICATION_SETTINGS),
});
export type StoredSettings = z.infer<typeof storedSettingsSchema>;

/** The credentials a connection file carries. */
export const FILE_SECRET_FIELDS = ['mycashflowApiKey', 'productApiPassword', 'orderApiPassword'] as const;
/** Every sealed credential: also the notification webhook's signing secret, set on its own page. */
export const SECRET_FIELDS = [...FILE_SECRET_FIELDS, 'webhookSecret'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
export type Secrets = Partial<Record<SecretField, string>>;

/**
 * The credentials after a change: a typed value replaces the saved one (a blank one keeps it), then the
 * fields to clear are removed. What a save stores, and what a test of the form uses before saving.
 */
export function mergeSecrets(saved: Secrets, changes: Secrets, clear: readonly SecretField[] = []): Secrets {
  const next: Secrets = { ...saved };
  for (const field of SECRET_FIELDS) {
    const value = changes[field];
    if (value !== undefined && value.trim() !== '') next[field] = value.trim();
  }
  for (const field of clear) delete next[field];
  return Object.fromEntries(Object.entries(next).filter(([, v]) => v));
}

export function parseStoredSettings(raw: unknown): StoredSettings {
  const parsed = storedSettingsSchema.safeParse(raw ?? {});
  // Settings written by an older version or by hand: start from the defaults rather than refuse to show.
  return parsed.success ? parsed.data : storedSettingsSchema.parse({});
}

/** A connection file split into what is stored in the clear and what is sealed. */
export function splitConnectionFile(file: ConnectionFile): {
  settings: StoredSettings;
  secrets: Secrets;
} {
  return {
    settings: storedSettingsSchema.parse({
      mycashflow: { baseUrl: file.mycashflow.baseUrl, user: file.mycashflow.user },
      netbaron: {
        baseUrl: file.netbaron.baseUrl,
        organisation: file.netbaron.organisation,
        productsInterface: file.netbaron.productsInterface,
        salesOrderInterface: file.netbaron.salesOrderInterface,
        marketplace: file.netbaron.marketplace,
        booleanSpelling: file.netbaron.booleanSpelling,
        decimalSeparator: file.netbaron.decimalSeparator,
      },
      productImport: file.productImport,
      orderExport: file.orderExport,
      ...(file.schedule ? { schedule: file.schedule } : {}),
    }),
    secrets: {
      mycashflowApiKey: file.mycashflow.apiKey,
      ...(file.netbaron.productApiPassword ? { productApiPassword: file.netbaron.productApiPassword } : {}),
      ...(file.netbaron.orderApiPassword ? { orderApiPassword: file.netbaron.orderApiPassword } : {}),
    },
  };
}

export type Assembled = { ok: true; connection: ConnectionFile } | { ok: false; missing: string[] };

/**
 * The runnable connection, or what the merchant still has to fill in (in the settings page's words;
 * never a value).
 */
export function assembleConnection(
  slug: string,
  name: string,
  settings: StoredSettings,
  secrets: Secrets,
): Assembled {
  const parsed = connectionFileSchema.safeParse({
    id: slug,
    name,
    mycashflow: {
      baseUrl: settings.mycashflow.baseUrl,
      user: settings.mycashflow.user,
      apiKey: secrets.mycashflowApiKey ?? '',
    },
    netbaron: {
      baseUrl: settings.netbaron.baseUrl,
      organisation: settings.netbaron.organisation,
      productApiPassword: secrets.productApiPassword,
      orderApiPassword: secrets.orderApiPassword,
      productsInterface: settings.netbaron.productsInterface,
      salesOrderInterface: settings.netbaron.salesOrderInterface,
      marketplace: settings.netbaron.marketplace ?? '',
      booleanSpelling: settings.netbaron.booleanSpelling,
      decimalSeparator: settings.netbaron.decimalSeparator,
    },
    productImport: settings.productImport,
    orderExport: settings.orderExport,
  });
  if (parsed.success) return { ok: true, connection: parsed.data };
  return {
    ok: false,
    missing: [...new Set(parsed.error.issues.map((i) => FIELD_WORDS[i.path.join('.')] ?? i.message))],
  };
}

/** The settings page's label of each field, for "still missing" messages. */
export const FIELD_WORDS: Record<string, string> = {
  'mycashflow.baseUrl': 'MyCashflow store address',
  'mycashflow.user': 'MyCashflow API user (e-mail)',
  'mycashflow.apiKey': 'MyCashflow API key',
  'netbaron.baseUrl': 'NetBaron server',
  'netbaron.organisation': 'NetBaron organisation',
  'netbaron.marketplace': 'NetBaron marketplace',
};
