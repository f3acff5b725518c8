import type { IncomingHttpHeaders } from 'node:http';

/** A request as the simulated API sees it: already read in full, so handlers stay synchronous and pure. */
export interface SimRequest {
  method: string;
  /** Path without the query string, exactly as sent (a trailing slash is kept so the API can refuse it). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  remoteAddress: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Hooks a simulated system gives the kit; everything else (faults, the request log, the control API) is shared. */
export interface SimSystem {
  name: string;
  handle(req: SimRequest): SimResponse | Promise<SimResponse>;
  /** The system's own error body for an injected fault, so that a 503 from the kit looks like one from the system. */
  errorResponse(status: number, message: string): SimResponse;
  getState(): unknown;
  /** Validates and replaces the whole state; throws a readable Error when the document is not acceptable. */
  replaceState(doc: unknown): void;
  /**
   * System-specific control routes under `/__sim/` that the kit does not own (e.g. placing an order as
   * a shopper would). Answer undefined for a route the system does not know.
   */
  control?(req: SimRequest): SimResponse | undefined | Promise<SimResponse | undefined>;
}
