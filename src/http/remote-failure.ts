import { RemoteError, type Disposition, type RemoteErrorKind, type RemoteSystem } from './remote-error.ts';
import { redactSecrets } from './redact.ts';
import type { HttpAnswer, TransportFailure } from './transport.ts';

/** What a remote system's own error body said, as far as it could be read. */
export interface RemoteErrorBody {
  code?: string;
  message?: string;
}

/** One system's judgement of a status: the class, and the first words of the operator's message. */
export interface Verdict {
  kind: RemoteErrorKind;
  disposition: Disposition;
  text: string;
}

export const verdict = (kind: RemoteErrorKind, disposition: Disposition, text: string): Verdict => ({
  kind,
  disposition,
  text,
});

export interface FailureMapping {
  system: RemoteSystem;
  /** The system's name in messages, e.g. `MyCashflow`. */
  name: string;
  /** The request, with no credential in it. */
  describe: string;
  /** Whether sending the request again cannot write twice: then a failed exchange is retryable. */
  repeatable: boolean;
  /** Said when a write left and no answer came back, so that nobody sends it again blindly. */
  unknownOutcome: string;
  secrets: string[];
  readErrorBody(body: string): RemoteErrorBody;
  /** Whether the remote code belongs in the message; MyCashflow's is only a status word. */
  codeInMessage: boolean;
  classify(status: number, remote: RemoteErrorBody, remoteMessage: string | undefined): Verdict;
}

/**
 * The shared skeleton of both systems' error mapping: a transport failure, or an answer classified by
 * the system's own rules, becomes one RemoteError with the remote's words scrubbed of every secret.
 */
export function remoteFailure(
  outcome: { answer: HttpAnswer } | { failure: TransportFailure },
  attempts: number,
  mapping: FailureMapping,
): RemoteError {
  const base = { system: mapping.system, request: mapping.describe, attempts };
  if ('failure' in outcome) {
    const { failure } = outcome;
    const disposition: Disposition =
      failure.phase === 'not-sent' || mapping.repeatable ? 'retryable' : 'outcome-unknown';
    const unknown = disposition === 'outcome-unknown' ? ` ${mapping.unknownOutcome}` : '';
    return new RemoteError(
      `${mapping.name} did not answer ${mapping.describe}: ${failure.reason}.${unknown}`,
      {
        ...base,
        kind: failure.phase === 'timeout' ? 'timeout' : 'connection',
        disposition,
      },
    );
  }

  const { status, body } = outcome.answer;
  const remote = mapping.readErrorBody(body);
  const remoteMessage = remote.message ? redactSecrets(remote.message, mapping.secrets) : undefined;
  const { kind, disposition, text } = mapping.classify(status, remote, remoteMessage);
  const code = mapping.codeInMessage && remote.code ? ` ${remote.code}` : '';
  const said = remoteMessage ? ` ${mapping.name} said: ${remoteMessage}` : '';
  return new RemoteError(`${text} (${status}${code} on ${mapping.describe}).${said}`, {
    ...base,
    kind,
    disposition,
    status,
    remoteCode: remote.code,
    remoteMessage,
  });
}
