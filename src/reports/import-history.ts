import type { Kysely } from 'kysely';
import { loadLinkedCodes, openHolds, returnsBoundary } from '../db/import-runs.ts';
import type { Database } from '../db/schema.ts';
import { storeDate } from '../mycashflow/timestamps.ts';
import type { ImportHistory } from './read-stock.ts';

/** What earlier imports of the connection left: read only, so a report never creates a connection row. */
export async function readImportHistory(db: Kysely<Database>, slug: string): Promise<ImportHistory> {
  const connection = await db
    .selectFrom('connections')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!connection) return { linkedCodes: new Set(), lastImportAt: null, holds: new Map() };
  const [linkedCodes, lastImportAt, holds] = await Promise.all([
    loadLinkedCodes(db, connection.id),
    // The import's own boundary: the returns it would hold for are the ones the report explains.
    returnsBoundary(db, connection.id),
    openHolds(db, connection.id),
  ]);
  return {
    linkedCodes,
    lastImportAt,
    holds: new Map(
      holds.map((h) => [
        h.code,
        { returned: h.returned, since: storeDate(h.held_since.toISOString()) ?? '' },
      ]),
    ),
  };
}
