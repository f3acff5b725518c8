import type { ConnectionFile } from '../../config/connection-file.ts';
import { redactSecrets } from '../../http/redact.ts';
import type { ProbeReport } from './run-probe.ts';

/** The connection's credentials as they could appear in a text: as typed, and in their Basic encoding. */
function credentialsOf(connection: ConnectionFile): string[] {
  const basic = (user: string, secret: string | undefined) =>
    secret ? Buffer.from(`${user}:${secret}`).toString('base64') : undefined;
  const { mycashflow: m, netbaron: n } = connection;
  return [
    m.apiKey,
    basic(m.user, m.apiKey),
    n.productApiPassword,
    basic(n.organisation, n.productApiPassword),
    n.orderApiPassword,
    basic(n.organisation, n.orderApiPassword),
  ].filter((s): s is string => Boolean(s));
}

function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets)]));
  return value;
}

/**
 * The report with every text scrubbed of the connection's credentials, before it is shown on a page or
 * copied into a support ticket. The probe's own texts carry none; a remote system echoing what it was
 * sent (an error message quoting a request) is what this guards against.
 */
export function redactReport(report: ProbeReport, connection: ConnectionFile): ProbeReport {
  return redactValue(report, credentialsOf(connection)) as ProbeReport;
}
