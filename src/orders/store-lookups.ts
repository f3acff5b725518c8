import type { McfVersion } from '../mycashflow/schemas.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';

/**
 * Names and versions the mapping joins with an order (`payment_method_id`, `shipping_method_id`,
 * `version_id`). Read once and kept for a while: they change rarely, and an unknown id refreshes them.
 */
export class StoreLookups {
  private payment = new Map<number, string>();
  private shipping = new Map<number, string>();
  private versions = new Map<number, McfVersion>();
  private loadedAt = 0;

  constructor(
    private readonly mcf: MyCashflowClient,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  private async load(force: boolean): Promise<void> {
    if (!force && Date.now() - this.loadedAt < this.maxAgeMs) return;
    const payment = new Map<number, string>();
    for await (const m of this.mcf.listPaymentMethods()) payment.set(m.id, m.name);
    const shipping = new Map<number, string>();
    for await (const m of this.mcf.listShippingMethods()) shipping.set(m.id, m.name);
    const versions = new Map<number, McfVersion>();
    for await (const v of this.mcf.listVersions()) versions.set(v.id, v);
    [this.payment, this.shipping, this.versions, this.loadedAt] = [payment, shipping, versions, Date.now()];
  }

  private async lookup<T>(map: () => Map<number, T>, id: number | null | undefined): Promise<T | undefined> {
    if (id === null || id === undefined) return undefined;
    await this.load(false);
    if (!map().has(id)) await this.load(true);
    return map().get(id);
  }

  paymentMethodName(id: number | null | undefined): Promise<string | undefined> {
    return this.lookup(() => this.payment, id);
  }
  shippingMethodName(id: number | null | undefined): Promise<string | undefined> {
    return this.lookup(() => this.shipping, id);
  }
  version(id: number | null | undefined): Promise<McfVersion | undefined> {
    return this.lookup(() => this.versions, id);
  }
  async paymentMethodNames(): Promise<string[]> {
    await this.load(false);
    return [...this.payment.values()];
  }
}
