import type { IncomingMessage } from 'node:http';

export type Form = Record<string, string | string[]>;

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A cookie we did not set; ignore it.
    }
  }
  return out;
}

export interface BodyLimits {
  /** Bytes kept at most; a larger body is read to its end and dropped. */
  limit: number;
  /** A body still arriving after this is cut off (a slow-body attack); without it, no time limit. */
  timeoutMs?: number;
}

/** Past this many times the limit the sender is not worth answering: the connection is closed. */
const DRAIN_CEILING = 16;

/**
 * The body; `too-large` when it is over the limit, `too-slow` when it has not all arrived within
 * `timeoutMs`. An oversized body is drained and dropped, not left unread: leaving the read early tears
 * the socket down before the 413 goes out.
 */
export async function readBody(
  req: IncomingMessage,
  limits: BodyLimits,
): Promise<Buffer | 'too-large' | 'too-slow'> {
  const { limit, timeoutMs } = limits;
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    return 'too-large';
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | 'too-large' | 'too-slow') => {
      clearTimeout(timer);
      req.off('data', onData);
      resolve(result);
    };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => finish('too-slow'), timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_CEILING * limit) req.destroy();
      else if (size <= limit) chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(size > limit ? 'too-large' : Buffer.concat(chunks)));
    // The sender went away: nothing is left to answer, so the reason given does not matter.
    req.once('error', () => finish('too-large'));
  });
}

/** An `application/x-www-form-urlencoded` body; a repeated name becomes a list. */
export function parseForm(body: Buffer): Form {
  const form: Form = {};
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) {
    const prev = form[k];
    form[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return form;
}

export const formText = (form: Form, name: string): string => {
  const v = form[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};
