/**
 * What the caller may do after a failed remote call:
 * - `retryable`: nothing happened remotely; trying again later is safe.
 * - `outcome-unknown`: a write may or may not have taken effect (a timeout or a broken connection after
 *   the request left); read the remote state before deciding to send again.
 * - `fatal`: trying again will fail the same way until a person changes something (credentials,
 *   settings, the data).
 */
export type Disposition = 'retryable' | 'outcome-unknown' | 'fatal';

export type RemoteSystem = 'mycashflow' | 'netbaron';

export type RemoteErrorKind =
  | 'authentication'
  | 'plan'
  | 'ip-not-allowed'
  | 'forbidden'
  | 'not-found'
  | 'not-acceptable'
  | 'method-not-allowed'
  | 'conflict'
  | 'validation'
  | 'unknown-payment-method'
  | 'rate-limited'
  | 'server'
  | 'unavailable'
  | 'connection'
  | 'timeout'
  | 'invalid-response'
  | 'http';

export interface RemoteErrorDetails {
  system: RemoteSystem;
  kind: RemoteErrorKind;
  disposition: Disposition;
  /** The request, with no credential in it: method and path (query included). */
  request: string;
  status?: number;
  /** The remote system's own error code, e.g. NetBaron's `UNKNOWN_PAYMENT_METHOD`. */
  remoteCode?: string;
  /** The remote system's own explanation, with any credential scrubbed out. */
  remoteMessage?: string;
  attempts: number;
  /** When the system said to come back (`Retry-After`), in ms from the answer. */
  retryAfterMs?: number;
}

/** One error type for both clients: classified for code, worded for an operator. */
export class RemoteError extends Error {
  override name = 'RemoteError';
  readonly system: RemoteSystem;
  readonly kind: RemoteErrorKind;
  readonly disposition: Disposition;
  readonly request: string;
  readonly status?: number;
  readonly remoteCode?: string;
  readonly remoteMessage?: string;
  readonly attempts: number;
  readonly retryAfterMs?: number;

  constructor(message: string, details: RemoteErrorDetails) {
    super(message);
    this.system = details.system;
    this.kind = details.kind;
    this.disposition = details.disposition;
    this.request = details.request;
    this.status = details.status;
    this.remoteCode = details.remoteCode;
    this.remoteMessage = details.remoteMessage;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** The same failure, re-judged by a caller that learned more (e.g. by reading the remote state). */
  withDisposition(disposition: Disposition, addendum: string): RemoteError {
    return new RemoteError(`${this.message} ${addendum}`, { ...this, disposition });
  }

  get retryable(): boolean {
    return this.disposition === 'retryable';
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      system: this.system,
      kind: this.kind,
      disposition: this.disposition,
      request: this.request,
      status: this.status,
      remoteCode: this.remoteCode,
      attempts: this.attempts,
    };
  }
}

export function isRemoteError(err: unknown): err is RemoteError {
  return err instanceof RemoteError;
}
