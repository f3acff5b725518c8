import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { collect } from '../../src/util/collect.ts';
import { smallScenario } from '../helpers/scenarios.ts';
import {
  MCF_USER,
  mcfClient,
  nbClient,
  NB_ORDERS_PASSWORD,
  NB_PRODUCTS_PASSWORD,
  setFaults,
  useSimulators,
} from '../helpers/sims.ts';
import { exampleOrder } from '../helpers/orders.ts';

const sims = await useSimulators(smallScenario());

describe('no credential reaches a log line or an error message', () => {
  it('holds for both clients through failures, retries and refusals', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) });
    const texts: string[] = [];
    const record = (err: unknown) => {
      texts.push(String(err), (err as Error).message, JSON.stringify(err));
    };

    await setFaults(sims.mycashflow.url, [{ path: '*', status: 503, count: 2 }]);
    await setFaults(sims.netbaron.url, [{ path: '*', method: 'GET', status: 500, count: 2 }]);
    await collect(mcfClient(sims, {}, logger).listProducts(), 100);
    await nbClient(sims, {}, logger).listMarketplaces();
    await collect(mcfClient(sims, { apiKey: `${MCF_USER.api_key}-typo` }, logger).listProducts(), 100).catch(
      record,
    );
    await nbClient(sims, { salesorder: { password: NB_PRODUCTS_PASSWORD } }, logger)
      .putSalesOrder(exampleOrder())
      .catch(record);
    await nbClient(sims, { products: { password: NB_ORDERS_PASSWORD } }, logger)
      .listMarketplaces()
      .catch(record);
    await setFaults(sims.netbaron.url, [{ path: '*', method: 'PUT', drop: 'after', count: 1 }]);
    await nbClient(sims, {}, logger).putSalesOrder(exampleOrder()).catch(record);

    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(texts.length).toBe(12);
    const everything = [...lines, ...texts].join('\n');
    const secrets = [MCF_USER.api_key, NB_PRODUCTS_PASSWORD, NB_ORDERS_PASSWORD];
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
    }
    for (const [user, password] of [
      [MCF_USER.email, MCF_USER.api_key],
      ['testiorg', NB_PRODUCTS_PASSWORD],
      ['testiorg', NB_ORDERS_PASSWORD],
    ]) {
      expect(everything).not.toContain(Buffer.from(`${user}:${password}`).toString('base64'));
    }
  });
});
