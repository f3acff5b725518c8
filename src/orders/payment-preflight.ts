export interface PaymentMethodFinding {
  store: string;
  /** A NetBaron name equal but for case or spacing: NetBaron would still refuse the order. */
  nearMiss?: string;
  reason: string;
}

const loose = (name: string): string => name.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Store payment methods without an exactly equal name in NetBaron (NetBaron matches names exactly,
 * case and spacing included), with the near-miss when one differs only in case or spacing.
 */
export function comparePaymentMethods(
  store: readonly string[],
  netbaron: readonly string[],
): PaymentMethodFinding[] {
  const exact = new Set(netbaron);
  const findings: PaymentMethodFinding[] = [];
  for (const name of store) {
    if (exact.has(name)) continue;
    const nearMiss = netbaron.find((n) => loose(n) === loose(name));
    findings.push({
      store: name,
      ...(nearMiss === undefined ? {} : { nearMiss }),
      reason:
        nearMiss === undefined
          ? `Payment method "${name}" has no counterpart in NetBaron: orders paid with it will wait until it is added there with exactly this name.`
          : `Payment method "${name}" is "${nearMiss}" in NetBaron: the names must match exactly, case and spacing included.`,
    });
  }
  return findings;
}
