import type { z } from 'zod';
import { productImportSettingsSchema, type ProductImportSettings } from '../../src/config/connection-file.ts';
import type { McfProductId, McfVariationId, McfVersionId, ProductCode } from '../../src/domain/ids.ts';
import { parseCents, parseVatRate, type Cents, type VatBasisPoints } from '../../src/domain/money.ts';
import type { NbProduct } from '../../src/netbaron/wire/products.ts';
import type { ActionKind, Plan, PlannedAction, Problem, ProblemKind } from '../../src/catalog/plan.ts';
import { planImport, type NetBaronListing } from '../../src/catalog/planner.ts';
import type { StoreCatalog, StoreProduct, StoreVariation } from '../../src/catalog/store-catalog.ts';

/*
 * Small builders for the planner's inputs: money is written as NetBaron and MyCashflow show it ("19.90"),
 * ids as plain numbers. Every default is visible here, so a test states only what it is about.
 */

export const eur = (text: string): Cents => parseCents(text);
export const vat = (text: string): VatBasisPoints => parseVatRate(text);

export const VERSIONS = [1, 2] as McfVersionId[];

export function settings(input: z.input<typeof productImportSettingsSchema> = {}): ProductImportSettings {
  return productImportSettingsSchema.parse(input);
}

/** A live NetBaron product with every field filled; `overrides` may set a field to undefined to omit it. */
export function nbProduct(code: string, overrides: Partial<Omit<NbProduct, 'code'>> = {}): NbProduct {
  return {
    code: code as ProductCode,
    ean: '',
    name: `NetBaron ${code}`,
    description: `Description of ${code}`,
    additionalInformation: `Information of ${code}`,
    vatRate: vat('25.5'),
    priceVatIncluded: eur('19.90'),
    purchasePrice: eur('8.00'),
    weight: '0.25',
    packageType: 'S',
    quantity: '5',
    deleted: false,
    marketplaces: [],
    ...overrides,
  };
}

/** A `Deleted=true` entry: only the code means anything (netbaron-ws §15.5). */
export function nbDeleted(code: string, name = ''): NbProduct {
  return { code: code as ProductCode, ean: '', name, deleted: true, marketplaces: [] };
}

export function storeVariation(
  id: number,
  productId: number,
  code: string | null,
  overrides: Partial<Omit<StoreVariation, 'id' | 'productId' | 'code'>> = {},
): StoreVariation {
  return {
    id: id as McfVariationId,
    productId: productId as McfProductId,
    code,
    name: `Variation ${code ?? id}`,
    price: eur('19.90'),
    purchasePrice: eur('8.00'),
    stockQuantity: 5,
    ...overrides,
  };
}

/** A store product equal to `nbProduct(code)` in every field the import compares, visible everywhere. */
export function storeProduct(
  id: number,
  code: string | null,
  overrides: Partial<Omit<StoreProduct, 'id' | 'code'>> = {},
): StoreProduct {
  return {
    id: id as McfProductId,
    code,
    name: `Store ${code ?? id}`,
    description: code === null ? '' : `Description of ${code}`,
    information: code === null ? '' : `Information of ${code}`,
    vatRate: vat('25.5'),
    price: eur('19.90'),
    purchasePrice: eur('8.00'),
    weight: 0.25,
    parcelType: 'S',
    visibility: VERSIONS.map((versionId) => ({ versionId, visible: true })),
    stockQuantity: 5,
    variations: [],
    ...overrides,
  };
}

/** A product with variations (its own stock is kept per variation, so it has none). */
export function storeProductWithVariations(
  id: number,
  code: string | null,
  variations: Array<{ id: number; code: string | null }>,
  overrides: Partial<Omit<StoreProduct, 'id' | 'code' | 'variations'>> = {},
): StoreProduct {
  return storeProduct(id, code, {
    stockQuantity: null,
    ...overrides,
    variations: variations.map((v) => storeVariation(v.id, id, v.code)),
  });
}

export const hiddenEverywhere = VERSIONS.map((versionId) => ({ versionId, visible: false }));

export interface Scenario {
  netbaron?: NbProduct[];
  invalid?: NetBaronListing['invalid'];
  complete?: boolean;
  store?: StoreProduct[];
  versions?: McfVersionId[];
  settings?: ProductImportSettings;
  linked?: string[];
  /** A retry: only these codes are planned. */
  only?: string[];
}

export function catalog(products: StoreProduct[], versions: McfVersionId[] = VERSIONS): StoreCatalog {
  return { versions: [...versions], products };
}

export function planOf(s: Scenario): Plan {
  return planImport({
    netbaron: { products: s.netbaron ?? [], invalid: s.invalid ?? [], complete: s.complete ?? true },
    store: catalog(s.store ?? [], s.versions),
    settings: s.settings ?? settings(),
    linkedCodes: new Set(s.linked ?? []),
    ...(s.only ? { onlyCodes: new Set(s.only) } : {}),
  });
}

export function actionsOf<K extends ActionKind>(
  plan: Plan,
  kind: K,
): Array<Extract<PlannedAction, { kind: K }>> {
  return plan.actions.filter((a): a is Extract<PlannedAction, { kind: K }> => a.kind === kind);
}

export function problemsOf(plan: Plan, kind: ProblemKind): Problem[] {
  return plan.problems.filter((p) => p.kind === kind);
}

/** The actions as [kind, code] pairs, in plan order: what a test usually wants to see at a glance. */
export const kindsAndCodes = (plan: Plan): Array<[ActionKind, string]> =>
  plan.actions.map((a) => [a.kind, a.code]);

export const problemKindsAndCodes = (plan: Plan): Array<[ProblemKind, string]> =>
  plan.problems.map((p) => [p.kind, p.code]);

/** Both modes, `update-existing` choosing `chosen` (which must then hold every code a test expects touched). */
export function modeSettings(
  mode: 'import-new' | 'update-existing',
  chosen: string[],
  rest: Omit<z.input<typeof productImportSettingsSchema>, 'mode' | 'updateOnly'> = {},
): ProductImportSettings {
  return settings(mode === 'import-new' ? { ...rest, mode } : { ...rest, mode, updateOnly: chosen });
}
