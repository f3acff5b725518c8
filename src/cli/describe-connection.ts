import type { ConnectionRecord } from '../connections/connection-store.ts';
import type { ConnectionState } from '../connections/connection-state.ts';
import { describeSchedule } from '../domain/schedule.ts';

const at = (d: Date | null, none: string): string => (d ? d.toISOString() : none);

/**
 * `connections show`: settings and state, and for each credential only whether it is set. Built from
 * the record's readable settings alone, so no credential value can reach it.
 */
export function describeConnection(
  record: ConnectionRecord,
  state: ConnectionState,
): { text: string; json: unknown } {
  const { mycashflow: m, netbaron: n, productImport: p, schedule } = record.settings;
  const credentials = { ...record.secretsSet };
  const json = {
    id: record.slug,
    name: record.name,
    paused: state.pausedAt !== null,
    pausedAt: state.pausedAt,
    mycashflow: { baseUrl: m.baseUrl, user: m.user },
    netbaron: {
      baseUrl: n.baseUrl,
      organisation: n.organisation,
      productsInterface: n.productsInterface,
      salesOrderInterface: n.salesOrderInterface,
      marketplace: n.marketplace ?? null,
    },
    productImport: { mode: p.mode, whenRemoving: p.whenRemoving },
    schedule,
    credentials,
    credentialsUnreadable: record.credentialsUnreadable,
    webhook: state.webhook,
    lastPoll: state.lastPoll,
    nextImport: state.nextImport,
  };
  const setOrNot = (v: boolean) => (v ? 'set' : 'not set');
  const lines = [
    `${record.slug}  (${record.name})${state.pausedAt ? `  PAUSED since ${state.pausedAt.toISOString()}` : ''}`,
    `Store               ${m.baseUrl || '(not set)'}  user ${m.user || '(not set)'}`,
    `NetBaron            ${n.baseUrl || '(not set)'}  organisation ${n.organisation || '(not set)'}  marketplace ${n.marketplace || '(not set)'}  interfaces ${n.productsInterface}/${n.salesOrderInterface}`,
    `Import              ${p.mode}, when removing: ${p.whenRemoving}`,
    `Schedule            ${describeSchedule(schedule)}`,
    `Credentials         ${Object.entries(credentials)
      .map(([k, v]) => `${k} ${setOrNot(v)}`)
      .join(', ')}${record.credentialsUnreadable ? ' (sealed with another key: enter them again)' : ''}`,
    `Webhook             ${state.webhook.subscribed ? `subscribed since ${state.webhook.subscribed.since.toISOString()} at ${state.webhook.subscribed.url}` : 'not subscribed (orders arrive by polling only)'}`,
    `Last webhook order  ${at(state.webhook.lastDelivery, 'none yet')}`,
    `Last order poll     ${at(state.lastPoll, 'none yet')}`,
    `Next import         ${state.nextImport ? state.nextImport.toISOString() : state.pausedAt ? 'none while paused' : 'none scheduled'}`,
  ];
  return { text: lines.join('\n'), json };
}
