import { describe, expect, it } from 'vitest';
import { ensureConnection } from '../../src/db/connections.ts';
import {
  claimForSending,
  ledgerEntry,
  receiveOrder,
  recordSentDocument,
  retryOrder,
  settle,
} from '../../src/db/order-ledger.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

describe('retrying an order from the ledger', () => {
  it('reads back first when its document was ever put together, and never reopens a sent order', async () => {
    const { db } = await createTestDatabase();
    const connectionId = await ensureConnection(db, 'retry-test', 'Retry test');
    // A connection file on the command line names an existing connection without renaming it.
    expect(await ensureConnection(db, 'retry-test', 'Another name')).toBe(connectionId);
    expect((await db.selectFrom('connections').select('name').executeTakeFirstOrThrow()).name).toBe(
      'Retry test',
    );
    const waiting = async (orderId: number, withDocument: boolean) => {
      const key = { connectionId, orderId };
      await receiveOrder(db, key, { id: orderId }, undefined, 'poll');
      await claimForSending(db, key, { includeWaiting: false });
      if (withDocument) await recordSentDocument(db, key, '<SalesOrder/>');
      await settle(db, key, {
        state: 'waiting',
        reason: 'NetBaron already holds 2 orders with this identifier',
        cause: 'duplicates-in-netbaron',
      });
      return key;
    };
    // Its document was built (and maybe sent, even twice): NetBaron is asked before anything is sent.
    const maybeSent = await waiting(1, true);
    expect(await retryOrder(db, maybeSent, 'test')).toEqual({
      outcome: 'due-again',
      previousState: 'waiting',
    });
    expect((await ledgerEntry(db, maybeSent))?.state).toBe('outcome-unknown');
    // Never put together (its data could not be read or mapped): simply due again.
    const neverBuilt = await waiting(2, false);
    await retryOrder(db, neverBuilt, 'test');
    expect((await ledgerEntry(db, neverBuilt))?.state).toBe('received');
    // A sent order stays sent.
    const sent = { connectionId, orderId: 3 };
    await receiveOrder(db, sent, { id: 3 }, undefined, 'poll');
    await claimForSending(db, sent, { includeWaiting: false });
    await settle(db, sent, { state: 'sent', salesOrderNumber: 'SO-3', answer: 'ok' });
    expect(await retryOrder(db, sent, 'test')).toEqual({ outcome: 'already-sent', salesOrderNumber: 'SO-3' });
    expect((await ledgerEntry(db, sent))?.state).toBe('sent');
  });
});
