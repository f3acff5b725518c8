import { heldSentence } from '../catalog/holds.ts';
import type { ProblemKind } from '../catalog/plan.ts';
import { decodeCause } from '../orders/order-cause.ts';

/*
 * The problems inbox as the merchant reads it: one group per cause, each with its fix in plain words,
 * the orders or codes it affects, when it started and the action that mends them all at once. Pure:
 * what the groups are made of is read elsewhere (`problems-inbox.ts`).
 */

export type ProblemArea = 'connection' | 'orders' | 'catalog';

export interface GroupItem {
  /** The order number or product code. */
  label: string;
  /** Where to look, relative to the connection's pages. */
  link?: string;
  /** The technical detail of this one item (NetBaron's or MyCashflow's message). */
  detail?: string;
}

/** A form button that mends the whole group: a POST to `path` (relative to the connection's pages). */
export interface GroupAction {
  label: string;
  path: string;
  fields: Record<string, string>;
  /** Asked before the form is sent. */
  confirm?: string;
}

export interface ProblemGroup {
  /** Stable while the cause lasts: the notification and the bulk action refer to it. */
  key: string;
  area: ProblemArea;
  /** `warning`: a notice that needs no action. */
  severity: 'error' | 'warning';
  title: string;
  /** What to do, in the merchant's words. */
  fix: string;
  /** How many orders or codes it affects (`items` may hold fewer). */
  count: number;
  items: GroupItem[];
  /** When it started: the first affected order's arrival, or the run that found it. */
  since: Date | null;
  /** Where the whole group is seen (a run's page), relative to the connection's pages. */
  link?: string;
  action?: GroupAction;
}

/** At most this many items are kept per group for the page; `count` says how many there are. */
export const ITEMS_SHOWN = 200;

export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Order problems first (money waits), then the catalog's; errors before notices within each. */
const AREA_ORDER: Record<ProblemArea, number> = { connection: 0, orders: 1, catalog: 2 };

export function sortGroups(groups: ProblemGroup[]): ProblemGroup[] {
  return groups
    .map((g, i) => ({ g, i }))
    .sort(
      (a, b) =>
        AREA_ORDER[a.g.area] - AREA_ORDER[b.g.area] ||
        (a.g.severity === b.g.severity ? 0 : a.g.severity === 'error' ? -1 : 1) ||
        a.i - b.i,
    )
    .map(({ g }) => g);
}

// ---------------------------------------------------------------------------------------------------
// Orders

/** A ledger row that needs attention: waiting, outcome unknown, or unsent for too long. */
export interface OrderProblemRow {
  order_id: string;
  state: string;
  cause: string | null;
  reason: string | null;
  received_at: Date;
}

interface OrderGroupText {
  title: (n: number) => string;
  fix: string;
  action: string;
}

const RETRY = (n: number) => (n === 1 ? 'Retry this order' : `Retry these ${n} orders`);

const REFUSALS: Partial<Record<string, Omit<OrderGroupText, 'action'>>> = {
  authentication: {
    title: (n) => `NetBaron refuses the Order API password (${plural(n, 'order waits', 'orders wait')})`,
    fix: "Check the Order API password and the sales-order interface number in Settings (NetBaron's support gives them), then retry these orders.",
  },
  'ip-not-allowed': {
    title: (n) =>
      `NetBaron does not accept orders from this service's address (${plural(n, 'order waits', 'orders wait')})`,
    fix: "Ask NetBaron's support to allow this service's IP address for the Order API, then retry these orders.",
  },
  forbidden: {
    title: (n) => `NetBaron does not allow sending orders (${plural(n, 'order waits', 'orders wait')})`,
    fix: "Ask NetBaron's support to open the Order API for your organisation, then retry these orders.",
  },
  'not-found': {
    title: (n) =>
      `NetBaron's order interface is not at the address in Settings (${plural(n, 'order waits', 'orders wait')})`,
    fix: 'Check the NetBaron server address and the sales-order interface number in Settings, then retry these orders.',
  },
};

function orderGroupKey(row: OrderProblemRow): string {
  if (row.state === 'outcome-unknown') return 'orders:outcome-unknown';
  if (row.state !== 'waiting') {
    const cause = decodeCause(row.cause);
    return cause?.kind === 'retry-later' ? `orders:unsent:${cause.error}` : 'orders:unsent';
  }
  const cause = decodeCause(row.cause);
  if (!cause) return 'orders:waiting';
  if (cause.kind === 'netbaron-refused' && cause.error === 'method-not-allowed')
    return 'orders:netbaron-refused:not-found';
  return `orders:${row.cause}`;
}

