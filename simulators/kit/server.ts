import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultInjector, faultsDocumentSchema } from './faults.ts';
import { RequestLog } from './request-log.ts';
import type { SimRequest, SimResponse, SimSystem } from './types.ts';

export interface SimServerOptions {
  port?: number;
  host?: string;
  /** When set, the control API answers only requests that carry it in `X-Sim-Control-Token`. */
  controlToken?: string;
  /** Seed for the share-based fault selection, so fault runs repeat exactly. */
  faultSeed?: number;
  maxApiBodyBytes?: number;
}

export interface RunningSim<S extends SimSystem = SimSystem> {
  system: S;
  url: string;
  port: number;
  faults: FaultInjector;
  log: RequestLog;
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/__sim/';
const MAX_STATE_BYTES = 512 * 1024 * 1024;

function normaliseAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

class BodyTooLarge extends Error {}

function send(res: ServerResponse, response: SimResponse): void {
  const body = response.body ?? '';
  const headers: Record<string, string | number> = { ...response.headers };
  headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(response.status, headers);
  res.end(body);
}

function json(status: number, value: unknown): SimResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
}

/**
 * Starts one simulated system on its own port. The kit owns what both simulators share: the control
 * API under `/__sim/`, fault injection, and the request log; the system only answers its own API.
 */
export async function startSimServer<S extends SimSystem>(
  system: S,
  options: SimServerOptions = {},
): Promise<RunningSim<S>> {
  const faults = new FaultInjector(options.faultSeed ?? 1);
  const log = new RequestLog();
  const apiLimit = options.maxApiBodyBytes ?? 20 * 1024 * 1024;

  const control = async (
    req: IncomingMessage,
    path: string,
    query: URLSearchParams,
  ): Promise<SimResponse> => {
    if (options.controlToken !== undefined && req.headers['x-sim-control-token'] !== options.controlToken) {
      return json(401, { error: 'control token required in X-Sim-Control-Token' });
    }
    const route = `${req.method} ${path}`;
    const readJson = async (): Promise<unknown> => {
      const raw = await readBody(req, MAX_STATE_BYTES);
      try {
        return JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ControlError('body is not valid JSON');
      }
    };
    switch (route) {
      case 'GET /__sim/state':
        return json(200, system.getState());
      case 'PUT /__sim/state':
        system.replaceState(await readJson());
        return json(200, { ok: true });
      case 'GET /__sim/faults':
        return json(200, { rules: faults.list() });
      case 'PUT /__sim/faults': {
        const parsed = faultsDocumentSchema.safeParse(await readJson());
        if (!parsed.success)
          throw new ControlError(
            parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          );
        faults.set(parsed.data.rules, parsed.data.seed);
        return json(200, { rules: faults.list() });
      }
      case 'DELETE /__sim/faults':
        faults.set([]);
        return json(200, { rules: [] });
      case 'GET /__sim/requests':
        return json(200, log.snapshot());
      case 'DELETE /__sim/requests':
        log.clear();
        return json(200, { ok: true });
      default: {
        const own = await system.control?.({
          method: req.method ?? 'GET',
          path,
          query,
          headers: req.headers,
          body: await readBody(req, MAX_STATE_BYTES),
          remoteAddress: normaliseAddress(req.socket.remoteAddress),
        });
        return own ?? json(404, { error: `no control route ${route}` });
      }
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const started = performance.now();
      const url = new URL(req.url ?? '/', 'http://sim');
      const path = url.pathname;
      if (path.startsWith(CONTROL_PREFIX)) {
        try {
          send(res, await control(req, path, url.searchParams));
        } catch (err) {
          send(res, json(400, { error: err instanceof Error ? err.message : String(err) }));
        }
        return;
      }

      const method = req.method ?? 'GET';
      const remoteAddress = normaliseAddress(req.socket.remoteAddress);
      const record = (status: number | null, fault?: string): void =>
        log.add({
          at: new Date().toISOString(),
          method,
          path,
          query: url.search,
          status,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          remoteAddress,
          ...(fault ? { fault } : {}),
        });

      let body: Buffer;
      try {
        body = await readBody(req, apiLimit);
      } catch (err) {
        const response =
          err instanceof BodyTooLarge
            ? system.errorResponse(413, 'request body too large')
            : system.errorResponse(400, 'could not read the request body');
        send(res, response);
        record(response.status);
        return;
      }

      const decision = faults.decide(method, path);
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      if (decision.kind === 'drop' && decision.when === 'before') {
        req.socket.destroy();
        record(null, 'drop-before');
        return;
      }
      if (decision.kind === 'status') {
        const response = system.errorResponse(decision.status, 'fault injected by the simulator');
        if (decision.retryAfter !== undefined) {
          response.headers = { ...response.headers, 'Retry-After': String(decision.retryAfter) };
        }
        send(res, response);
        record(decision.status, `status-${decision.status}`);
        return;
      }

      const simReq: SimRequest = {
        method,
        path,
        query: url.searchParams,
        headers: req.headers,
        body,
        remoteAddress,
      };
      let response: SimResponse;
      try {
        response = await system.handle(simReq);
      } catch (err) {
        response = system.errorResponse(
          500,
          `simulator fault: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      if (decision.kind === 'drop') {
        // The request took effect; only the answer is lost, as when a connection breaks on the way back.
        req.socket.destroy();
        record(null, 'drop-after');
        return;
      }
      send(res, response);
      record(response.status);
    })().catch(() => {
      res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    system,
    url: `http://${host}:${port}`,
    port,
    faults,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

class ControlError extends Error {}
