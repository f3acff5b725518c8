import { RemoteError, type Disposition, type RemoteErrorKind } from '../http/remote-error.ts';
import { redactSecrets } from '../http/redact.ts';
import type { HttpAnswer, TransportFailure } from '../http/transport.ts';
import { parseErrorBody } from './wire/error.ts';

export type NbModule = 'products' | 'salesorder';

const PASSWORD_NAME: Record<NbModule, string> = {
  products: 'Product API password',
  salesorder: 'Order API password',
};

export interface NbErrorContext {
  module: NbModule;
  modulePath: string;
  method: string;
  describe: string;
  secrets: string[];
}

/**
 * How NetBaron's answers map to the shared error classes (`netbaron-ws.md` §15.10). A GET may always be
 * tried again; a PUT that got no clear answer has an unknown outcome, because NetBaron does not
 * de-duplicate orders and a blind retry could create a second one.
 */
export function toNbError(
  outcome: { answer: HttpAnswer } | { failure: TransportFailure },
  attempts: number,
  ctx: NbErrorContext,
): RemoteError {
  const base = { system: 'netbaron' as const, request: ctx.describe, attempts };
  const isRead = ctx.method === 'GET';
  if ('failure' in outcome) {
    const { failure } = outcome;
    const disposition: Disposition = failure.phase === 'not-sent' || isRead ? 'retryable' : 'outcome-unknown';
    const unknown =
      disposition === 'outcome-unknown'
        ? ' NetBaron may or may not have received it: read the order back before sending again.'
        : '';
    return new RemoteError(`NetBaron did not answer ${ctx.describe}: ${failure.reason}.${unknown}`, {
      ...base,
      kind: failure.phase === 'timeout' ? 'timeout' : 'connection',
      disposition,
    });
  }

  const { status, body } = outcome.answer;
  const remote = parseErrorBody(body);
  const remoteMessage = remote.message ? redactSecrets(remote.message, ctx.secrets) : undefined;
  const said = remoteMessage ? ` NetBaron said: ${remoteMessage}` : '';
  const make = (kind: RemoteErrorKind, disposition: Disposition, text: string): RemoteError =>
    new RemoteError(`${text} (${status}${remote.code ? ` ${remote.code}` : ''} on ${ctx.describe}).${said}`, {
      ...base,
      kind,
      disposition,
      status,
      remoteCode: remote.code,
      remoteMessage,
    });

  switch (status) {
    case 401:
      return make(
        'authentication',
        'fatal',
        `NetBaron refused the credentials for ${ctx.modulePath}: check the organisation, the ${PASSWORD_NAME[ctx.module]} and the interface number`,
      );
    case 403:
      return remote.code === 'IP_NOT_ALLOWED'
        ? make(
            'ip-not-allowed',
            'fatal',
            `NetBaron does not accept calls to ${ctx.modulePath} from this server's IP address: ask NetBaron support to allow it`,
          )
        : make('forbidden', 'fatal', `NetBaron refused access to ${ctx.modulePath}`);
    case 404:
      return make(
        'not-found',
        'fatal',
        `NetBaron has no ${ctx.modulePath} here: check the server address and the module`,
      );
    case 405:
      return make('method-not-allowed', 'fatal', `NetBaron does not open ${ctx.method} on ${ctx.modulePath}`);
    case 422:
      return remote.code === 'UNKNOWN_PAYMENT_METHOD'
        ? make('unknown-payment-method', 'fatal', 'NetBaron does not know the payment method')
        : make('validation', 'fatal', 'NetBaron refused the data as invalid');
    case 429:
      return make('rate-limited', 'retryable', 'NetBaron asked to slow down');
    default:
      if (status >= 500) {
        const kind: RemoteErrorKind = status === 503 ? 'unavailable' : 'server';
        return isRead
          ? make(kind, 'retryable', 'NetBaron had a server error')
          : make(
              kind,
              'outcome-unknown',
              'NetBaron had a server error; it may or may not have stored the order',
            );
      }
      return make('http', 'fatal', 'NetBaron answered with an unexpected status');
  }
}
