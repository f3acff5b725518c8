import type { Command } from 'commander';
import { z } from 'zod';
import { generateDemoScenario } from '../../../simulators/demo/index.ts';
import { startSimulators } from '../../../simulators/scenario.ts';
import { readEnv } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { nbMarketplaceId } from '../../domain/ids.ts';
import { MyCashflowClient } from '../../mycashflow/client.ts';
import { NetBaronClient } from '../../netbaron/client.ts';
import { createLogger } from '../../observability/logger.ts';
import { positiveIntOption } from '../options.ts';
import { stopRequested } from '../stop-signal.ts';

interface DemoOptions {
  products: number;
  seed: number;
  keepRunning?: boolean;
}

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

const firstPassword = (p: string | string[]): string => (Array.isArray(p) ? p[0]! : p);

/**
 * The main job until the service exists: the embedded database, both simulators seeded with a demo
 * catalog, and a full read of both sides through the real clients, summarised.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'start the embedded database and the simulators with demo data, and read both sides through the clients',
    )
    .option('--products <n>', 'size of the demo catalog', positiveIntOption, 2000)
    .option('--seed <n>', 'seed of the demo generator', positiveIntOption, 1)
    .option('--keep-running', 'leave the simulators running afterwards, until Ctrl-C')
    .action(async (opts: DemoOptions) => {
      const started = performance.now();
      const env = readEnv();
      const logger = createLogger({ level: env.LOG_LEVEL });
      const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      console.log(
        `Database: ${database.mode === 'embedded' ? `embedded PostgreSQL in ${env.DATA_DIR}` : 'shared server (DATABASE_URL)'}` +
          `, ${database.appliedMigrations.length} migration(s) applied now`,
      );
      const scenario = generateDemoScenario({ products: opts.products, seed: opts.seed });
      const sims = await startSimulators({ scenario });
      try {
        const creds = simCredentials.parse({
          mycashflow: sims.mycashflow.system.getState(),
          netbaron: sims.netbaron.system.getState(),
        });
        const user = creds.mycashflow.api_users[0]!;
        const mcf = new MyCashflowClient(
          { baseUrl: `${sims.mycashflow.url}/api/v1`, email: user.email, apiKey: user.api_key },
          logger.child({ system: 'mycashflow' }),
        );
        const nb = new NetBaronClient(
          {
            baseUrl: sims.netbaron.url,
            organisation: creds.netbaron.organisation,
            products: {
              password: firstPassword(creds.netbaron.modules.products.password),
              interface: creds.netbaron.modules.products.interface ?? 1,
            },
            salesorder: {
              password: firstPassword(creds.netbaron.modules.salesorder.password),
              interface: creds.netbaron.modules.salesorder.interface ?? 1,
            },
          },
          logger.child({ system: 'netbaron' }),
        );

        await database.db
          .insertInto('connections')
          .values({ slug: 'demo', name: 'Demo store', settings: JSON.stringify({ marketplace: '3' }) })
          .onConflict((oc) => oc.column('slug').doUpdateSet({ updated_at: new Date() }))
          .execute();

        const marketplaces = await nb.listMarketplaces();
        const marketplace = marketplaces[0]?.id ?? nbMarketplaceId('3');
        const nbCodes = new Set<string>();
        let nbDeleted = 0;
        let nbInvalid = 0;
        for await (const p of nb.listProducts({
          marketplace,
          prices: true,
          quantity: true,
          packaging: true,
          descriptions: true,
          onInvalidItem: () => (nbInvalid += 1),
        })) {
          if (p.deleted) nbDeleted += 1;
          else nbCodes.add(p.code);
        }
        const storeCodes = new Set<string>();
        let storeProducts = 0;
        for await (const p of mcf.listProducts({ expand: ['variations'] })) {
          storeProducts += 1;
          const codes = p.variations?.length ? p.variations.map((v) => v.product_code) : [p.product_code];
          for (const c of codes) if (c) storeCodes.add(c);
        }
        const storePayments: string[] = [];
        for await (const m of mcf.listPaymentMethods()) storePayments.push(m.name);
        const nbPayments = new Set(await nb.listPaymentMethods());
        const inBoth = [...nbCodes].filter((c) => storeCodes.has(c)).length;

        const rows: Array<[string, string]> = [
          ['NetBaron marketplaces', marketplaces.map((m) => `${m.id} ${m.name}`).join(', ')],
          [
            `NetBaron products in marketplace ${marketplace}`,
            `${nbCodes.size} live, ${nbDeleted} deleted, ${nbInvalid} invalid`,
          ],
          ['Store products', `${storeProducts} products holding ${storeCodes.size} codes`],
          ['Codes in both systems', String(inBoth)],
          ['NetBaron codes new to the store', String(nbCodes.size - inBoth)],
          [
            'Store payment methods without a NetBaron match',
            storePayments.filter((n) => !nbPayments.has(n)).join(', ') || 'none',
          ],
          ['Requests made', `MyCashflow ${mcf.stats.total}, NetBaron ${nb.stats.total}`],
          ['Elapsed', `${((performance.now() - started) / 1000).toFixed(1)} s`],
        ];
        const width = Math.max(...rows.map(([k]) => k.length));
        console.log('');
        for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
        if (opts.keepRunning) {
          console.log(
            `\nSimulators: MyCashflow ${sims.mycashflow.url}/api/v1, NetBaron ${sims.netbaron.url}/ws. Ctrl-C stops.`,
          );
          await stopRequested();
        }
      } finally {
        await sims.close();
        await database.close();
      }
    });
}
