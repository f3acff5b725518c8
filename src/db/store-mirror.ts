import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { StockChangeEntry } from '../catalog/returns.ts';
import type {
  ChangesReadEnd,
  FullReadEnd,
  MirrorState,
  MirrorStockChange,
  StoreMirrorStore,
} from '../catalog/store-mirror.ts';
import type { StoreProduct, UnreadableStoreProduct } from '../catalog/store-catalog.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

/** A full reading that did not end leaves this doubt behind: the next reading is full again. */
const UNFINISHED = 'the last full reading of the store did not finish';

async function ensureRow(db: Db, connectionId: string): Promise<void> {
  await db
    .insertInto('store_mirror')
    .values({ connection_id: connectionId })
    .onConflict((oc) => oc.column('connection_id').doNothing())
    .execute();
}

async function state(db: Db, connectionId: string): Promise<MirrorState | undefined> {
  const row = await db
    .selectFrom('store_mirror as m')
    .selectAll('m')
    .select(
      sql<string>`(select count(*) from store_mirror_products p where p.connection_id = m.connection_id)
        + jsonb_array_length(m.unreadable)`.as('count'),
    )
    .where('m.connection_id', '=', connectionId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    storeAddress: row.store_address,
    fullReadAt: row.full_read_at,
    productsFrom: row.products_from,
    stockChange:
      row.stock_change_id !== null && row.stock_change_at
        ? { id: Number(row.stock_change_id), at: row.stock_change_at }
        : null,
    stockReadAt: row.stock_read_at,
    returnsFrom: row.returns_from,
    doubt: row.doubt,
    productCount: Number(row.count),
  };
}

/** Stock items of the products read, with their quantities as read. */
function stockOf(products: readonly StoreProduct[]): { ids: number[]; quantities: number[] } {
  const ids: number[] = [];
  const quantities: number[] = [];
  const add = (id: number | null | undefined, quantity: number | null) => {
    if (id === null || id === undefined || quantity === null) return;
    ids.push(id);
    quantities.push(quantity);
  };
  for (const p of products) {
    add(p.stockItemId, p.stockQuantity);
    for (const v of p.variations) add(v.stockItemId, v.stockQuantity);
  }
  return { ids, quantities };
}

async function upsertStock(db: Db, connectionId: string, ids: number[], quantities: number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`insert into store_mirror_stock (connection_id, stock_item_id, quantity)
    select ${connectionId}, x.id, x.quantity
    from unnest(${ids}::bigint[], ${quantities}::integer[]) as x(id, quantity)
    on conflict (connection_id, stock_item_id) do update set quantity = excluded.quantity`.execute(db);
}

async function putProducts(
  db: Db,
  connectionId: string,
  products: readonly StoreProduct[],
  generation?: number,
): Promise<void> {
  if (products.length === 0) return;
  const ids = products.map((p) => p.id as number);
  const docs = products.map((p) => JSON.stringify(p));
  const stock = stockOf(products);
  await db.transaction().execute(async (tx) => {
    await sql`insert into store_mirror_products (connection_id, product_id, generation, doc)
      select ${connectionId}, x.id,
        coalesce(${generation ?? null}::integer,
          (select generation from store_mirror where connection_id = ${connectionId})),
        x.doc
      from unnest(${ids}::bigint[], ${docs}::jsonb[]) as x(id, doc)
      on conflict (connection_id, product_id)
        do update set doc = excluded.doc, generation = excluded.generation`.execute(tx);
    await upsertStock(tx, connectionId, stock.ids, stock.quantities);
  });
}

async function beginFullRead(db: Db, connectionId: string): Promise<number> {
  await ensureRow(db, connectionId);
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom('store_mirror_stock').where('connection_id', '=', connectionId).execute();
    const row = await tx
      .updateTable('store_mirror')
      .set({ generation: sql`generation + 1`, doubt: UNFINISHED, full_read_at: null })
      .where('connection_id', '=', connectionId)
      .returning('generation')
      .executeTakeFirstOrThrow();
    return row.generation;
  });
}

