import type { ConnectionFile } from '../../config/connection-file.ts';
import type { Logger } from '../../observability/logger.ts';
import { clientsFor } from '../clients.ts';
import type { ProbeCheck, ProbeSystem } from './check.ts';
import { probeMyCashflow, type McfProbeInput } from './probe-mycashflow.ts';
import { probeNetBaron, type NbProbeInput } from './probe-netbaron.ts';

export interface ProbeReport {
  connection: string;
  startedAt: string;
  finishedAt: string;
  /** A system that could not be probed at all, and why, in the settings page's words. */
  blocked: { system: ProbeSystem; reason: string }[];
  counts: { matched: number; handled: number; needsAttention: number; unchecked: number };
  /** True when a difference needs a change, or a system could not be read. */
  needsAttention: boolean;
  checks: ProbeCheck[];
}

export interface ProbeInput {
  connection: string;
  mycashflow: McfProbeInput;
  netbaron: NbProbeInput;
}

/** Both systems probed side by side (they are independent), into one report. */
export async function runProbe(input: ProbeInput): Promise<ProbeReport> {
  const startedAt = new Date();
  const [mcf, nb] = await Promise.all([probeMyCashflow(input.mycashflow), probeNetBaron(input.netbaron)]);
  const checks = [...mcf.checks.checks, ...nb.checks.checks];
  const blocked = [
    ...(mcf.blocked ? [{ system: 'MyCashflow' as const, reason: mcf.blocked }] : []),
    ...(nb.blocked ? [{ system: 'NetBaron' as const, reason: nb.blocked }] : []),
  ];
  const counts = {
    matched: checks.filter((c) => c.status === 'matched').length,
    handled: checks.filter((c) => c.status === 'differed' && c.handled).length,
    needsAttention: checks.filter((c) => c.status === 'differed' && !c.handled).length,
    unchecked: checks.filter((c) => c.status === 'unchecked').length,
  };
  return {
    connection: input.connection,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    blocked,
    counts,
    needsAttention: counts.needsAttention > 0 || blocked.length > 0,
    checks,
  };
}

/** The probe's input for a complete connection (a connection file, or a stored one assembled). */
export function probeInputFor(connection: ConnectionFile, logger: Logger): ProbeInput {
  const { mcf, nb } = clientsFor(connection, logger);
  return {
    connection: connection.name,
    mycashflow: { mcf, baseUrl: connection.mycashflow.baseUrl },
    netbaron: {
      nb,
      marketplace: connection.netbaron.marketplace,
      hasProductsPassword: Boolean(connection.netbaron.productApiPassword),
      hasOrdersPassword: Boolean(connection.netbaron.orderApiPassword),
    },
  };
}
