import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observability/logger.ts';
import type { RemoteError } from './remote-error.ts';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from './retry-policy.ts';
import {
  exchange,
  type HttpAnswer,
  type HttpRequest,
  TransportError,
  type TransportFailure,
} from './transport.ts';

/** Counts of what a client sent, for run summaries and metrics. */
export class RequestStats {
  readonly byMethod: Record<string, number> = {};
  retries = 0;
  /** Told of every failed attempt that will be retried, so that a caller can slow down (429, 5xx). */
  onRetry?: (error: RemoteError) => void;

  count(method: string): void {
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
  }

  get total(): number {
    return Object.values(this.byMethod).reduce((a, b) => a + b, 0);
  }
}

export interface LoopOptions {
  request: HttpRequest;
  /** Method and path as they may be shown: never the host's credentials. */
  describe: string;
  policy: RetryPolicy;
  /** The system's own reading of a non-2xx answer or of a transport failure, given the attempts so far. */
  toError(outcome: { answer: HttpAnswer } | { failure: TransportFailure }, attempts: number): RemoteError;
  stats: RequestStats;
  logger: Logger;
  random?: () => number;
}

/**
 * The retry loop both clients run their single request path through. Only errors the system marks
 * `retryable` are tried again, within the policy's attempts and time budget; anything else, an
 * outcome-unknown write above all, goes straight back to the caller.
 */
export async function requestWithRetry(options: LoopOptions): Promise<HttpAnswer> {
  const { policy, request } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    options.stats.count(request.method);
    let error: RemoteError;
    let retryAfterMs: number | undefined;
    try {
      const answer = await exchange(request);
      if (answer.status >= 200 && answer.status < 300) return answer;
      error = options.toError({ answer }, attempt);
      retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      error = options.toError({ failure: err.failure }, attempt);
    }
    if (error.disposition !== 'retryable' || attempt >= policy.maxAttempts) throw error;
    const delay = backoffDelay(policy, attempt, retryAfterMs, options.random);
    if (Date.now() - started + delay > policy.budgetMs) throw error;
    options.stats.retries += 1;
    options.stats.onRetry?.(error);
    options.logger.warn('remote call failed, retrying', {
      system: error.system,
      request: options.describe,
      status: error.status,
      kind: error.kind,
      attempt,
      delayMs: delay,
    });
    await sleep(delay);
  }
}