async function endFullRead(
  db: Db,
  connectionId: string,
  generation: number,
  end: FullReadEnd,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('store_mirror_products')
      .where('connection_id', '=', connectionId)
      .where('generation', '<>', generation)
      .execute();
    await tx
      .deleteFrom('store_mirror_returns')
      .where('connection_id', '=', connectionId)
      .where('changed_at', '<', end.returnsFrom)
      .execute();
    await tx
      .updateTable('store_mirror')
      .set({
        full_read_at: sql`now()`,
        store_address: end.storeAddress,
        products_from: end.productsFrom,
        returns_from: end.returnsFrom,
        unreadable: JSON.stringify(end.unreadable),
        doubt: null,
      })
      .where('connection_id', '=', connectionId)
      .where('generation', '=', generation)
      .execute();
  });
}

async function endChangesRead(db: Db, connectionId: string, end: ChangesReadEnd): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('store_mirror')
      .select('unreadable')
      .where('connection_id', '=', connectionId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const badIds = end.unreadable.flatMap((u) => (u.id !== undefined ? [u.id] : []));
    // A product read again replaces what was known of it, readable or not.
    const seen = new Set([...end.rereadIds.map(String), ...badIds]);
    const kept = (row.unreadable as UnreadableStoreProduct[]).filter(
      (u) => u.id === undefined || !seen.has(u.id),
    );
    if (badIds.length > 0)
      await tx
        .deleteFrom('store_mirror_products')
        .where('connection_id', '=', connectionId)
        .where('product_id', 'in', badIds)
        .execute();
    await tx
      .updateTable('store_mirror')
      .set({ products_from: end.productsFrom, unreadable: JSON.stringify([...kept, ...end.unreadable]) })
      .where('connection_id', '=', connectionId)
      .execute();
  });
}

async function applyStockChanges(
  db: Db,
  connectionId: string,
  changes: readonly MirrorStockChange[],
  cursor: { id: number; at: Date } | null,
  readAt: Date,
): Promise<void> {
  // In id order, the last change of an item is its quantity now.
  const latest = new Map<number, number>();
  for (const c of changes) latest.set(c.stockItemId, c.quantity);
  const returns = changes.flatMap((c) => (c.returned ? [{ id: c.id, ...c.returned }] : []));
  await ensureRow(db, connectionId);
  await db.transaction().execute(async (tx) => {
    await upsertStock(tx, connectionId, [...latest.keys()], [...latest.values()]);
    if (returns.length > 0)
      await sql`insert into store_mirror_returns (connection_id, change_id, changed_at, entry)
        select ${connectionId}, x.id, x.at, x.entry
        from unnest(${returns.map((r) => r.id)}::bigint[], ${returns.map((r) => r.at)}::timestamptz[],
          ${returns.map((r) => JSON.stringify(r.entry))}::jsonb[]) as x(id, at, entry)
        on conflict (connection_id, change_id) do nothing`.execute(tx);
    await tx
      .updateTable('store_mirror')
      .set({
        stock_read_at: readAt,
        ...(cursor ? { stock_change_id: cursor.id, stock_change_at: cursor.at } : {}),
      })
      .where('connection_id', '=', connectionId)
      .execute();
  });
}

async function markDoubt(db: Db, connectionId: string, why: string): Promise<void> {
  await ensureRow(db, connectionId);
  await db
    .updateTable('store_mirror')
    .set({ doubt: why })
    .where('connection_id', '=', connectionId)
    .where('doubt', 'is', null)
    .execute();
}

async function settleRun(db: Db, connectionId: string, runId: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await sql`delete from store_mirror_products p using import_actions a
      where p.connection_id = ${connectionId} and a.run_id = ${runId} and a.kind = 'delete-product'
        and a.status = 'done' and p.product_id = (a.action->>'productId')::bigint`.execute(tx);
    await sql`update store_mirror_products p
      set doc = jsonb_set(p.doc, '{variations}', coalesce((
        select jsonb_agg(v) from jsonb_array_elements(p.doc->'variations') v
        where (v->>'id')::bigint not in (
          select (a.action->>'variationId')::bigint from import_actions a
          where a.run_id = ${runId} and a.kind = 'delete-variation' and a.status = 'done')), '[]'::jsonb))
      where p.connection_id = ${connectionId} and p.product_id in (
        select (a.action->>'productId')::bigint from import_actions a
        where a.run_id = ${runId} and a.kind = 'delete-variation' and a.status = 'done')`.execute(tx);
    const refused = await sql<{ status: string; code: string }>`
      select a.result->'failure'->>'status' as status, a.code from import_actions a
      where a.run_id = ${runId} and a.status = 'failed'
        and a.result->'failure'->>'status' in ('404', '409') limit 1`.execute(tx);
    const first = refused.rows[0];
    if (!first) return false;
    await ensureRow(tx, connectionId);
    await tx
      .updateTable('store_mirror')
      .set({ doubt: `the store answered ${first.status} to a write of ${first.code}` })
      .where('connection_id', '=', connectionId)
      .execute();
    return true;
  });
}

