import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { receiveOrder } from '../db/order-ledger.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../observability/logger.ts';
import { clientAddress } from './http/client-address.ts';

export const WEBHOOK_PATH = /^\/hooks\/mycashflow\/([a-z0-9][a-z0-9-]*)$/;
const MAX_BODY_BYTES = 2 * 1024 * 1024;

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
  db: Kysely<Database>;
  /** The connection a path's slug names, with its subscription; undefined when unknown. */
  connectionFor(slug: string): Promise<ReceiverConnection | undefined>;
  /** Called once the order is stored (also for a repeated delivery): queues its export. */
  onReceived(connectionId: string, orderId: number): Promise<void>;
  logger: Logger;
  /** Reverse proxies in front (`TRUST_PROXY`), for the sender's address in the log. */
  trustedProxies?: number;
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The body, or undefined when it is over the limit. An oversized body is read to its end and dropped
 * (leaving the loop early would tear the socket down before the 413 goes out), up to a hard ceiling
 * past which the connection is simply closed.
 */
async function readLimited(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * MAX_BODY_BYTES) req.destroy();
    else if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
}

/**
 * `POST /hooks/mycashflow/<connection>`: accepts an `order.created` delivery only when the
 * `X-MyCashflow-Webhook-Uuid` header and the body's `uuid` both equal the connection's stored
 * subscription (`mycashflow-api.md` §23.11). The order is in the ledger before the 200 goes back.
 * Anything else is refused and logged without its body (401 as the model says, 400 or 413 for a body
 * that cannot be a delivery).
 */
export function createWebhookReceiver(options: ReceiverOptions) {
  const { logger } = options;
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
    const connection = await options.connectionFor(slug);
    if (!connection) return refuse(404, 'no such connection');
    const header = req.headers['x-mycashflow-webhook-uuid'];
    if (typeof header !== 'string' || !sameText(header, connection.uuid)) {
      // Drain without keeping anything, so the sender sees the answer rather than a reset.
      req.resume();
      return refuse(401, 'missing or wrong X-MyCashflow-Webhook-Uuid');
    }
    const body = await readLimited(req);
    if (!body) {
      req.resume();
      return refuse(413, 'body too large');
    }
    let parsed: z.infer<typeof deliverySchema>;
    try {
      const result = deliverySchema.safeParse(JSON.parse(body.toString('utf8')));
      if (!result.success) return refuse(400, 'not an order.created delivery');
      parsed = result.data;
    } catch {
      return refuse(400, 'body is not JSON');
    }
    if (!sameText(parsed.uuid, connection.uuid))
      return refuse(401, 'body uuid does not match the subscription');

    const orderId = parsed.data.id;
    const isNew = await receiveOrder(
      options.db,
      { connectionId: connection.connectionId, orderId },
      parsed.data,
      parsed.data.created_at,
      'webhook',
    );
    try {
      await options.onReceived(connection.connectionId, orderId);
    } catch (err) {
      // The order is safe in the ledger; the next poll's sweep sends it.
      logger.error('could not queue the export of a received order', {
        connection: slug,
        orderId,
        error: (err as Error).message,
      });
    }
    answer(res, 200, { ok: true, orderId, duplicate: !isNew });
  };
}
