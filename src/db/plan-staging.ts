import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { PlanSource, PlanStaging } from '../catalog/chunked-planning.ts';
import type { NbProduct } from '../netbaron/wire/products.ts';
import type { Database } from './schema.ts';
import { mirrorProducts, mirrorUnreadable } from './store-mirror.ts';

type Db = Kysely<Database>;

/** Store products read at once where a step may ask for many (rounded purchase prices). */
const PRODUCT_PAGE = 1000;

async function stageListing(db: Db, connectionId: string, products: readonly NbProduct[], firstSeq: number) {
  if (products.length === 0) return;
  // One JSON document the server splits: no parameter per value to bind or escape.
  await sql`insert into import_listing (connection_id, seq, code, doc)
    select ${connectionId}, ${firstSeq}::integer + x.n::integer - 1, x.doc->>'code', x.doc
    from jsonb_array_elements(${JSON.stringify(products)}::jsonb) with ordinality as x(doc, n)`.execute(db);
}

async function clear(db: Db, connectionId: string): Promise<void> {
  await sql`delete from import_listing where connection_id = ${connectionId}`.execute(db);
  await sql`delete from import_store_codes where connection_id = ${connectionId}`.execute(db);
}

/** Every code the mirror's products and variations hold, once per place (a code held twice is a duplicate). */
async function stageStoreCodes(db: Db, connectionId: string): Promise<void> {
  await sql`delete from import_store_codes where connection_id = ${connectionId}`.execute(db);
  await sql`insert into import_store_codes (connection_id, code, product_id)
    select p.connection_id, c.code, p.product_id
    from store_mirror_products p
    cross join lateral (
      select p.doc->>'code' as code
      union all
      select v->>'code' from jsonb_array_elements(p.doc->'variations') v) c
    where p.connection_id = ${connectionId} and c.code <> ''`.execute(db);
}

async function source(
  db: Db,
  connectionId: string,
  start: Pick<PlanSource, 'versions' | 'netbaron'> & { descriptions: boolean },
): Promise<PlanSource> {
  await stageStoreCodes(db, connectionId);
  const unreadable = await mirrorUnreadable(db, connectionId);
  const products = (where: RawBuilder<unknown>, limit?: number) =>
    mirrorProducts(db, connectionId, start.descriptions, where, limit);
  return {
    versions: start.versions,
    unreadable,
    netbaron: start.netbaron,
    async *productsWithRoundedPurchasePrices() {
      for (let after = -1; ;) {
        const page = await products(
          sql`p.product_id > ${after} and (p.doc ? 'purchasePriceRoundedFrom' or exists (
            select 1 from jsonb_array_elements(p.doc->'variations') v where v ? 'purchasePriceRoundedFrom'))`,
          PRODUCT_PAGE,
        );
        if (page.length === 0) return;
        yield page;
        after = page.at(-1)!.id;
      }
    },
    productsHolding: (codes) =>
      codes.length === 0
        ? Promise.resolve([])
        : products(sql`p.product_id in (select c.product_id from import_store_codes c
            where c.connection_id = ${connectionId} and c.code = any(${[...codes]}::text[]))`),
    productsById: (ids) =>
      ids.length === 0 ? Promise.resolve([]) : products(sql`p.product_id = any(${[...ids]}::bigint[])`),
    async duplicateStoreCodes() {
      const { rows } = await sql<{ code: string }>`select code from import_store_codes
        where connection_id = ${connectionId} group by code having count(*) > 1`.execute(db);
      return rows.map((r) => r.code);
    },
    async *listedChunks(size) {
      for (let after: string | null = null; ;) {
        const { rows: codes } = await sql<{ code: string }>`select code from import_listing
          where connection_id = ${connectionId} ${after === null ? sql`` : sql`and code > ${after}`}
          group by code order by code limit ${size}`.execute(db);
        if (codes.length === 0) return;
        const { rows } = await sql<{ doc: NbProduct }>`select doc from import_listing
          where connection_id = ${connectionId} and code = any(${codes.map((c) => c.code)}::text[])
          order by seq`.execute(db);
        yield rows.map((r) => r.doc);
        after = codes.at(-1)!.code;
      }
    },
    async codesNotListed(codes) {
      if (codes.length === 0) return [];
      const { rows } = await sql<{ code: string }>`select c.code from unnest(${[...codes]}::text[]) as c(code)
        where not exists (select 1 from import_listing l
          where l.connection_id = ${connectionId} and l.code = c.code)`.execute(db);
      return rows.map((r) => r.code);
    },
    async storeItemCount() {
      const { rows } = await sql<{ n: string }>`select coalesce(sum(greatest(1,
          jsonb_array_length(doc->'variations'))), 0) as n
        from store_mirror_products where connection_id = ${connectionId}`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },
  };
}

/** The staging of a chunked plan (`src/catalog/chunked-planning.ts`) on PostgreSQL. */
export function planStaging(db: Db): PlanStaging {
  return {
    clear: (connectionId) => clear(db, connectionId),
    stageListing: (connectionId, products, firstSeq) => stageListing(db, connectionId, products, firstSeq),
    source: (connectionId, start) => source(db, connectionId, start),
  };
}
