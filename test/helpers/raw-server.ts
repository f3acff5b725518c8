import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A bare HTTP server for fault tests: it answers every request with whatever the test sets, byte for
 * byte, so that a body can be malformed, truncated or not valid UTF-8 at all. Unlike the simulators it
 * knows nothing about either remote system; the test decides every answer.
 */

export interface RawRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
}

export interface RawAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as UTF-8; bytes are sent exactly as given. */
  body: string | Uint8Array;
}

export type RawHandler = (request: RawRequest) => RawAnswer;

export interface RawServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Every request received since the last `reset`. */
  requests: RawRequest[];
  /** Errors thrown by the handler (answered 500); a test should expect none. */
  handlerErrors: unknown[];
  /** Sets the answer for the following requests and forgets the requests seen so far. */
  reset(handler: RawHandler): void;
  close(): Promise<void>;
}

const notSet: RawHandler = () => ({ status: 404, body: 'no answer set' });

export async function startRawServer(handler: RawHandler = notSet): Promise<RawServer> {
  let current = handler;
  const requests: RawRequest[] = [];
  const handlerErrors: unknown[] = [];
  const server = createServer((req, res) => {
    // Read the request body to its end (and ignore it) before answering, as a real server would.
    req.resume();
    req.on('end', () => {
      const request: RawRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: req.headers,
      };
      requests.push(request);
      let answer: RawAnswer;
      try {
        answer = current(request);
      } catch (err) {
        handlerErrors.push(err);
        answer = { status: 500, body: 'the test handler failed' };
      }
      const body =
        typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : Buffer.from(answer.body);
      res.writeHead(answer.status ?? 200, { ...answer.headers, 'Content-Length': String(body.length) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handlerErrors,
    reset(next) {
      current = next;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
