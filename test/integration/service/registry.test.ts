import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../../src/connections/connection-store.ts';
import { ConnectionNotReady, ConnectionRegistry } from '../../../src/connections/registry.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import type { RunningSimulators } from '../../../simulators/scenario.ts';
import { connectionFileFor } from '../../helpers/service.ts';
import { createTestDatabase } from '../../helpers/test-database.ts';

// Only the addresses are read: no request goes out in this test.
const sims = {
  mycashflow: { url: 'http://127.0.0.1:9' },
  netbaron: { url: 'http://127.0.0.1:9' },
} as unknown as RunningSimulators;

describe('the connection registry', () => {
  it('keeps a connection’s clients while it is unchanged and rebuilds them when it is saved', async () => {
    const { db } = await createTestDatabase();
    const store = new ConnectionStore(db, randomBytes(32));
    const { id } = await store.upsertFromFile(connectionFileFor(sims, 'alpha'));
    const registry = new ConnectionRegistry(store, silentLogger);

    const first = await registry.get(id);
    expect(first?.slug).toBe('alpha');
    expect(await registry.get(id)).toBe(first);

    await store.saveSecrets(id, { productApiPassword: 'a-new-product-password' });
    const second = await registry.get(id);
    expect(second).not.toBe(first);
    expect(second?.connection.netbaron.productApiPassword).toBe('a-new-product-password');
    expect(await registry.get(id)).toBe(second);

    await store.saveSecrets(id, {}, ['mycashflowApiKey']);
    await expect(registry.get(id)).rejects.toBeInstanceOf(ConnectionNotReady);
    expect(await registry.get('999999999')).toBeUndefined();
    await db.destroy();
  });
});
