import { setTimeout as sleep } from 'node:timers/promises';
import { runProblems } from '../../db/import-runs.ts';
import { actionKindCounts, findRun, listRuns, runActions } from '../../db/run-history.ts';
import { enqueueImport, importJobStatus, type ImportJobStatus } from '../../jobs/import-jobs.ts';
import type { Problem } from '../../catalog/plan.ts';
import type { AppContext } from '../app-context.ts';
import { formText, HttpError } from '../http/request.ts';
import { redirect, SECURITY_HEADERS, sendHtml, type Route } from '../http/router.ts';
import { html } from '../views/html.ts';
import { progressBody, runBody, runsTable } from '../views/pages/runs.ts';
import { connectionBase, connectionOf, connectionPage } from './common.ts';

const PAGE_SIZE = 200;

export function importRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/connections/:slug/imports',
      access: 'admin',
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const dryRun = formText(ctx.form, 'dry_run') === '1';
        const force = formText(ctx.form, 'force') === '1';
        const jobId = await enqueueImport(app.boss, {
          connectionId: record.id,
          dryRun,
          force,
          trigger: 'manual',
        });
        if (!jobId)
          throw new HttpError(
            409,
            'An import of this connection is already waiting to start. Follow it on the overview page.',
          );
        ctx.logger.info('product import queued from the admin page', {
          connection: record.slug,
          jobId,
          dryRun,
          force,
        });
        redirect(ctx.res, `${connectionBase(record)}/imports/${jobId}${dryRun ? '?preview=1' : ''}`);
      },
    },
    {
      method: 'GET',
      path: '/connections/:slug/imports/:jobId',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const base = connectionBase(cp.record);
        sendHtml(
          ctx.res,
          200,
          cp.page(
            'Import',
            'overview',
            progressBody(base, ctx.params.jobId!, ctx.url.searchParams.get('preview') === '1'),
          ),
        );
      },
    },
    {
      method: 'GET',
      path: '/connections/:slug/imports/:jobId/events',
      access: 'admin',
      handler: async (ctx) => {
        const { req, res, params } = ctx;
        const record = await connectionOf(app, ctx);
        const base = connectionBase(record);
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': 'text/event-stream; charset=utf-8',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        });
        let closed = false;
        const stop = () => {
          closed = true;
        };
        req.on('close', stop);
        app.stopping.addEventListener('abort', stop, { once: true });
        const send = (event: string, data: unknown) =>
          res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        let last = '';
        let quietSince = Date.now();
        try {
          // Read from the database, not from this process: the import may run in any worker.
          while (!closed) {
            const status: ImportJobStatus | undefined = await importJobStatus(
              app.boss,
              app.db,
              record.id,
              params.jobId!,
            );
            if (!status) {
              send('failed', { stage: 'There is no such import.' });
              break;
            }
            const payload = {
              ...status,
              ...(status.runId ? { runUrl: `${base}/runs/${status.runId}` } : {}),
            };
            const text = JSON.stringify(payload);
            if (status.state === 'done' || status.state === 'failed') {
              send(status.state, payload);
              break;
            }
            if (text !== last) {
              send('progress', payload);
              last = text;
              quietSince = Date.now();
            } else if (Date.now() - quietSince > 15_000) {
              res.write(': still working\n\n');
              quietSince = Date.now();
            }
            await sleep(400);
          }
        } finally {
          req.off('close', stop);
          app.stopping.removeEventListener('abort', stop);
          res.end();
        }
      },
    },
    {
      method: 'GET',
      path: '/connections/:slug/runs',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const runs = await listRuns(app.db, cp.record.id, 100);
        sendHtml(
          ctx.res,
          200,
          cp.page(
            'Product imports',
            'runs',
            html`<h1>Product imports</h1>
              <p class="muted">The last 100 runs, newest first.</p>
              ${runsTable(connectionBase(cp.record), runs)}`,
          ),
        );
      },
    },
    {
      method: 'GET',
      path: '/connections/:slug/runs/:runId',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const run = await findRun(app.db, cp.record.id, ctx.params.runId!);
        if (!run) throw new HttpError(404, 'There is no such run for this connection.');
        const kindParam = ctx.url.searchParams.get('kind') ?? undefined;
        const page = Math.max(1, Number.parseInt(ctx.url.searchParams.get('page') ?? '1', 10) || 1);
        const kinds = await actionKindCounts(app.db, run.id);
        const kind = kinds.some((k) => k.kind === kindParam) ? kindParam : undefined;
        const actions = await runActions(app.db, run.id, {
          kind,
          limit: PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
        });
        const problems = (await runProblems(app.db, run.id)).map((p): Problem => ({
          kind: p.kind as Problem['kind'],
          code: p.code,
          reason: p.reason,
          ...(p.places ? { places: p.places } : {}),
        }));
        sendHtml(
          ctx.res,
          200,
          cp.page(
            `Run #${run.id}`,
            'runs',
            runBody({
              base: connectionBase(cp.record),
              run,
              problems,
              actions,
              kinds,
              kind,
              page,
              pageSize: PAGE_SIZE,
              session: ctx.session,
            }),
          ),
        );
      },
    },
  ];
}