function orderGroupText(key: string, unsentAfterMinutes: number): OrderGroupText {
  const cause = decodeCause(key.slice('orders:'.length));
  if (key === 'orders:outcome-unknown')
    return {
      title: (n) => `Not known whether NetBaron received ${plural(n, 'order', 'orders')}`,
      fix: 'Nothing is sent again until NetBaron has been asked whether it already has them, so no order is doubled. This clears by itself once NetBaron answers; "Ask NetBaron again" does it now.',
      action: 'Ask NetBaron again',
    };
  if (key.startsWith('orders:unsent')) {
    const error = key.split(':')[2];
    const limited = error === 'rate-limited';
    const down = error !== undefined && ['unavailable', 'server', 'connection', 'timeout'].includes(error);
    return {
      title: (n) =>
        limited
          ? `NetBaron is limiting requests: ${plural(n, 'order is', 'orders are')} not sent yet`
          : down
            ? `NetBaron is not answering: ${plural(n, 'order is', 'orders are')} not sent yet`
            : `${plural(n, 'order has', 'orders have')} not been sent for over ${unsentAfterMinutes} minutes`,
      fix:
        down || limited
          ? 'The connector keeps trying by itself and nothing is lost. If it lasts for hours, ask NetBaron whether its service is up.'
          : 'The connector keeps trying by itself and nothing is lost. If it lasts, NetBaron or MyCashflow may be unreachable, or no worker is running: tell whoever runs the connector.',
      action: 'Send now',
    };
  }
  if (cause?.kind === 'payment-method')
    return {
      title: (n) =>
        `Payment method "${cause.name}" is unknown to NetBaron (${plural(n, 'order waits', 'orders wait')})`,
      fix: `Add a payment method named exactly "${cause.name}" in NetBaron (the same letters, spaces and capitals as in MyCashflow), then retry these orders.`,
      action: 'retry',
    };
  if (cause?.kind === 'netbaron-refused') {
    const known = REFUSALS[cause.error];
    if (known) return { ...known, action: 'retry' };
    return {
      title: (n) => `NetBaron refused ${plural(n, 'order', 'orders')}${cause.code ? ` (${cause.code})` : ''}`,
      fix: "NetBaron's reason is given with each order. Correct what it names (in NetBaron, or the order in MyCashflow), then retry these orders.",
      action: 'retry',
    };
  }
  if (cause?.kind === 'order-data')
    return {
      title: (n) => `${plural(n, 'order lacks', 'orders lack')} details NetBaron needs`,
      fix: "Each order's reason says what is missing, such as the customer's postal code. Correct the order in MyCashflow, then retry it.",
      action: 'retry',
    };
  if (cause?.kind === 'paused')
    return {
      title: (n) => `The connection is paused: ${plural(n, 'order waits', 'orders wait')}`,
      fix: 'Nothing is lost: orders keep arriving and wait here. Resume the connection on its overview page (or `netbaron connections resume <id>`) and every waiting order is sent once.',
      action: 'retry',
    };
  if (cause?.kind === 'duplicates-in-netbaron')
    return {
      title: (n) => `NetBaron holds more than one copy of ${plural(n, 'order', 'orders')}`,
      fix: 'Remove the extra copies in NetBaron so that one of each is left, then retry: NetBaron is read first and nothing more is sent.',
      action: 'retry',
    };
  return {
    title: (n) => `${plural(n, 'order waits', 'orders wait')} for you`,
    fix: "Each order's reason says what it waits for. Fix that, then retry these orders.",
    action: 'retry',
  };
}

/** Waiting and stuck orders, one group per cause, in the order each cause first struck. */
export function groupOrderProblems(
  rows: readonly OrderProblemRow[],
  unsentAfterMinutes: number,
): ProblemGroup[] {
  const byKey = new Map<string, OrderProblemRow[]>();
  for (const row of rows) {
    const key = orderGroupKey(row);
    const list = byKey.get(key);
    if (list) list.push(row);
    else byKey.set(key, [row]);
  }
  const groups: ProblemGroup[] = [];
  for (const [key, members] of byKey) {
    const text = orderGroupText(key, unsentAfterMinutes);
    const sorted = [...members].sort((a, b) => Number(a.order_id) - Number(b.order_id));
    const since = members.reduce<Date | null>(
      (min, r) => (min === null || r.received_at < min ? r.received_at : min),
      null,
    );
    groups.push({
      key,
      area: 'orders',
      severity: 'error',
      title: text.title(members.length),
      fix: text.fix,
      count: members.length,
      items: sorted.slice(0, ITEMS_SHOWN).map((r) => ({
        label: r.order_id,
        link: `/orders/${r.order_id}`,
        ...(r.reason ? { detail: r.reason } : {}),
      })),
      since,
      action: {
        label: text.action === 'retry' ? RETRY(members.length) : text.action,
        path: '/problems/retry-orders',
        fields: { group: key },
      },
    });
  }
  return groups.sort((a, b) => (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0));
}

