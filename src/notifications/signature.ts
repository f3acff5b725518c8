import { createHmac } from 'node:crypto';
import { sameToken } from '../security/tokens.ts';

/*
 * How a webhook receiver knows a message came from this connector: an HMAC-SHA256 of the exact body
 * bytes under the signing secret the merchant typed into both ends.
 */

export const HEADERS = {
  signature: 'X-Connector-Signature',
  event: 'X-Connector-Event',
  delivery: 'X-Connector-Delivery',
  timestamp: 'X-Connector-Timestamp',
} as const;

/** `sha256=<hex>` of the body. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time. */
export const verifySignature = (secret: string, body: string, header: string | undefined): boolean =>
  sameToken(header, signBody(secret, body));
