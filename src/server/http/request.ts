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

/** The body up to `limit` bytes; a larger one is refused with 413 and not kept. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    throw new HttpError(413, 'The request is too large.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, 'The request is too large.');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
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
