import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createKysely } from '../../src/db/database.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export const TEMPLATE_DB = 'connector_template';

/**
 * One embedded cluster for the whole run. The schema is migrated once into a template database; each
 * test file then clones it (`CREATE DATABASE … TEMPLATE`), which takes milliseconds, so files run in
 * parallel on isolated databases.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.TEST_DATABASE_URL);
    await prepareTemplate(process.env.TEST_DATABASE_URL);
    return async () => {};
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'connector-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, unsafeFast: true });
  project.provide('adminDatabaseUrl', server.connectionString);
  await prepareTemplate(server.connectionString);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

async function prepareTemplate(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const db = createKysely(withDatabase(adminUrl, TEMPLATE_DB), 1);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
