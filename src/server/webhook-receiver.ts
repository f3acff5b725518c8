import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseStoreTimestamp } from '../mycashflow/timestamps.ts';
import type { Logger } from '../observability/logger.ts';
import { sameToken } from '../security/tokens.ts';
import { clientAddress } from './http/client-address.ts';
import { jsonDepthWithin } from './http/json-depth.ts';
import { readBody } from './http/request.ts';
import type { WebhookIntake } from '../orders/webhook-intake.ts';

const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** A delivery is a few kilobytes: a body still arriving after this is cut off (a slow-body attack). */
export const BODY_TIMEOUT_MS = 5_000;
/** Nesting no delivery comes near; deeper JSON is refused before parsing (it would overflow the stack). */
export const MAX_JSON_DEPTH = 64;

/** Only what intake needs; the rest of the order is validated when it is sent, where a bad order waits visibly. */
const deliverySchema = z.object({
  topic: z.literal('order.created'),
  uuid: z.string().min(1),
  data: z.object({ id: z.number().int().positive(), created_at: z.string().optional() }).passthrough(),
});

export interface ReceiverConnection {
  connectionId: string;
  /** The uuid of the connector's own subscription, from `POST /webhooks`. */
  uuid: string;
}

export interface ReceiverOptions {
  /** Where deliveries are stored and queued, in batches (shared by every request of a process). */
  intake: WebhookIntake;
  /** The connection a path's slug names, with its subscription; undefined when unknown. */
  connectionFor(slug: string): Promise<ReceiverConnection | undefined>;
  /** Reads a slug's subscription afresh (a uuid that did not match may be a new one); `connectionFor` when absent. */
  recheck?(slug: string): Promise<ReceiverConnection | undefined>;
  logger: Logger;
  /** Reverse proxies in front (`TRUST_PROXY`), for the sender's address in the log. */
  trustedProxies?: number;
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * `POST /hooks/mycashflow/<connection>`: accepts an `order.created` delivery only when the
 * `X-MyCashflow-Webhook-Uuid` header and the body's `uuid` both equal the connection's stored
 * subscription (`mycashflow-api.md` §23.11). The order is in the ledger before the 200 goes back.
 * Anything else is refused and logged without its body (401 as the model says, 400 or 413 for a body
 * that cannot be a delivery).
 */
export function createWebhookReceiver(options: ReceiverOptions) {
  const { intake, logger } = options;
  return async (req: IncomingMessage, res: ServerResponse, slug: string): Promise<void> => {
    // Taken now: once a body has been refused the socket may be gone.
    const remoteAddress = clientAddress(req, options.trustedProxies ?? 0);
    const refuse = (status: number, reason: string) => {
      logger.warn('webhook delivery refused', {
        connection: slug,
        reason,
        status,
        remoteAddress,
        contentLength: req.headers['content-length'],
      });
      answer(res, status, { error: reason });
    };
    if (req.method !== 'POST') return refuse(405, 'only POST is accepted');
    const header = req.headers['x-mycashflow-webhook-uuid'];
    const matches = (c: ReceiverConnection | undefined) =>
      c !== undefined && typeof header === 'string' && sameToken(header, c.uuid);
    let connection = await options.connectionFor(slug);
    // From memory the subscription may be a moment old: a new one is read before anything is refused.
    if (!matches(connection) && options.recheck) connection = await options.recheck(slug);
    if (!connection) {
      req.resume();
      return refuse(404, 'no such connection');
    }
    if (!matches(connection)) {
      // Drain without keeping anything, so the sender sees the answer rather than a reset.
      req.resume();
      return refuse(401, 'missing or wrong X-MyCashflow-Webhook-Uuid');
    }
    const body = await readBody(req, { limit: MAX_BODY_BYTES, timeoutMs: BODY_TIMEOUT_MS });
    if (body === 'too-slow') {
      res.setHeader('Connection', 'close');
      answer(res, 408, { error: `the body did not arrive within ${BODY_TIMEOUT_MS / 1000} s` });
      req.destroy();
      logger.warn('webhook delivery refused', {
        connection: slug,
        reason: 'body too slow',
        status: 408,
        remoteAddress,
      });
      return;
    }
    if (body === 'too-large') return refuse(413, 'body too large');
    const text = body.toString('utf8');
    if (!jsonDepthWithin(text, MAX_JSON_DEPTH))
      return refuse(400, `body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    let parsed: z.infer<typeof deliverySchema>;
    try {
      const result = deliverySchema.safeParse(JSON.parse(text));
      if (!result.success) return refuse(400, 'not an order.created delivery');
      parsed = result.data;
    } catch {
      return refuse(400, 'body is not JSON');
    }
    if (!sameToken(parsed.uuid, connection.uuid))
      return refuse(401, 'body uuid does not match the subscription');

    const orderId = parsed.data.id;
    const { isNew } = await intake.receive({
      connectionId: connection.connectionId,
      orderId,
      order: parsed.data,
      // Without an offset the time is the store's (Helsinki), not the database session's zone.
      createdAt: parsed.data.created_at && parseStoreTimestamp(parsed.data.created_at)?.toISOString(),
    });
    answer(res, 200, { ok: true, orderId, duplicate: !isNew });
  };
}