/** The orders of one group, for its bulk action: the same grouping, so the button does what it says. */
export function ordersOfGroup(rows: readonly OrderProblemRow[], key: string): number[] {
  return rows.filter((r) => orderGroupKey(r) === key).map((r) => Number(r.order_id));
}

// ---------------------------------------------------------------------------------------------------
// The catalog

export interface RunFacts {
  id: string;
  status: string;
  error: string | null;
  guard: unknown;
  created_at: Date;
}

export interface CatalogFinding {
  kind: string;
  code: string;
  reason: string;
  /** How many findings of this kind the run has in all (the list may hold only the first ones). */
  total?: number;
}

/** A write the import could not make: from the run's failed actions. */
export interface FailedWrite {
  code: string;
  kind: string;
  error: string | null;
  /** The remote status (409, 404, …) when the store answered. */
  status?: number;
  /** How many writes of this kind and status failed in all (the list may hold only the first ones). */
  total?: number;
}

const FINDINGS: Record<
  Exclude<ProblemKind, 'write-failed'>,
  { title: (n: number) => string; fix: string; warning?: true }
> = {
  'duplicate-code-in-store': {
    title: (n) => `${plural(n, 'product code is', 'product codes are')} used more than once in the store`,
    fix: 'Give each product and variation its own code in MyCashflow. Until then these codes are left alone.',
  },
  'duplicate-code-in-netbaron': {
    title: (n) => `${plural(n, 'product code is', 'product codes are')} used more than once in NetBaron`,
    fix: 'Give each NetBaron product its own code. Until then these codes are left alone.',
  },
  'invalid-netbaron-data': {
    title: (n) => `${plural(n, 'NetBaron product', 'NetBaron products')} could not be read`,
    fix: 'Correct these products in NetBaron (the detail says which value is wrong). They are skipped until then.',
  },
  'invalid-store-data': {
    title: (n) => `${plural(n, 'store product', 'store products')} could not be read`,
    fix: 'Open these products in MyCashflow and correct them. Their codes are left alone until then.',
  },
  'missing-price': {
    title: (n) => `${plural(n, 'NetBaron product has', 'NetBaron products have')} no selling price`,
    fix: 'Give these products a selling price in NetBaron. Their store prices are left as they are.',
  },
  'missing-name': {
    title: (n) => `${plural(n, 'NetBaron product has', 'NetBaron products have')} no name`,
    fix: 'Give these products a name in NetBaron; they are created in the store once they have one.',
  },
  'unknown-vat-rate': {
    title: (n) =>
      `${plural(n, 'NetBaron product has', 'NetBaron products have')} a VAT rate the store does not accept`,
    fix: "Use one of the store's VAT rates in NetBaron, or add the rate to the import's VAT rates in Settings.",
  },
  'negative-quantity': {
    title: (n) => `${plural(n, 'NetBaron product has', 'NetBaron products have')} a negative stock balance`,
    fix: 'The store got 0 for these. Nothing to do unless the balance in NetBaron is wrong.',
    warning: true,
  },
  'fractional-quantity': {
    title: (n) => `${plural(n, 'NetBaron product has', 'NetBaron products have')} a fractional stock balance`,
    fix: 'The store keeps whole units and got the whole part. Nothing to do unless the balance is wrong.',
    warning: true,
  },
  'invalid-quantity': {
    title: (n) =>
      `${plural(n, 'NetBaron product has', 'NetBaron products have')} an unreadable stock balance`,
    fix: 'Correct the stock balance in NetBaron. The store stock of these is left as it is until then.',
  },
  'variation-missing-in-store': {
    title: (n) => `${plural(n, 'variation is', 'variations are')} missing in the store`,
    fix: 'Add these variations in MyCashflow with exactly these codes: the import never creates variations.',
  },
  'selected-product-not-found': {
    title: (n) =>
      `${plural(n, 'product chosen for updating is', 'products chosen for updating are')} not in the store`,
    fix: 'Choose products the store has under "Products to update" in Settings, or correct the codes.',
  },
  'stock-on-variations': {
    title: (n) =>
      `${plural(n, 'product keeps its', 'products keep their')} stock on variations, not on the product`,
    fix: "NetBaron's balance for the product itself is not written. Keep the stock on the variations' codes in NetBaron too.",
    warning: true,
  },
  'rounded-purchase-price': {
    title: (n) =>
      `${plural(n, 'store purchase price has', 'store purchase prices have')} more than two decimals`,
    fix: 'The import compared them rounded to the cent. Nothing to do unless the rounded price is wrong.',
    warning: true,
  },
};

