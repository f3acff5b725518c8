import { z } from 'zod';
import type { OrderExportSettings } from '../config/connection-file.ts';
import { isRemoteError, type RemoteError } from '../http/remote-error.ts';
import { backoffDelay, defaultRetryPolicy } from '../http/retry-policy.ts';
import { orderSchema } from '../mycashflow/schemas.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import { cleanSalesOrder, type NbSalesOrder } from '../netbaron/wire/salesorder.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import { mapOrder } from './map-order.ts';
import type { ClaimedOrder, LedgerKey, LockedLedger, OrderLedger } from './ledger.ts';
import { encodeCause, PAUSED_CAUSE, type OrderCause } from './order-cause.ts';
import type { StoreLookups } from './store-lookups.ts';

/** What a send asks of NetBaron. */
export type SalesOrderApi = Pick<
  NetBaronClient,
  'findSalesOrders' | 'putSalesOrder' | 'salesOrderDocument' | 'listPaymentMethods'
>;

export interface SendContext {
  ledger: OrderLedger;
  connectionId: string;
  nb: SalesOrderApi;
  lookups: Pick<StoreLookups, 'paymentMethodName' | 'shippingMethodName' | 'version'>;
  settings: OrderExportSettings;
  logger?: Logger;
}

export type SendOutcome =
  | { outcome: 'sent'; salesOrderNumber: string }
  | { outcome: 'found-already-sent'; salesOrderNumber: string }
  | { outcome: 'waiting'; reason: string }
  | { outcome: 'outcome-unknown'; reason: string }
  | { outcome: 'retry-later'; reason: string; retryAt: Date }
  | { outcome: 'not-claimed' };

/** A send's context while it holds the order's lock: every ledger step goes through `locked`. */
type LockedContext = SendContext & { locked: LockedLedger };

/** Later attempts of an order that keeps failing in a way that may pass wait longer, up to an hour. */
const retryPolicy = { ...defaultRetryPolicy, baseDelayMs: 5_000, maxDelayMs: 3_600_000 };

function paymentReason(orderId: number, storeName: string, netbaronNames: string[] | undefined): string {
  const known = netbaronNames ? netbaronNames.map((n) => `"${n}"`).join(', ') || 'none' : 'could not be read';
  return (
    `Order ${orderId}: payment method "${storeName}" of the store has no counterpart with exactly the same name in NetBaron ` +
    `(NetBaron has: ${known}). Add it in NetBaron with exactly this name, then retry the order.`
  );
}

/**
 * After an unclear attempt, NetBaron is asked whether it already has the order. Exactly one found means
 * the earlier attempt worked; none found (an explicit empty answer) means it is safe to send.
 */
async function readBack(ctx: LockedContext, key: LedgerKey): Promise<SendOutcome | 'absent'> {
  let found;
  try {
    found = await ctx.nb.findSalesOrders(String(key.orderId));
  } catch (err) {
    const reason = `Order ${key.orderId}: NetBaron could not be asked whether it already has the order (${(err as Error).message}).`;
    await ctx.locked.settle(key, { state: 'outcome-unknown', reason, cause: 'read-back-failed' });
    return { outcome: 'outcome-unknown', reason };
  }
  if (found.length === 0) return 'absent';
  if (found.length === 1) {
    const number = found[0]!.salesOrderNumber;
    await ctx.locked.settle(key, {
      state: 'sent',
      salesOrderNumber: number,
      answer: `found on read-back as ${number}`,
    });
    return { outcome: 'found-already-sent', salesOrderNumber: number };
  }
  const reason = `Order ${key.orderId}: NetBaron already holds ${found.length} orders with this identifier (${found.map((f) => f.salesOrderNumber).join(', ')}); remove the extra ones in NetBaron. Nothing more is sent.`;
  await ctx.locked.settle(key, { state: 'waiting', reason, cause: 'duplicates-in-netbaron' });
  return { outcome: 'waiting', reason };
}

async function put(
  ctx: LockedContext,
  key: LedgerKey,
  salesOrder: NbSalesOrder,
  document: string,
): Promise<{ number: string; answer: string } | RemoteError> {
  try {
    const receipt = await ctx.nb.putSalesOrder(salesOrder, document);
    return { number: receipt.salesOrderNumber, answer: `${receipt.status} as ${receipt.salesOrderNumber}` };
  } catch (err) {
    if (isRemoteError(err)) return err;
    throw err;
  }
}

/**
 * Sends one order from the ledger to NetBaron, exactly once: the order's lock keeps any second sender
 * out, an unclear earlier attempt is read back before anything is sent, and an unclear PUT is resolved
 * by reading back and re-sending only when NetBaron provably does not have the order.
 */
export async function sendOrder(
  ctx: SendContext,
  orderId: number,
  options: { includeWaiting?: boolean } = {},
): Promise<SendOutcome> {
  const key: LedgerKey = { connectionId: ctx.connectionId, orderId };
  // Never two sends of one order at once, whichever process or worker holds the job.
  const outcome = await ctx.ledger.withClaimedOrder(
    key,
    { includeWaiting: Boolean(options.includeWaiting) },
    (claimed, locked) => sendClaimed({ ...ctx, locked }, key, claimed),
  );
  return typeof outcome === 'string' ? { outcome: 'not-claimed' } : outcome;
}

