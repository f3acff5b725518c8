import { productCode } from '../domain/ids.ts';
import { isRemoteError } from '../http/remote-error.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';

/** The store's product and stock writes, and the reads that verify one. */
export type StoreWrites = Pick<
  MyCashflowClient,
  | 'getStock'
  | 'setStockQuantity'
  | 'createProduct'
  | 'getProduct'
  | 'updateProduct'
  | 'getVariation'
  | 'updateVariation'
  | 'deleteProduct'
  | 'deleteVariation'
>;
import type { McfProduct, McfVariation } from '../mycashflow/schemas.ts';
import type { PlannedAction, PricePatch } from './plan.ts';

export interface ApplyResult {
  /** What was found already in place (after an interruption) instead of written. */
  alreadyDone?: boolean;
  productId?: number;
}

const isNotFound = (err: unknown): boolean => isRemoteError(err) && err.kind === 'not-found';

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function patchDone(patch: PricePatch, current: McfProduct | McfVariation): boolean {
  const p = current as Partial<McfProduct>;
  return (
    (patch.price === undefined || patch.price === current.price) &&
    (patch.purchase_price === undefined || patch.purchase_price === current.purchase_price) &&
    (patch.description === undefined || patch.description === p.description) &&
    (patch.information === undefined || patch.information === p.information)
  );
}

/** A delete that finds its object already gone has nothing left to do (and writes nothing when verifying). */
async function deleteOnce(
  verify: boolean,
  read: () => Promise<unknown>,
  remove: () => Promise<void>,
): Promise<ApplyResult> {
  if (verify && !(await orUndefined(read()))) return { alreadyDone: true };
  try {
    await remove();
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return { alreadyDone: true };
  }
  return {};
}

/** The product that owns a code, found through its stock item (`/stock/{code}` carries `product_id`). */
async function productIdByCode(mcf: StoreWrites, code: string): Promise<number | undefined> {
  const stock = await orUndefined(mcf.getStock(productCode(code)));
  return stock?.product_id ?? undefined;
}

async function ensureStock(
  mcf: StoreWrites,
  code: string,
  quantity: number,
  verify: boolean,
): Promise<boolean> {
  if (verify) {
    const stock = await orUndefined(mcf.getStock(productCode(code)));
    if (stock?.quantity === quantity) return true;
  }
  await mcf.setStockQuantity(productCode(code), quantity);
  return false;
}

async function createProduct(
  mcf: StoreWrites,
  action: Extract<PlannedAction, { kind: 'create-product' }>,
  verify: boolean,
): Promise<ApplyResult> {
  let productId = verify ? await productIdByCode(mcf, action.code) : undefined;
  const found = productId !== undefined;
  if (!found) {
    try {
      productId = (await mcf.createProduct(action.create)).id;
    } catch (err) {
      // The POST may have created the product before the answer was lost: look before trying again.
      if (!(isRemoteError(err) && err.disposition === 'outcome-unknown')) throw err;
      productId = await productIdByCode(mcf, action.code);
      if (productId === undefined)
        throw err.withDisposition('retryable', 'The product is not in the store: it is created again later.');
    }
  }
  let stockInPlace = true;
  // A new product's stock starts at 0, so only another quantity needs writing.
  if (action.stock !== null && (found || action.stock !== 0))
    stockInPlace = await ensureStock(mcf, action.code, action.stock, found);
  return { productId, alreadyDone: found && stockInPlace };
}

/**
 * Carries out one planned action. With `verify`, the action may already have reached the store before an
 * interruption, so the store is read first and nothing is written that is already in place: a resumed run
 * never writes the same action twice.
 */
export async function applyAction(
  mcf: StoreWrites,
  action: PlannedAction,
  verify: boolean,
): Promise<ApplyResult> {
  switch (action.kind) {
    case 'create-product':
      return createProduct(mcf, action, verify);
    case 'update-product': {
      if (verify) {
        const current = await mcf.getProduct(action.productId);
        if (patchDone(action.patch, current)) return { alreadyDone: true };
      }
      await mcf.updateProduct(action.productId, action.patch);
      return {};
    }
    case 'update-variation': {
      if (verify) {
        const current = await mcf.getVariation(action.variationId);
        if (patchDone(action.patch, current)) return { alreadyDone: true };
      }
      await mcf.updateVariation(action.variationId, action.patch);
      return {};
    }
    case 'set-stock':
      return { alreadyDone: await ensureStock(mcf, action.code, action.quantity, verify) };
    case 'hide-product': {
      if (verify) {
        const current = await orUndefined(mcf.getProduct(action.productId, ['visibilities']));
        if (!current) return { alreadyDone: true };
        if (
          action.versions.every(
            (id) => current.visibilities?.find((v) => v.version_id === id)?.is_visible === false,
          )
        ) {
          return { alreadyDone: true };
        }
      }
      await mcf.updateProduct(action.productId, {
        visibilities: action.versions.map((version_id) => ({ version_id, is_visible: false })),
      });
      return {};
    }
    case 'delete-product':
      return deleteOnce(
        verify,
        () => mcf.getProduct(action.productId),
        () => mcf.deleteProduct(action.productId),
      );
    case 'delete-variation':
      return deleteOnce(
        verify,
        () => mcf.getVariation(action.variationId),
        () => mcf.deleteVariation(action.variationId),
      );
  }
}
