import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../../src/connections/connection-store.ts';
import { openProblemGroups } from '../../../src/reports/problems-inbox.ts';
import { MCF_USER, NB_PRODUCTS_PASSWORD } from '../../helpers/scenarios.ts';
import { connectionFileFor, startStoreSims } from '../../helpers/service.ts';
import { createTestDatabase } from '../../helpers/test-database.ts';

describe('credentials sealed with a key the service no longer has', () => {
  it('shows them as not set with a problem saying why, and takes new ones under the current key', async () => {
    const { db } = await createTestDatabase();
    const sims = await startStoreSims();
    const before = new ConnectionStore(db, randomBytes(32));
    const stored = await before.upsertFromFile(connectionFileFor(sims, 'alpha'));
    expect(stored.credentialsUnreadable).toBe(false);

    // The key file lost and replaced: every page of the connection still works.
    const after = new ConnectionStore(db, randomBytes(32));
    const record = (await after.bySlug('alpha'))!;
    expect(record.credentialsUnreadable).toBe(true);
    expect(Object.values(record.secretsSet)).toEqual([false, false, false, false]);
    expect((await after.list()).map((c) => c.slug)).toEqual(['alpha']);
    const assembled = await after.assemble(record.id);
    expect(assembled?.ok).toBe(false);
    const problems = await openProblemGroups(db, record.id, [], record.credentialsUnreadable);
    expect(problems[0]).toMatchObject({
      key: 'connection:credentials-key',
      title: 'The saved passwords cannot be opened',
    });

    // Entering them again seals them with the current key.
    await after.saveSecrets(record.id, {
      mycashflowApiKey: MCF_USER.api_key,
      productApiPassword: NB_PRODUCTS_PASSWORD,
    });
    const fixed = (await after.byId(record.id))!;
    expect(fixed.credentialsUnreadable).toBe(false);
    expect(fixed.secretsSet).toEqual({
      mycashflowApiKey: true,
      productApiPassword: true,
      orderApiPassword: false,
      webhookSecret: false,
    });
  });
});
