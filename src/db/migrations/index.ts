import type { Migration } from 'kysely';
import * as m0001 from './0001-connections.ts';
import * as m0002 from './0002-import-runs.ts';
import * as m0003 from './0003-order-ledger.ts';
import * as m0004 from './0004-webhook-subscriptions.ts';
import * as m0005 from './0005-service.ts';
import * as m0006 from './0006-export-from.ts';
import * as m0007 from './0007-order-search.ts';
import * as m0008 from './0008-order-cause.ts';
import * as m0009 from './0009-notifications.ts';
import * as m0010 from './0010-run-controls.ts';
import * as m0011 from './0011-stock-holds.ts';
import * as m0012 from './0012-connection-controls.ts';
import * as m0013 from './0013-sign-in-attempts.ts';
import * as m0014 from './0014-connection-changes.ts';
import * as m0015 from './0015-store-mirror.ts';
import * as m0016 from './0016-plan-staging.ts';

/**
 * Every migration, in order. Names are permanent: Kysely records them in `kysely_migration` and
 * refuses to run when a recorded one is missing, so a migration is never renamed or removed.
 */
export const migrations: Record<string, Migration> = {
  '0001-connections': m0001,
  '0002-import-runs': m0002,
  '0003-order-ledger': m0003,
  '0004-webhook-subscriptions': m0004,
  '0005-service': m0005,
  '0006-export-from': m0006,
  '0007-order-search': m0007,
  '0008-order-cause': m0008,
  '0009-notifications': m0009,
  '0010-run-controls': m0010,
  '0011-stock-holds': m0011,
  '0012-connection-controls': m0012,
  '0013-sign-in-attempts': m0013,
  '0014-connection-changes': m0014,
  '0015-store-mirror': m0015,
  '0016-plan-staging': m0016,
};
