import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
/** What happened to a request that produced no HTTP answer. */
export interface TransportFailure {
  /** `not-sent`: the connection was never made, so nothing reached the server. */
  phase: 'not-sent' | 'sent' | 'timeout';
  reason: string;
}

export interface HttpAnswer {
  status: number;
  headers: { get(name: string): string | null };
  body: string;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function causeCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let i = 0; i < 4 && current && typeof current === 'object'; i += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export class TransportError extends Error {
  constructor(readonly failure: TransportFailure) {
    super(failure.reason);
  }
}

/*
 * node:http rather than fetch: at a thousand writes a second, fetch's web streams, abort signals and
 * iterable bodies cost more CPU than the request itself (measured: about half of the connector's CPU in
 * a 10 000-product import). Connections are kept alive and reused, as fetch did.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** What fetch accepted and decoded, asked for and decoded here too: a big page travels compressed. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
const decoders: Record<string, (body: Buffer) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

/** The body as sent, its content codings undone last first; an unknown coding is left as it is. */
async function decoded(body: Buffer, contentEncoding: string | undefined): Promise<Buffer> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  let out = body;
  for (const coding of codings.reverse()) {
    const decode = decoders[coding];
    if (!decode) break;
    out = await decode(out);
  }
  return out;
}

class Timeout extends Error {
  override name = 'TimeoutError';
}

/** One HTTP exchange, no retry: either an answer with any status, or a TransportError saying how far it got. */
export function exchange(request: HttpRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      reject(new TransportError({ phase: 'not-sent', reason: 'the address is not a valid URL' }));
      return;
    }
    const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    let answered = false;
    let timedOut = false;
    let req: http.ClientRequest;
    try {
      req = (protocol === 'https:' ? https : http).request(url, {
        method: request.method,
        headers: {
          'Accept-Encoding': ACCEPT_ENCODING,
          ...request.headers,
          ...(body ? { 'Content-Length': String(body.length) } : {}),
        },
        agent: agents[protocol],
      });
    } catch (err) {
      // A header no HTTP request may carry: nothing was sent.
      reject(
        new TransportError({
          phase: 'not-sent',
          reason: `the request could not be made (${causeCode(err) ?? 'invalid'})`,
        }),
      );
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Timeout());
    }, request.timeoutMs);
    const fail = (err: unknown) => {
      clearTimeout(timer);
      const failure = describeFailure(timedOut ? new Timeout() : err, request.timeoutMs);
      // The status line came back but the body broke off: the server did act on the request.
      reject(
        new TransportError(
          answered && failure.phase === 'not-sent' ? { ...failure, phase: 'sent' } : failure,
        ),
      );
    };
    req.on('error', fail);
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('the answer broke off')));
      res.on('end', () => {
        clearTimeout(timer);
        if (!res.complete) return fail(new Error('the answer broke off'));
        const headers = res.headers;
        decoded(Buffer.concat(chunks), headers['content-encoding']).then(
          (bytes) =>
            resolve({
              status: res.statusCode ?? 0,
              headers: {
                get: (name) => {
                  const value = headers[name.toLowerCase()];
                  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
                },
              },
              body: bytes.toString('utf8'),
            }),
          // A body that does not decode broke off somewhere: the server did act on the request.
          () => reject(new TransportError({ phase: 'sent', reason: 'the answer could not be decompressed' })),
        );
      });
    });
    req.end(body);
  });
}

function describeFailure(err: unknown, timeoutMs: number): TransportFailure {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return { phase: 'timeout', reason: `no answer within ${timeoutMs} ms` };
  }
  const code = causeCode(err);
  if (code && NOT_SENT.has(code)) return { phase: 'not-sent', reason: `could not connect (${code})` };
  return { phase: 'sent', reason: `the connection broke before an answer came${code ? ` (${code})` : ''}` };
}
