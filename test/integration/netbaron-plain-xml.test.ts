import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoScenario } from '../../simulators/demo/index.ts';
import { startSimServer } from '../../simulators/kit/server.ts';
import { createNetBaronSim } from '../../simulators/netbaron/index.ts';
import { nbFetch } from '../../simulators/netbaron/testing.ts';
import { readPlainXml } from '../../src/netbaron/wire/plain-xml.ts';
import { parseAnyXml } from '../../src/netbaron/wire/xml.ts';

/*
 * The one-pass reader of NetBaron's plain XML (`plain-xml.ts`) against the general parser, on what the
 * simulator answers over HTTP: every answer is read by the fast reader, and reads the same.
 */

const sim = await startSimServer(createNetBaronSim(generateDemoScenario({ products: 400 }).netbaron));
afterAll(() => sim.close());
const PRODUCTS = { user: 'pohjolan-puoti', password: 'demo-tuotteet-7c41e9' };
const ORDERS = { user: 'pohjolan-puoti', password: 'demo-tilaukset-52b8d0' };

const REPEATED = ['Product', 'Marketplace', 'SalesOrder', 'PaymentMethod', 'InvoiceRow'];

async function sameEitherWay(path: string, auth: { user: string; password: string }): Promise<string> {
  const answer = await nbFetch(`${sim.url}${path}`, auth);
  const fast = readPlainXml(answer.text, new Set(REPEATED));
  expect(fast, `${path} was not read by the plain reader:\n${answer.text.slice(0, 300)}`).toBeDefined();
  expect(fast).toEqual(parseAnyXml(answer.text, REPEATED));
  return answer.text;
}

describe('the plain XML reader on the simulator’s answers', () => {
  it('reads every page of a full listing as the general parser does', async () => {
    const flags = 'GetPrices=true&GetQuantity=true&GetPackaging=true&GetDescriptions=true';
    for (let page = 1; page <= 4; page++) {
      const text = await sameEitherWay(
        `/ws/products?Marketplace=3&${flags}&PageSize=100&Page=${page}`,
        PRODUCTS,
      );
      expect(text).toContain('<Product>');
    }
  });

  it('reads listings without the optional blocks, marketplaces, an empty page and the error bodies', async () => {
    await sameEitherWay('/ws/products?PageSize=50', PRODUCTS);
    await sameEitherWay('/ws/products?ListMarketplaces=true', PRODUCTS);
    await sameEitherWay('/ws/products?Marketplace=3&PageSize=100&Page=99', PRODUCTS);
    const refused = await sameEitherWay('/ws/products', { ...PRODUCTS, password: 'wrong' });
    expect(refused).toContain('<Error>');
    await sameEitherWay('/ws/salesorder?OrderIdentifier=999999', ORDERS);
    await sameEitherWay('/ws/salesorder?ListPaymentMethods=true', ORDERS);
  });
});