const WRITE_WORDS: Record<string, [string, string]> = {
  'create-product': ['new product', 'new products'],
  'update-product': ['product update', 'product updates'],
  'update-variation': ['variation update', 'variation updates'],
  'set-stock': ['stock change', 'stock changes'],
  'delete-variation': ['variation deletion', 'variation deletions'],
  'hide-product': ['product to hide', 'products to hide'],
  'delete-product': ['product deletion', 'product deletions'],
};

function writeFix(status: number | undefined): string {
  if (status === 409)
    return 'MyCashflow found a conflict: the code may be used twice, or the item changed in the store meanwhile. Check these codes in MyCashflow, then retry them: they are planned again against both systems as they are now.';
  if (status === 404)
    return 'The product or variation is no longer in the store (deleted meanwhile). Retrying plans these codes again against the store as it is now.';
  if (status === 400 || status === 422)
    return 'MyCashflow did not accept the values; its reason is given with each code. Correct them in NetBaron, then retry these codes.';
  return 'MyCashflow could not take these writes. Retry these codes; they are planned again against both systems as they are now.';
}

const writeFailedKey = (kind: string, status: number | undefined): string =>
  `catalog:write-failed:${kind}${status ? `:${status}` : ''}`;

/** The failed writes a group of them stands for (its bulk action retries those only). */
export function writeFailuresOfGroup(key: string): { kind: string; status?: number } | undefined {
  const match = /^catalog:write-failed:([a-z-]+)(?::(\d{3}))?$/.exec(key);
  if (!match) return undefined;
  return { kind: match[1]!, ...(match[2] ? { status: Number(match[2]) } : {}) };
}

