import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import type { Kysely } from 'kysely';
import { createKysely } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { TEMPLATE_DB, withDatabase } from './global-db.ts';

export interface TestDatabase {
  db: Kysely<Database>;
  url: string;
  name: string;
}

/** A fresh, migrated database for the calling test file, dropped when the file ends. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const db = createKysely(url, 4);
  afterAll(async () => {
    await db.destroy();
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    try {
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await cleanup.end();
    }
  });
  return { db, url, name };
}
