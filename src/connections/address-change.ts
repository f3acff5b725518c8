import { sameRemoteAddress } from '../config/remote-address.ts';
import type { SecretField, Secrets, StoredSettings } from './settings.ts';

/*
 * A saved credential belongs to the address it was saved for. When a store address or NetBaron server
 * changes, the saved key is not sent to the new host (a typo, or someone else's server, would receive
 * it): the credential must be given again for the new address, or removed.
 */

type System = 'mycashflow' | 'netbaron';
type Addresses = Pick<StoredSettings, 'mycashflow' | 'netbaron'>;

/** The credentials each system's address is entitled to. */
export const CREDENTIALS_OF: Record<System, readonly SecretField[]> = {
  mycashflow: ['mycashflowApiKey'],
  netbaron: ['productApiPassword', 'orderApiPassword'],
};

/** The systems whose address changed (from one address to another; filling in a first one is no move). */
export function movedSystems(before: Addresses, after: Addresses): System[] {
  return (['mycashflow', 'netbaron'] as const).filter((system) => {
    const [from, to] = [before[system].baseUrl, after[system].baseUrl];
    return from !== '' && to !== '' && !sameRemoteAddress(from, to);
  });
}

/** The saved credentials that may go to the `after` addresses: a moved system's stay behind. */
export function savedSecretsFor(before: Addresses, saved: Secrets, after: Addresses): Secrets {
  const left = new Set(movedSystems(before, after).flatMap((s) => CREDENTIALS_OF[s]));
  return Object.fromEntries(Object.entries(saved).filter(([field]) => !left.has(field as SecretField)));
}

/**
 * The saved credentials an address change leaves without a value for the new address: neither given
 * again nor removed. A change with any of these is refused.
 */
export function credentialsToRetype(
  before: Addresses,
  saved: Partial<Record<SecretField, boolean>>,
  after: Addresses,
  given: Secrets,
  clear: readonly SecretField[] = [],
): SecretField[] {
  return movedSystems(before, after)
    .flatMap((s) => CREDENTIALS_OF[s])
    .filter((field) => saved[field] && !given[field]?.trim() && !clear.includes(field));
}
