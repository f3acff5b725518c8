import type { RemoteError } from '../http/remote-error.ts';
import { remoteFailure, verdict, type RemoteErrorBody, type Verdict } from '../http/remote-failure.ts';
import type { HttpAnswer, TransportFailure } from '../http/transport.ts';
import { errorBodySchema } from './schemas.ts';

export interface McfErrorContext {
  method: string;
  describe: string;
  /** A retried POST could create a second object; GET, PATCH (absolute values) and DELETE cannot. */
  idempotent: boolean;
  secrets: string[];
}

function readErrorBody(body: string): RemoteErrorBody {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body));
    if (parsed.success) return { code: parsed.data.error, message: parsed.data.message };
  } catch {
    // Not JSON: a proxy or load balancer answered, not the API.
  }
  return {};
}

function classify(status: number, remoteMessage: string | undefined, idempotent: boolean): Verdict {
  switch (status) {
    case 401:
      return verdict(
        'authentication',
        'fatal',
        "MyCashflow refused the API credentials: check the API user's e-mail address and API key",
      );
    case 403:
      return /plan/i.test(remoteMessage ?? '')
        ? verdict(
            'plan',
            'fatal',
            "The store's MyCashflow plan has no API access: the API needs the Advanced, Pro or Enterprise plan",
          )
        : verdict('forbidden', 'fatal', 'MyCashflow refused the request for this API user');
    case 404:
      return verdict('not-found', 'fatal', 'MyCashflow has no such resource');
    case 405:
      return verdict('method-not-allowed', 'fatal', 'MyCashflow does not allow this method here');
    case 406:
      return verdict('not-acceptable', 'fatal', 'MyCashflow refused the Accept header');
    case 409:
      return verdict('conflict', 'fatal', 'MyCashflow refused the change because of a conflict');
    case 400:
    case 422:
      return verdict('validation', 'fatal', 'MyCashflow refused the request as invalid');
    case 429:
      return verdict('rate-limited', 'retryable', 'MyCashflow asked to slow down');
    case 503:
      return verdict('unavailable', 'retryable', 'MyCashflow is temporarily unavailable');
    case 500:
    case 502:
    case 504:
      return idempotent
        ? verdict('server', 'retryable', 'MyCashflow had a server error')
        : verdict(
            'server',
            'outcome-unknown',
            'MyCashflow had a server error; the write may or may not have been carried out',
          );
    default:
      return verdict(
        'http',
        status >= 500 && idempotent ? 'retryable' : 'fatal',
        'MyCashflow answered with an unexpected status',
      );
  }
}

/** How MyCashflow's answers and transport failures map to the shared error classes (`mycashflow-api.md` §6, §23). */
export function toMcfError(
  outcome: { answer: HttpAnswer } | { failure: TransportFailure },
  attempts: number,
  ctx: McfErrorContext,
): RemoteError {
  return remoteFailure(outcome, attempts, {
    system: 'mycashflow',
    name: 'MyCashflow',
    describe: ctx.describe,
    repeatable: ctx.idempotent,
    unknownOutcome: 'The write may or may not have been carried out.',
    secrets: ctx.secrets,
    readErrorBody,
    // The body's `error` is only the status in words ("Forbidden"): the status already says it.
    codeInMessage: false,
    classify: (status, _remote, remoteMessage) => classify(status, remoteMessage, ctx.idempotent),
  });
}
