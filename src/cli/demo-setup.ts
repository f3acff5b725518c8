import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import { parseConnection, type ConnectionFile } from '../config/connection-file.ts';
import type { Database } from '../db/schema.ts';

/*
 * The demo connection: the store and NetBaron of the in-process simulators, with the credentials read
 * from their state. Shared by `demo` and `serve --demo`.
 */

const simCredentials = z.object({
  mycashflow: z.object({ api_users: z.array(z.object({ email: z.string(), api_key: z.string() })).min(1) }),
  netbaron: z.object({
    organisation: z.string(),
    modules: z.object({
      products: z.object({
        password: z.union([z.string(), z.array(z.string()).min(1)]),
        interface: z.number().optional(),
      }),
      salesorder: z.object({
        password: z.union([z.string(), z.array(z.string()).min(1)]),
        interface: z.number().optional(),
      }),
    }),
  }),
});

const DEMO_STORE_CONTACT = {
  company: 'Pohjolan Puoti Oy',
  business_id: '1234567-8',
  street_address: 'Kauppakatu 1',
  postal_code: '33100',
  city: 'Tampere',
  country: 'FI',
  email: 'asiakaspalvelu@pohjolanpuoti.fi',
  phone: '+358 3 123 4567',
};

/** A fresh demo each start: the simulators start from the same generated state every time. */
export async function resetDemoConnection(db: Kysely<Database>): Promise<void> {
  const row = await db.selectFrom('connections').select('id').where('slug', '=', 'demo').executeTakeFirst();
  if (!row) return;
  await db.deleteFrom('order_events').where('connection_id', '=', row.id).execute();
  await db.deleteFrom('connections').where('id', '=', row.id).execute();
}

const firstPassword = (p: string | string[]): string => (Array.isArray(p) ? p[0]! : p);

/**
 * The demo store's connection to simulators holding these states (a generated demo scenario, or what
 * running simulators hold), with the credentials read from the states themselves.
 */
export function demoConnection(
  states: { mycashflow: unknown; netbaron: unknown },
  urls: { mycashflow: string; netbaron: string },
): ConnectionFile {
  const creds = simCredentials.parse(states);
  const user = creds.mycashflow.api_users[0]!;
  return parseConnection({
    id: 'demo',
    name: 'Demo store',
    mycashflow: { baseUrl: `${urls.mycashflow}/api/v1`, user: user.email, apiKey: user.api_key },
    netbaron: {
      baseUrl: urls.netbaron,
      organisation: creds.netbaron.organisation,
      productApiPassword: firstPassword(creds.netbaron.modules.products.password),
      orderApiPassword: firstPassword(creds.netbaron.modules.salesorder.password),
      marketplace: '3',
    },
    productImport: { mode: 'import-new', updateDescriptions: true, whenRemoving: 'hide' },
    orderExport: { storeContact: DEMO_STORE_CONTACT },
  });
}

export function demoConnectionFile(sims: RunningSimulators): ConnectionFile {
  return demoConnection(
    { mycashflow: sims.mycashflow.system.getState(), netbaron: sims.netbaron.system.getState() },
    { mycashflow: sims.mycashflow.url, netbaron: sims.netbaron.url },
  );
}
