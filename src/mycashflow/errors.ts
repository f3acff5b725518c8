import { RemoteError, type Disposition, type RemoteErrorKind } from '../http/remote-error.ts';
import type { HttpAnswer, TransportFailure } from '../http/transport.ts';
import { redactSecrets } from '../http/redact.ts';
import { errorBodySchema } from './schemas.ts';

export interface McfErrorContext {
  method: string;
  describe: string;
  /** A retried POST could create a second object; GET, PATCH (absolute values) and DELETE cannot. */
  idempotent: boolean;
  secrets: string[];
}

function readErrorBody(body: string): { label?: string; message?: string } {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body));
    if (parsed.success) return { label: parsed.data.error, message: parsed.data.message };
  } catch {
    // Not JSON: a proxy or load balancer answered, not the API.
  }
  return {};
}

/** How MyCashflow's answers and transport failures map to the shared error classes (`mycashflow-api.md` §6, §23). */
export function toMcfError(
  outcome: { answer: HttpAnswer } | { failure: TransportFailure },
  attempts: number,
  ctx: McfErrorContext,
): RemoteError {
  const base = { system: 'mycashflow' as const, request: ctx.describe, attempts };
  if ('failure' in outcome) {
    const { failure } = outcome;
    const disposition: Disposition =
      failure.phase === 'not-sent' || ctx.idempotent ? 'retryable' : 'outcome-unknown';
    const kind: RemoteErrorKind = failure.phase === 'timeout' ? 'timeout' : 'connection';
    const unknown =
      disposition === 'outcome-unknown' ? ' The write may or may not have been carried out.' : '';
    return new RemoteError(`MyCashflow did not answer ${ctx.describe}: ${failure.reason}.${unknown}`, {
      ...base,
      kind,
      disposition,
    });
  }

  const { status, body } = outcome.answer;
  const remote = readErrorBody(body);
  const remoteMessage = remote.message ? redactSecrets(remote.message, ctx.secrets) : undefined;
  const said = remoteMessage ? ` MyCashflow said: ${remoteMessage}` : '';
  const make = (kind: RemoteErrorKind, disposition: Disposition, text: string): RemoteError =>
    new RemoteError(`${text} (${status} on ${ctx.describe}).${said}`, {
      ...base,
      kind,
      disposition,
      status,
      remoteCode: remote.label,
      remoteMessage,
    });

  switch (status) {
    case 401:
      return make(
        'authentication',
        'fatal',
        "MyCashflow refused the API credentials: check the API user's e-mail address and API key",
      );
    case 403:
      return /plan/i.test(remoteMessage ?? '')
        ? make(
            'plan',
            'fatal',
            "The store's MyCashflow plan has no API access: the API needs the Advanced, Pro or Enterprise plan",
          )
        : make('forbidden', 'fatal', 'MyCashflow refused the request for this API user');
    case 404:
      return make('not-found', 'fatal', 'MyCashflow has no such resource');
    case 405:
      return make('method-not-allowed', 'fatal', 'MyCashflow does not allow this method here');
    case 406:
      return make('not-acceptable', 'fatal', 'MyCashflow refused the Accept header');
    case 409:
      return make('conflict', 'fatal', 'MyCashflow refused the change because of a conflict');
    case 400:
    case 422:
      return make('validation', 'fatal', 'MyCashflow refused the request as invalid');
    case 429:
      return make('rate-limited', 'retryable', 'MyCashflow asked to slow down');
    case 503:
      return make('unavailable', 'retryable', 'MyCashflow is temporarily unavailable');
    case 500:
    case 502:
    case 504:
      return ctx.idempotent
        ? make('server', 'retryable', 'MyCashflow had a server error')
        : make(
            'server',
            'outcome-unknown',
            'MyCashflow had a server error; the write may or may not have been carried out',
          );
    default:
      return make(
        'http',
        status >= 500 && ctx.idempotent ? 'retryable' : 'fatal',
        'MyCashflow answered with an unexpected status',
      );
  }
}
