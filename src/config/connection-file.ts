import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { scheduleSchema } from '../domain/schedule.ts';
import { booleanSpellingSchema, decimalSeparatorSchema } from '../netbaron/wire/format.ts';
import { jsonErrorOffset } from './json-error-position.ts';
import { remoteAddressSchema } from './remote-address.ts';

/*
 * A connection: one store and one NetBaron organisation, with the extension's settings in its words.
 * The file is the CLI's way in; the service keeps the same shape in the database, split into settings
 * and sealed credentials (`src/connections/settings.ts`).
 */

const percentShare = z.number().min(0).max(1);

export const productImportSettingsSchema = z
  .object({
    /** `import-new`: update matches and create products for new codes; `update-existing`: create nothing. */
    mode: z.enum(['import-new', 'update-existing']).default('import-new'),
    /** With `update-existing`: the store product codes to update (a product includes its variations). */
    updateOnly: z.array(z.string().min(1)).default([]),
    /** NetBaron Description → description and AdditionalInformation → information, on create and update. */
    updateDescriptions: z.boolean().default(false),
    whenRemoving: z.enum(['hide', 'delete']).default('hide'),
    /** VAT rates a new product may have; any other rate is reported and the product is not created. */
    // Finland: 25.5 % general; 13.5 % food and restaurants since 2026 (14 % before); 10 % books, medicines.
    vatRates: z.array(z.number().min(0).max(99.99)).default([25.5, 14, 13.5, 10, 0]),
    guards: z
      .object({
        /** Stop before writing when more than this share of the store's codes would be hidden or deleted. */
        maxRemovalShare: percentShare.default(0.1),
        /** Stop when more than `maxPriceChangeShare` of the prices would move by more than this many percent. */
        priceChangePercent: z.number().positive().default(30),
        maxPriceChangeShare: percentShare.default(0.1),
      })
      .strict()
      .default({ maxRemovalShare: 0.1, priceChangePercent: 30, maxPriceChangeShare: 0.1 }),
    /** Writes to MyCashflow in flight at once at most; the executor goes lower when the store pushes back. */
    concurrency: z.number().int().min(1).max(32).default(4),
    /**
     * The store is read whole at least this often; in between, an import reads only what changed since
     * the last reading (`src/catalog/store-mirror.ts`).
     */
    fullStoreReadEveryHours: z.number().positive().max(720).default(24),
    /**
     * How long MyCashflow is assumed to keep its stock changes: when the last reading of them is older,
     * some may be gone, and the store is read whole.
     */
    stockChangesKeptDays: z.number().positive().max(3650).default(30),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.mode === 'update-existing' && s.updateOnly.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['updateOnly'],
        message: 'mode "update-existing" needs the product codes to update in updateOnly',
      });
    }
  });

export type ProductImportSettings = z.infer<typeof productImportSettingsSchema>;

const contactSchema = z
  .object({
    company: z.string().optional(),
    business_id: z.string().optional(),
    street_address: z.string().optional(),
    postal_code: z.string().optional(),
    city: z.string().optional(),
    country: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
  })
  .strict();
export type StoreContact = z.infer<typeof contactSchema>;

export const orderExportSettingsSchema = z
  .object({
    /** Seller details from the order's store version (falling back field by field to `storeContact`). */
    useVersionContactDetails: z.boolean().default(false),
    /** The store's general contact details: MyCashflow's API does not expose them, so they are set here. */
    storeContact: contactSchema.default({}),
    shippingArticleCode: z.string().min(1).default('TOIMITUS'),
    paymentCostArticleCode: z.string().min(1).default('MAKSUKULU'),
    discountArticleCode: z.string().min(1).default('ALENNUS'),
  })
  .strict();
export type OrderExportSettings = z.infer<typeof orderExportSettingsSchema>;

export const connectionFileSchema = z
  .object({
    /** Stable key of the connection in the database; derived from the name when absent. */
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'id: lower-case letters, digits and dashes')
      .optional(),
    name: z.string().min(1, 'name is required'),
    mycashflow: z
      .object({
        baseUrl: remoteAddressSchema(
          'mycashflow.baseUrl must be an http or https address without a user or password, such as https://STORE.mycashflow.fi/api/v1',
        ),
        user: z.string().min(1, "mycashflow.user is the API user's e-mail address"),
        apiKey: z.string().min(1, 'mycashflow.apiKey is required'),
      })
      .strict(),
    netbaron: z
      .object({
        baseUrl: remoteAddressSchema(
          'netbaron.baseUrl must be an http or https address without a user or password, such as https://nb.example.fi',
        ),
        organisation: z.string().min(1, 'netbaron.organisation is required'),
        productApiPassword: z.string().min(1).optional(),
        orderApiPassword: z.string().min(1).optional(),
        productsInterface: z.number().int().min(1).default(1),
        salesOrderInterface: z.number().int().min(1).default(1),
        marketplace: z
          .string()
          .min(1, 'netbaron.marketplace: choose the marketplace whose products are imported'),
        /** Flags we send: the documented TRUE/FALSE ('upper'), or true/false ('lower') if a server wants it. */
        booleanSpelling: booleanSpellingSchema.default('upper'),
        /** The separator of the numbers we send; NetBaron's is not documented (Finvoice uses a comma). */
        decimalSeparator: decimalSeparatorSchema.default('.'),
      })
      .strict(),
    productImport: productImportSettingsSchema.default(productImportSettingsSchema.parse({})),
    orderExport: orderExportSettingsSchema.default(orderExportSettingsSchema.parse({})),
    /** Automatic "Fetch all products" when the service runs the connection; off by default. */
    schedule: scheduleSchema.optional(),
  })
  .strict();

export type ConnectionFile = z.infer<typeof connectionFileSchema>;

export class ConnectionFileError extends Error {
  override name = 'ConnectionFileError';
}

/** A connection's key from its name: lower-case ASCII letters, digits and dashes. */
export function slugFromName(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 48) || 'connection'
  );
}

export function slugOf(connection: ConnectionFile): string {
  return connection.id ?? slugFromName(connection.name);
}

export function parseConnection(raw: unknown, source = 'connection'): ConnectionFile {
  const parsed = connectionFileSchema.safeParse(raw);
  if (!parsed.success) {
    // Field paths and rules only: a value (a password) is never repeated back.
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new ConnectionFileError(`${source} is not valid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Line and column (from 1) of a character position in a text. */
function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/** A connection file's text, as JSON: a syntax error is told by line and column, never by quoting it. */
export function parseConnectionText(text: string, source = 'connection'): ConnectionFile {
  // Editors on Windows save UTF-8 with a byte order mark, which JSON.parse refuses.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    // JSON.parse's own message quotes the file near the fault: a secret, as like as not.
    const { line, column } = lineAndColumn(json, jsonErrorOffset(json));
    throw new ConnectionFileError(
      `${source} is not valid JSON at line ${line}, column ${column}: check the quotes, commas and brackets there (keys and texts in double quotes, no comma after the last item)`,
    );
  }
  return parseConnection(raw, source);
}

export async function readConnectionFile(file: string): Promise<ConnectionFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new ConnectionFileError(`cannot read ${file}: ${why}; check the path given to --config`);
  }
  return parseConnectionText(text, file);
}
