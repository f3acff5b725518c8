import type { RemoteError } from '../http/remote-error.ts';
import { remoteFailure, verdict, type RemoteErrorBody, type Verdict } from '../http/remote-failure.ts';
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

function classify(status: number, remote: RemoteErrorBody, ctx: NbErrorContext): Verdict {
  switch (status) {
    case 401:
      return verdict(
        'authentication',
        'fatal',
        `NetBaron refused the credentials for ${ctx.modulePath}: check the organisation, the ${PASSWORD_NAME[ctx.module]} and the interface number`,
      );
    case 403:
      return remote.code === 'IP_NOT_ALLOWED'
        ? verdict(
            'ip-not-allowed',
            'fatal',
            `NetBaron does not accept calls to ${ctx.modulePath} from this server's IP address: ask NetBaron support to allow it`,
          )
        : verdict('forbidden', 'fatal', `NetBaron refused access to ${ctx.modulePath}`);
    case 404:
      return verdict(
        'not-found',
        'fatal',
        `NetBaron has no ${ctx.modulePath} here: check the server address and the module`,
      );
    case 405:
      return verdict(
        'method-not-allowed',
        'fatal',
        `NetBaron does not open ${ctx.method} on ${ctx.modulePath}`,
      );
    case 422:
      return remote.code === 'UNKNOWN_PAYMENT_METHOD'
        ? verdict('unknown-payment-method', 'fatal', 'NetBaron does not know the payment method')
        : verdict('validation', 'fatal', 'NetBaron refused the data as invalid');
    case 429:
      return verdict('rate-limited', 'retryable', 'NetBaron asked to slow down');
    default:
      if (status >= 500) {
        const kind = status === 503 ? 'unavailable' : 'server';
        return ctx.method === 'GET'
          ? verdict(kind, 'retryable', 'NetBaron had a server error')
          : verdict(
              kind,
              'outcome-unknown',
              'NetBaron had a server error; it may or may not have stored the order',
            );
      }
      return verdict('http', 'fatal', 'NetBaron answered with an unexpected status');
  }
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
  return remoteFailure(outcome, attempts, {
    system: 'netbaron',
    name: 'NetBaron',
    describe: ctx.describe,
    repeatable: ctx.method === 'GET',
    unknownOutcome: 'NetBaron may or may not have received it: read the order back before sending again.',
    secrets: ctx.secrets,
    readErrorBody: parseErrorBody,
    codeInMessage: true,
    classify: (status, remote) => classify(status, remote, ctx),
  });
}
