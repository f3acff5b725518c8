import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

describe('embedded PostgreSQL', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('starts from an empty folder, migrates, stops, and starts again with the data kept', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'connector-embedded-'));
    dirs.push(dir);
    expect(await readdir(dir)).toEqual([]);

    const first = await openDatabase({ dataDir: dir });
    expect(first.mode).toBe('embedded');
    expect(first.appliedMigrations).toContain('0001-connections');
    await first.db.insertInto('connections').values({ slug: 'kept', name: 'Säilyvä kauppa' }).execute();
    const version = await sql<{ server_version: string }>`show server_version`.execute(first.db);
    expect(version.rows[0]?.server_version).toMatch(/^17\./);
    await first.close();

    // The password file is owner-only: it unlocks the whole cluster.
    expect((await stat(path.join(dir, 'pg-password'))).mode & 0o077).toBe(0);

    const second = await openDatabase({ dataDir: dir });
    expect(second.appliedMigrations).toEqual([]);
    const rows = await second.db.selectFrom('connections').select(['slug', 'name']).execute();
    expect(rows).toEqual([{ slug: 'kept', name: 'Säilyvä kauppa' }]);
    await second.close();
  }, 120_000);

  it('refuses a second server on a data folder that is in use, with a readable reason', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'connector-embedded-'));
    dirs.push(dir);
    const first = await openDatabase({ dataDir: dir });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/could not start/);
    } finally {
      await first.close();
    }
  }, 120_000);

  it('gives each test file its own migrated database', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    await a.db.insertInto('connections').values({ slug: 'only-in-a', name: 'A' }).execute();
    expect(await b.db.selectFrom('connections').selectAll().execute()).toEqual([]);
    expect(a.name).not.toBe(b.name);
  });
});
