import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenError } from '../startup-checks.ts';
import type { ServiceBase } from './service-base.ts';

/**
 * Listens on `HOST`:`PORT` and returns the address; without `PUBLIC_URL`, that address is also how
 * MyCashflow reaches the service. At stop the port closes first, so no new work comes in.
 */
export async function listenHttp(
  base: ServiceBase,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const { env } = base;
  const server = createServer(handle);
  server.keepAliveTimeout = 5_000;
  // A client must send its headers within 10 s and its whole request within 30 s (Node waits 300 s),
  // so that connections trickling a byte at a time cannot pile up; the webhook receiver is stricter.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, env)));
    // Node's backlog of 511 drops the rest of a burst of connections, which then wait out TCP's
    // 1–3 s retransmit: a store's flood of deliveries would queue behind it, and so would /healthz.
    server.listen({ port: env.PORT, host: env.HOST, backlog: 4096 }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST;
  const url = `http://${host}:${port}`;
  base.publicUrl ||= url;
  base.onStop(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Progress streams end on `stopping`; anything else still open gets a moment, then is cut.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  );
  return url;
}