/** The run's own state, the findings of its plan and its failed writes, one group per cause. */
export function groupCatalogProblems(input: {
  /** The newest run whose findings count (the newest full run, preview or not). */
  findingsRun?: RunFacts;
  findings: readonly CatalogFinding[];
  /** The newest run that wrote (or meant to). */
  writeRun?: RunFacts;
  failedWrites: readonly FailedWrite[];
}): ProblemGroup[] {
  const groups: ProblemGroup[] = [];
  const run = input.writeRun;
  if (run) {
    const link = `/runs/${run.id}`;
    if (run.status === 'failed' || run.status === 'interrupted') {
      groups.push({
        key: `catalog:run-${run.status}`,
        area: 'catalog',
        severity: 'error',
        title:
          run.status === 'failed'
            ? 'The last product import failed'
            : 'The last product import did not finish',
        fix:
          run.status === 'failed'
            ? 'The reason is below. Fix it (often a password or an address in Settings), then fetch all products again.'
            : 'The next import (the button, the schedule or a restart of the service) resumes it where it stopped.',
        count: 1,
        items: [{ label: `Run #${run.id}`, link, ...(run.error ? { detail: run.error } : {}) }],
        since: run.created_at,
        link,
      });
    }
    if (run.status === 'blocked') {
      const reasons = (run.guard as { reasons?: string[] } | null)?.reasons ?? [];
      groups.push({
        key: 'catalog:run-blocked',
        area: 'catalog',
        severity: 'error',
        title: 'The last product import stopped before writing anything',
        fix: 'It would have changed more of the store at once than the safety limits allow. Look at the plan: discard it, or write it anyway if it is right.',
        count: 1,
        items: [{ label: `Run #${run.id}`, link, detail: reasons.join(' ') }],
        since: run.created_at,
        link,
      });
    }
    const failedByCause = new Map<string, FailedWrite[]>();
    for (const f of input.failedWrites) {
      const key = writeFailedKey(f.kind, f.status);
      const list = failedByCause.get(key);
      if (list) list.push(f);
      else failedByCause.set(key, [f]);
    }
    for (const [key, failures] of failedByCause) {
      const { kind, status } = failures[0]!;
      const [one, many] = WRITE_WORDS[kind] ?? ['write', 'writes'];
      const total = failures[0]!.total ?? failures.length;
      groups.push({
        key,
        area: 'catalog',
        severity: 'error',
        title: `MyCashflow refused ${plural(total, one, many)}${status ? ` (${status})` : ''}`,
        fix: writeFix(status),
        count: total,
        items: failures.slice(0, ITEMS_SHOWN).map((f) => ({
          label: f.code,
          link: `${link}?code=${encodeURIComponent(f.code)}`,
          ...(f.error ? { detail: f.error } : {}),
        })),
        since: run.created_at,
        link,
        action: {
          label: total === 1 ? 'Retry this code' : `Retry these ${total} codes`,
          path: `/runs/${run.id}/retry-failed`,
          fields: { group: key },
        },
      });
    }
  }

  const findRun = input.findingsRun;
  if (findRun) {
    const byKind = new Map<string, CatalogFinding[]>();
    for (const f of input.findings) {
      if (f.kind === 'write-failed') continue;
      const list = byKind.get(f.kind);
      if (list) list.push(f);
      else byKind.set(f.kind, [f]);
    }
    const link = `/runs/${findRun.id}`;
    for (const [kind, found] of byKind) {
      const words = FINDINGS[kind as Exclude<ProblemKind, 'write-failed'>];
      const total = found[0]!.total ?? found.length;
      groups.push({
        key: `catalog:${kind}`,
        area: 'catalog',
        severity: words?.warning ? 'warning' : 'error',
        title: words ? words.title(total) : `${plural(total, 'product', 'products')}: ${kind}`,
        fix: words?.fix ?? 'The detail of each code says what is wrong.',
        count: total,
        items: found.slice(0, ITEMS_SHOWN).map((f) => ({ label: f.code, detail: f.reason })),
        since: findRun.created_at,
        link,
      });
    }
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------------
// The connection itself

export function connectionGroups(missingSettings: readonly string[], credentialsUnreadable: boolean) {
  const groups: ProblemGroup[] = [];
  if (credentialsUnreadable) {
    groups.push({
      key: 'connection:credentials-key',
      area: 'connection',
      severity: 'error',
      title: 'The saved passwords cannot be opened',
      fix: "Enter the API key and the NetBaron passwords again in Settings. (They were sealed with another encryption key than this service's: ENCRYPTION_KEY or the key file in the data folder changed.)",
      count: 1,
      items: [],
      since: null,
      link: '/settings',
    });
  }
  if (missingSettings.length > 0) {
    groups.push({
      key: 'connection:settings',
      area: 'connection',
      severity: 'error',
      title: 'The connection is not complete',
      fix: `Set ${missingSettings.join(', ')} in Settings. Until then nothing is imported or exported.`,
      count: 1,
      items: [],
      since: null,
      link: '/settings',
    });
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------------
// Held stock (returns not yet in NetBaron)

export interface HoldRow {
  code: string;
  returned: number;
  store_quantity: number;
  netbaron_quantity: number;
  held_since: Date;
}

/** Codes whose stock the import leaves alone until NetBaron has the store's returns: one group. */
export function holdGroup(holds: readonly HoldRow[]): ProblemGroup[] {
  if (holds.length === 0) return [];
  const n = holds.length;
  return [
    {
      key: 'catalog:stock-held',
      area: 'catalog',
      severity: 'error',
      title: n === 1 ? heldSentence(holds[0]!) : `Returned units of ${n} products are not yet in NetBaron`,
      fix: "The import leaves the store's stock of these as it is, so the returns are not lost. Add the returned units in NetBaron: the hold then ends by itself at the next import. Or, if NetBaron is right, overwrite the store with NetBaron's balance.",
      count: n,
      items: holds.slice(0, ITEMS_SHOWN).map((h) => ({
        label: h.code,
        link: `/stock?run=1`,
        detail: `${heldSentence(h)} The store has ${h.store_quantity}, NetBaron ${h.netbaron_quantity}.`,
      })),
      since: holds.reduce<Date | null>(
        (min, h) => (min === null || h.held_since < min ? h.held_since : min),
        null,
      ),
      link: '/stock',
      action: {
        label: n === 1 ? "Overwrite with NetBaron's balance" : `Overwrite all ${n} with NetBaron's balance`,
        path: '/holds/overwrite',
        fields: { all: '1' },
        confirm:
          "Write NetBaron's balance over the store's stock of the held products? The returned units then are in neither system until you add them in NetBaron.",
      },
    },
  ];
}