/**
 * The mirror's products that `where` selects (all without it), in the store's order, with the stock
 * quantities the stock changes left. Without `descriptions` the texts an import does not compare stay
 * in the database.
 */
export async function mirrorProducts(
  db: Db,
  connectionId: string,
  descriptions: boolean,
  where?: RawBuilder<unknown>,
  limit?: number,
): Promise<StoreProduct[]> {
  const { rows } = await sql<{ doc: StoreProduct }>`
    select ${descriptions ? sql`p.doc` : sql`p.doc - 'description' - 'information'`} as doc
    from store_mirror_products p
    where p.connection_id = ${connectionId} ${where ? sql`and ${where}` : sql``}
    order by p.product_id ${limit === undefined ? sql`` : sql`limit ${limit}`}`.execute(db);
  const products = rows.map((r) => r.doc);
  const items: number[] = [];
  for (const p of products) {
    if (p.stockItemId != null) items.push(p.stockItemId);
    for (const v of p.variations) if (v.stockItemId != null) items.push(v.stockItemId);
  }
  const quantities = new Map<number, number>();
  if (items.length > 0) {
    const stock = await sql<{ id: string; quantity: number }>`
      select stock_item_id as id, quantity from store_mirror_stock
      where connection_id = ${connectionId} and stock_item_id = any(${items}::bigint[])`.execute(db);
    for (const s of stock.rows) quantities.set(Number(s.id), s.quantity);
  }
  const quantityOf = (id: number | null | undefined, read: number | null) =>
    id === null || id === undefined ? read : (quantities.get(id) ?? read);
  for (const p of products) {
    if (!descriptions) {
      p.description = '';
      p.information = '';
    }
    p.stockQuantity = quantityOf(p.stockItemId, p.stockQuantity);
    for (const v of p.variations) v.stockQuantity = quantityOf(v.stockItemId, v.stockQuantity);
  }
  return products;
}

/** The products that could not be read at the mirror's last reading. */
export async function mirrorUnreadable(db: Db, connectionId: string): Promise<UnreadableStoreProduct[]> {
  const mirror = await db
    .selectFrom('store_mirror')
    .select('unreadable')
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  return (mirror?.unreadable ?? []) as UnreadableStoreProduct[];
}

async function load(
  db: Db,
  connectionId: string,
  descriptions: boolean,
): Promise<{ products: StoreProduct[]; unreadable: UnreadableStoreProduct[] }> {
  const [products, unreadable] = await Promise.all([
    mirrorProducts(db, connectionId, descriptions),
    mirrorUnreadable(db, connectionId),
  ]);
  return { products, unreadable };
}

async function returnsSince(db: Db, connectionId: string, since: Date): Promise<StockChangeEntry[]> {
  // Whole seconds, as `changedSince` counts them: a return in the boundary's second is counted.
  const from = new Date(Math.floor(since.getTime() / 1000) * 1000);
  const rows = await db
    .selectFrom('store_mirror_returns')
    .select('entry')
    .where('connection_id', '=', connectionId)
    .where('changed_at', '>=', from)
    .orderBy('change_id')
    .execute();
  return rows.map((r) => r.entry as StockChangeEntry);
}

/** The store mirror (`src/catalog/store-mirror.ts`) on PostgreSQL. */
export function storeMirrorStore(db: Db): StoreMirrorStore {
  return {
    state: (connectionId) => state(db, connectionId),
    beginFullRead: (connectionId) => beginFullRead(db, connectionId),
    putProducts: (connectionId, products, generation) => putProducts(db, connectionId, products, generation),
    endFullRead: (connectionId, generation, end) => endFullRead(db, connectionId, generation, end),
    endChangesRead: (connectionId, end) => endChangesRead(db, connectionId, end),
    applyStockChanges: (connectionId, changes, cursor, readAt) =>
      applyStockChanges(db, connectionId, changes, cursor, readAt),
    markDoubt: (connectionId, why) => markDoubt(db, connectionId, why),
    settleRun: (connectionId, runId) => settleRun(db, connectionId, runId),
    load: (connectionId, options) => load(db, connectionId, options.descriptions),
    returnsSince: (connectionId, since) => returnsSince(db, connectionId, since),
  };
}
