import { redactReport } from '../../connections/probe/redact-report.ts';
import { probeInputFor, runProbe } from '../../connections/probe/run-probe.ts';
import type { AppContext } from '../app-context.ts';
import { sendHtml, type Route } from '../http/router.ts';
import { csrfField } from '../views/layout.ts';
import { probeNotReadyPage, probePage } from '../views/pages/probe.ts';
import { connectionBase, connectionPage } from './common.ts';

/**
 * "Check compatibility": the probe on the saved settings, its report as a page. A POST form (it calls
 * both systems), though it only reads: so a paused connection may be checked too.
 */
export function probeRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/connections/:slug/probe',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const data = { base: connectionBase(cp.record), csrf: csrfField(ctx.session) };
        if (!cp.connection) {
          ctx.logger.info('compatibility not checked: the settings are not complete', {
            connection: cp.record.slug,
          });
          return sendHtml(
            ctx.res,
            200,
            cp.page('Compatibility check', 'settings', probeNotReadyPage(data, cp.missing)),
          );
        }
        // Fresh clients, as the connection test's: a check must not wait behind a running job's retries.
        const report = redactReport(await runProbe(probeInputFor(cp.connection, ctx.logger)), cp.connection);
        ctx.logger.info('compatibility checked', {
          connection: cp.record.slug,
          ...report.counts,
          blocked: report.blocked.map((b) => b.system),
        });
        sendHtml(ctx.res, 200, cp.page('Compatibility check', 'settings', probePage(data, report)));
      },
    },
  ];
}
