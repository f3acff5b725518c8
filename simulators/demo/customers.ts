import { businessIdCheckDigit } from './check-digits.ts';
import type { PeopleVocabulary } from './people.ts';
import type { Rng } from './random.ts';
import type { McfAddress, McfShippingAddress } from './state-types.ts';

const EMAIL_DOMAINS = ['example.fi', 'example.com', 'example.net'] as const;
const MOBILE_PREFIXES = ['40', '41', '44', '45', '50'] as const;

/** E-mail addresses are ASCII: "Pöyhönen" becomes "poyhonen". */
function asciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[åä]/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/[^a-z0-9]+/g, '');
}

/** A Business ID such as "1234567-8" whose check digit is right; seven-digit stems without one are skipped. */
export function businessId(rng: Rng): string {
  for (;;) {
    const stem = `${rng.int(1, 3)}${rng.digits(6)}`;
    const check = businessIdCheckDigit(stem);
    if (check !== null) return `${stem}-${check}`;
  }
}

interface Person {
  first_name: string;
  last_name: string;
  phone: string;
}

function person(rng: Rng, words: PeopleVocabulary): Person {
  return {
    first_name: rng.pick(words.firstNames),
    last_name: rng.pick(words.lastNames),
    phone: `+358${rng.pick(MOBILE_PREFIXES)}${rng.digits(7)}`,
  };
}

function personalEmail(rng: Rng, p: Person): string {
  const suffix = rng.chance(0.3) ? String(rng.int(1, 99)) : '';
  return `${asciiSlug(p.first_name)}.${asciiSlug(p.last_name)}${suffix}@${rng.pick(EMAIL_DOMAINS)}`;
}

function location(
  rng: Rng,
  words: PeopleVocabulary,
): Pick<McfAddress, 'street_address' | 'postal_code' | 'city'> {
  const place = rng.pick(words.places);
  const flat = rng.chance(0.45) ? ` ${rng.pick(['A', 'B', 'C'])} ${rng.int(1, 40)}` : '';
  return {
    street_address: `${rng.pick(words.streets)} ${rng.int(1, 120)}${flat}`,
    postal_code: rng.pick(place.postalCodes),
    city: place.city,
  };
}

function companyName(rng: Rng, words: PeopleVocabulary, p: Person): string {
  return rng
    .pick(words.companyPatterns)
    .replace('{last}', p.last_name)
    .replace('{first}', p.first_name)
    .replace('{trade}', rng.pick(words.trades))
    .replace('{place}', rng.pick(words.places).genitive);
}

/** The billing details of an order: a consumer, or (with `business` true) a company with its Business ID. */
export function customerInformation(rng: Rng, words: PeopleVocabulary, business: boolean): McfAddress {
  const p = person(rng, words);
  const company = business ? companyName(rng, words, p) : null;
  const email = company
    ? `${asciiSlug(p.first_name)}.${asciiSlug(p.last_name)}@${asciiSlug(company.replace(/ (Oy|Ky|Ab)$/, ''))}.example.fi`
    : personalEmail(rng, p);
  return {
    company,
    vat_code: business ? businessId(rng) : null,
    first_name: p.first_name,
    last_name: p.last_name,
    ...location(rng, words),
    country: 'FI',
    phone: p.phone,
    email,
  };
}

/** The billing address as the delivery address: the same fields without the Business ID. */
export function shippingAddressOf(billing: McfAddress): McfShippingAddress {
  const { vat_code: _vatCode, ...address } = billing;
  return address;
}

/**
 * A delivery address other than the billing one: a company's other site with another contact person,
 * a consumer's summer cottage, or a gift sent to someone else.
 */
export function otherShippingAddress(
  rng: Rng,
  words: PeopleVocabulary,
  billing: McfAddress,
): McfShippingAddress {
  if (billing.company === null && rng.chance(0.5)) {
    return { ...shippingAddressOf(billing), ...location(rng, words) };
  }
  const p = person(rng, words);
  return {
    company: billing.company,
    first_name: p.first_name,
    last_name: p.last_name,
    ...location(rng, words),
    country: 'FI',
    phone: p.phone,
    email: personalEmail(rng, p),
  };
}
