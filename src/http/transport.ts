/** What happened to a request that produced no HTTP answer. */
export interface TransportFailure {
  /** `not-sent`: the connection was never made, so nothing reached the server. */
  phase: 'not-sent' | 'sent' | 'timeout';
  reason: string;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
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

/** One HTTP exchange, no retry: either an answer with any status, or a TransportError saying how far it got. */
export async function exchange(request: HttpRequest): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (err) {
    throw new TransportError(describeFailure(err, request.timeoutMs));
  }
  try {
    const body = await response.text();
    return { status: response.status, headers: response.headers, body };
  } catch (err) {
    // The status line came back but the body broke off: the server did act on the request.
    const failure = describeFailure(err, request.timeoutMs);
    throw new TransportError({ ...failure, phase: failure.phase === 'timeout' ? 'timeout' : 'sent' });
  }
}

function describeFailure(err: unknown, timeoutMs: number): TransportFailure {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return { phase: 'timeout', reason: `no answer within ${timeoutMs} ms` };
  }
  const code = causeCode(err);
  if (code && NOT_SENT.has(code)) return { phase: 'not-sent', reason: `could not connect (${code})` };
  return { phase: 'sent', reason: `the connection broke before an answer came${code ? ` (${code})` : ''}` };
}
