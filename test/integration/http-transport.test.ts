import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange, TransportError, type TransportFailure } from '../../src/http/transport.ts';

/** A server whose answer each test chooses by path; every request is kept. */
const seen: Array<{ method: string; path: string; headers: Record<string, unknown>; body: string }> = [];
const BODY = JSON.stringify({ data: { id: 1, name: 'Ääkkösiä € 25,5 %' } });
const answers: Record<string, (res: ServerResponse) => void> = {
  '/plain': (res) => res.end(BODY),
  '/gzip': (res) => {
    res.setHeader('Content-Encoding', 'gzip');
    res.end(zlib.gzipSync(BODY));
  },
  '/deflate': (res) => {
    res.setHeader('Content-Encoding', 'deflate');
    res.end(zlib.deflateSync(BODY));
  },
  '/br': (res) => {
    res.setHeader('Content-Encoding', 'br');
    res.end(zlib.brotliCompressSync(BODY));
  },
  '/retry-after': (res) => {
    res.writeHead(429, { 'Retry-After': '3' });
    res.end();
  },
  // The status line and half the body, then nothing: a body that never ends.
  '/stalls': (res) => {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('{"data":');
  },
  // Half the promised body, then the connection closes.
  '/breaks': (res) => {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('{"data":');
    setTimeout(() => res.socket?.destroy(), 20);
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        path: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      (answers[req.url!] ?? answers['/plain']!)(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await promisify(server.close.bind(server))();
});

async function failure(path: string, timeoutMs = 5_000): Promise<TransportFailure> {
  const err = await exchange({ method: 'GET', url: `${base}${path}`, headers: {}, timeoutMs }).catch(
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransportError);
  return (err as TransportError).failure;
}

describe('one HTTP exchange', () => {
  it('sends the body as UTF-8 with its length, and reads the answer and its headers', async () => {
    const body = JSON.stringify({ name: 'Hääpuku 25,5 %' });
    const answer = await exchange({
      method: 'PATCH',
      url: `${base}/plain?x=1`,
      headers: { 'Content-Type': 'application/json', Authorization: 'Basic abc' },
      body,
      timeoutMs: 5_000,
    });
    expect(answer).toMatchObject({ status: 200, body: BODY });
    const request = seen.at(-1)!;
    expect(request).toMatchObject({ method: 'PATCH', path: '/plain?x=1', body });
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(request.headers.authorization).toBe('Basic abc');
    const limited = await exchange({
      method: 'GET',
      url: `${base}/retry-after`,
      headers: {},
      timeoutMs: 5_000,
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('3');
    expect(limited.headers.get('X-Not-There')).toBeNull();
  });

  it('asks for compressed answers and reads gzip, deflate and brotli as plain text', async () => {
    for (const path of ['/gzip', '/deflate', '/br']) {
      const answer = await exchange({ method: 'GET', url: `${base}${path}`, headers: {}, timeoutMs: 5_000 });
      expect(answer.body, path).toBe(BODY);
      expect(String(seen.at(-1)!.headers['accept-encoding'])).toContain(path.slice(1));
    }
  });

  it('tells how far a failed exchange got: never connected, timed out, or broken after sending', async () => {
    // A port nobody listens on: closed at once, so nothing reached a server.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await promisify(closed.close.bind(closed))();
    const refused = await exchange({
      method: 'POST',
      url: `http://127.0.0.1:${port}/x`,
      headers: {},
      body: '{}',
      timeoutMs: 5_000,
    }).catch((e: unknown) => (e as TransportError).failure);
    expect(refused).toMatchObject({ phase: 'not-sent' });

    expect(await failure('/stalls', 300)).toMatchObject({
      phase: 'timeout',
      reason: 'no answer within 300 ms',
    });
    expect(await failure('/breaks')).toMatchObject({ phase: 'sent' });
    // The exchanges after a broken one still work: the broken connection is not reused.
    expect(
      (await exchange({ method: 'GET', url: `${base}/plain`, headers: {}, timeoutMs: 5_000 })).body,
    ).toBe(BODY);
  });
});