async function sendClaimed(ctx: LockedContext, key: LedgerKey, claimed: ClaimedOrder): Promise<SendOutcome> {
  const { orderId } = key;
  const logger = (ctx.logger ?? silentLogger).child({ orderId });
  if (claimed.previousState === 'outcome-unknown' || claimed.previousState === 'sending') {
    const back = await readBack(ctx, key);
    if (back !== 'absent') return back;
  }
  // Read with the claim, under the order's lock. Acted on after the read-back, never before it: an order
  // whose earlier send may have arrived must not become a plain waiting one, which the resume would send
  // again without reading it back.
  if (claimed.paused) {
    const reason = `Order ${orderId}: the connection is paused; the order is sent when the connection is resumed.`;
    await ctx.locked.settle(key, { state: 'waiting', reason, cause: PAUSED_CAUSE });
    return { outcome: 'waiting', reason };
  }

  // The one full validation of an order, however it came in: intake reads only its id and time.
  const parsed = orderSchema.safeParse(claimed.order);
  if (!parsed.success) {
    const reason = `Order ${orderId}: MyCashflow's order could not be read (${z.prettifyError(parsed.error)}).`;
    await ctx.locked.settle(key, { state: 'waiting', reason, cause: 'order-data' });
    return { outcome: 'waiting', reason };
  }
  const order = parsed.data;
  const [paymentMethodName, shippingMethodName, version] = await Promise.all([
    ctx.lookups.paymentMethodName(order.payment_method_id),
    ctx.lookups.shippingMethodName(order.shipping_method_id),
    ctx.lookups.version(order.version_id),
  ]);
  const mapped = mapOrder({ order, paymentMethodName, shippingMethodName, version, settings: ctx.settings });
  if (!mapped.ok) {
    await ctx.locked.settle(key, { state: 'waiting', reason: mapped.reason, cause: 'order-data' });
    return { outcome: 'waiting', reason: mapped.reason };
  }
  // XML cannot carry some characters (a control character pasted into a name): they are left out, and
  // the order's history says from which fields, so that nobody wonders why NetBaron's text differs.
  const { order: salesOrder, removals } = cleanSalesOrder(mapped.salesOrder);
  const note =
    removals.length > 0
      ? `Characters that XML does not allow were removed before sending from: ${removals.join(', ')}.`
      : undefined;
  if (note) logger.warn('characters XML does not allow were removed from the order', { removals });
  // Written once: the document recorded is byte for byte the one sent, however often it is sent.
  const document = ctx.nb.salesOrderDocument(salesOrder);
  await ctx.locked.recordSentDocument(key, document, note);

  let result = await put(ctx, key, salesOrder, document);
  if (!('number' in result) && result.disposition === 'outcome-unknown') {
    logger.warn('order send outcome unknown; reading it back', { reason: result.message });
    const back = await readBack(ctx, key);
    if (back !== 'absent') return back;
    // Provably absent: the one re-send this attempt allows.
    result = await put(ctx, key, salesOrder, document);
  }
  if ('number' in result) {
    await ctx.locked.settle(key, { state: 'sent', salesOrderNumber: result.number, answer: result.answer });
    logger.info('order sent to NetBaron', { salesOrderNumber: result.number });
    return { outcome: 'sent', salesOrderNumber: result.number };
  }

  const err = result;
  if (err.disposition === 'outcome-unknown') {
    const reason = `Order ${orderId}: ${err.message}`;
    await ctx.locked.settle(key, { state: 'outcome-unknown', reason, cause: 'outcome-unknown' });
    return { outcome: 'outcome-unknown', reason };
  }
  if (err.disposition === 'retryable') {
    const reason = `Order ${orderId}: ${err.message}`;
    // Never sooner than NetBaron asked (429/503 with Retry-After), whatever the back-off says.
    const retryAt = new Date(Date.now() + backoffDelay(retryPolicy, claimed.attempts, err.retryAfterMs));
    const cause = encodeCause({ kind: 'retry-later', error: err.kind });
    await ctx.locked.settle(key, { state: 'received', reason, cause, retryAt });
    return { outcome: 'retry-later', reason, retryAt };
  }
  let reason = `Order ${orderId}: ${err.message}`;
  let cause: OrderCause = {
    kind: 'netbaron-refused',
    error: err.kind,
    ...(err.remoteCode ? { code: err.remoteCode } : {}),
  };
  if (err.kind === 'unknown-payment-method') {
    const names = await ctx.nb.listPaymentMethods().catch(() => undefined);
    reason = paymentReason(orderId, salesOrder.paymentMethodText, names);
    cause = { kind: 'payment-method', name: salesOrder.paymentMethodText };
  }
  await ctx.locked.settle(key, { state: 'waiting', reason, cause: encodeCause(cause) });
  return { outcome: 'waiting', reason };
}
