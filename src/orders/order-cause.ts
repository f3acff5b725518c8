import type { RemoteErrorKind } from '../http/remote-error.ts';

/** The cause of an order that waits only because a person paused its connection; the resume sends it. */
export const PAUSED_CAUSE = 'paused';

/**
 * Why an order is not (yet) in NetBaron, as a short stable code stored beside the merchant's reason text
 * (`order_ledger.cause`). The problems inbox groups waiting orders by it, so that five Klarna orders are
 * one problem with one fix rather than five identical cards. The code never holds personal data: at most
 * a payment method's name or NetBaron's own error code.
 */
export type OrderCause =
  | { kind: 'payment-method'; name: string }
  | { kind: 'netbaron-refused'; error: RemoteErrorKind; code?: string }
  | { kind: 'order-data' }
  | { kind: 'duplicates-in-netbaron' }
  | { kind: 'outcome-unknown' }
  | { kind: 'read-back-failed' }
  | { kind: 'retry-later'; error: RemoteErrorKind }
  /** The connection is paused by a person: resuming it sends the order. */
  | { kind: 'paused' };

export type OrderCauseKind = OrderCause['kind'];

/** `kind` or `kind:detail`: the stored form, which is also the group's key. */
export function encodeCause(cause: OrderCause): string {
  switch (cause.kind) {
    case 'payment-method':
      return `payment-method:${cause.name}`;
    case 'netbaron-refused':
      return `netbaron-refused:${cause.error}${cause.code ? `:${cause.code}` : ''}`;
    case 'retry-later':
      return `retry-later:${cause.error}`;
    default:
      return cause.kind;
  }
}

/** The stored code read back; anything unknown (or a row from before causes were kept) is undefined. */
export function decodeCause(text: string | null | undefined): OrderCause | undefined {
  if (!text) return undefined;
  const cut = text.indexOf(':');
  const kind = cut < 0 ? text : text.slice(0, cut);
  const rest = cut < 0 ? '' : text.slice(cut + 1);
  switch (kind) {
    case 'payment-method':
      return { kind, name: rest };
    case 'netbaron-refused': {
      const [error, ...code] = rest.split(':');
      if (!error) return undefined;
      return {
        kind,
        error: error as RemoteErrorKind,
        ...(code.length ? { code: code.join(':') } : {}),
      };
    }
    case 'retry-later':
      return rest ? { kind, error: rest as RemoteErrorKind } : undefined;
    case 'order-data':
    case 'duplicates-in-netbaron':
    case 'outcome-unknown':
    case 'read-back-failed':
    case 'paused':
      return { kind };
    default:
      return undefined;
  }
}
