import type { SendOutcome } from './outbox.ts';
import { HEADERS, signBody } from './signature.ts';

/** Per attempt: a receiver that takes longer is tried again later. */
export const WEBHOOK_TIMEOUT_MS = 5_000;

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'The webhook address refused the connection.',
  ENOTFOUND: "The webhook address's server was not found.",
  EAI_AGAIN: "The webhook address's server was not found.",
  ECONNRESET: 'The webhook address dropped the connection.',
  CERT_HAS_EXPIRED: "The webhook address's certificate has expired.",
  DEPTH_ZERO_SELF_SIGNED_CERT: "The webhook address's certificate is not trusted.",
  SELF_SIGNED_CERT_IN_CHAIN: "The webhook address's certificate is not trusted.",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "The webhook address's certificate is not trusted.",
  ERR_TLS_CERT_ALTNAME_INVALID: "The webhook address's certificate is for another address.",
};

function networkWords(err: unknown): string {
  if ((err as Error).name === 'TimeoutError')
    return `The webhook did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} seconds.`;
  const code = ((err as { cause?: { code?: string } }).cause ?? {}).code;
  return (code && NETWORK_WORDS[code]) ?? 'The webhook address could not be reached.';
}

/**
 * One attempt: POST the body, signed. Any 2xx is delivered; a redirect is not followed (the body would
 * go somewhere the merchant did not name) and counts as a failure like any other answer.
 */
export async function postWebhook(input: {
  url: string;
  secret: string;
  body: string;
  event: string;
  deliveryId: string;
  now: Date;
}): Promise<SendOutcome> {
  try {
    const res = await fetch(input.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'netbaron-connector',
        [HEADERS.signature]: signBody(input.secret, input.body),
        [HEADERS.event]: input.event,
        [HEADERS.delivery]: input.deliveryId,
        [HEADERS.timestamp]: String(Math.floor(input.now.getTime() / 1000)),
      },
      body: input.body,
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true };
    return { ok: false, reason: `The webhook answered ${res.status}.` };
  } catch (err) {
    return { ok: false, reason: networkWords(err) };
  }
}
