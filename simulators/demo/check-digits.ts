/** Check digits of the two identifiers the demo data must get right: EAN-13 barcodes and Finnish Business IDs. */

/** The EAN-13 check digit of 12 digits: weights 1, 3, 1, 3, … from the left, then up to a multiple of ten. */
export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`"${first12}" is not 12 digits`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isValidEan13(ean: string): boolean {
  return /^\d{13}$/.test(ean) && ean13CheckDigit(ean.slice(0, 12)) === Number(ean[12]);
}

const BUSINESS_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2] as const;

/**
 * The Finnish Business ID (Y-tunnus) check digit of 7 digits, or null when none exists: a weighted sum
 * leaving remainder 1 modulo 11 is never issued.
 */
export function businessIdCheckDigit(first7: string): number | null {
  if (!/^\d{7}$/.test(first7)) throw new RangeError(`"${first7}" is not 7 digits`);
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(first7[i]) * (BUSINESS_ID_WEIGHTS[i] as number);
  const remainder = sum % 11;
  if (remainder === 0) return 0;
  if (remainder === 1) return null;
  return 11 - remainder;
}

export function isValidBusinessId(id: string): boolean {
  const m = /^(\d{7})-(\d)$/.exec(id);
  return m !== null && businessIdCheckDigit(m[1] as string) === Number(m[2]);
}
