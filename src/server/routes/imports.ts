import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionRecord } from '../../connections/connection-store.ts';
import { RESUME_WITHIN_HOURS } from '../../catalog/import-products.ts';
import { discardBlockedRun, findResumableRun, loadHolds, runProblems } from '../../db/import-runs.ts';
import {
  actionKindCounts,
  countActions,
  findRun,
  freshPreview,
  listRuns,
  newestWriteRun,
  retriesOf,
  runActions,
} from '../../db/run-history.ts';
import { cancelImport, enqueueImport, importJobStatus, type ImportJob } from '../../jobs/import-jobs.ts';
import { writeFailuresOfGroup } from '../../reports/problem-groups.ts';
import type { AppContext } from '../app-context.ts';
import { formText, HttpError } from '../http/request.ts';
import { redirect, SECURITY_HEADERS, sendHtml, type RequestContext, type Route } from '../http/router.ts';
import { html } from '../../util/html.ts';
import { progressBody, runBody, runPageQuery, runsTable } from '../views/pages/runs.ts';
import { connectionBase, connectionOf, connectionPage } from './common.ts';

const PAGE_SIZE = 200;

/** A preview younger than this confirms "Fetch all products" without reading both systems again. */
const PREVIEW_FRESH_MINUTES = 10;

async function queueImport(
  app: AppContext,
  ctx: RequestContext,
  record: ConnectionRecord,
  job: Omit<ImportJob, 'connectionId' | 'trigger'> & { trigger?: ImportJob['trigger'] },
): Promise<void> {
  if (record.pausedAt)
    throw new HttpError(
      409,
      'This connection is paused: no import runs. Resume it on its overview page, then start the import again.',
    );
  const jobId = await enqueueImport(app.boss, { connectionId: record.id, trigger: 'manual', ...job });
  if (!jobId)
    throw new HttpError(
      409,
      'An import of this connection is already waiting to start. Follow it on the overview page.',
    );
  ctx.logger.info('product import queued from the admin page', { connection: record.slug, jobId, ...job });
  redirect(ctx.res, `${connectionBase(record)}/imports/${jobId}${job.dryRun ? '?preview=1' : ''}`);
}

/** A run id from the path, checked to belong to this connection. */
async function runOf(app: AppContext, ctx: RequestContext, record: ConnectionRecord) {
  const run = await findRun(app.db, record.id, ctx.params.runId ?? '');
  if (!run) throw new HttpError(404, 'There is no such run for this connection.');
  return run;
}

type Handler = (app: AppContext, ctx: RequestContext) => Promise<void>;

/** Starts an import: a resume, "Fetch all products" (confirmed by a preview first), or a dry run or forced one. */
async function startImport(app: AppContext, ctx: RequestContext): Promise<void> {
  const record = await connectionOf(app, ctx);
  const resumeRunId = formText(ctx.form, 'resume_run');
  if (/^\d{1,18}$/.test(resumeRunId))
    return queueImport(app, ctx, record, { dryRun: false, force: false, resumeRunId });
  // "Fetch all products" asks first, with the counts of a preview: a fresh one, or one made now.
  if (formText(ctx.form, 'intent') === 'confirm') {
    const preview = await freshPreview(app.db, record.id, {
      maxAgeMinutes: PREVIEW_FRESH_MINUTES,
      settingsChangedAt: record.updatedAt,
    });
    if (preview) return redirect(ctx.res, `${connectionBase(record)}/runs/${preview.id}#confirm`);
    return queueImport(app, ctx, record, { dryRun: true, force: false });
  }
  return queueImport(app, ctx, record, {
    dryRun: formText(ctx.form, 'dry_run') === '1',
    force: formText(ctx.form, 'force') === '1',
  });
}

async function cancelImportJob(app: AppContext, ctx: RequestContext): Promise<void> {
  const record = await connectionOf(app, ctx);
  const jobId = ctx.params.jobId ?? '';
  const status = await importJobStatus(app.boss, app.db, record.id, jobId);
  if (!status) throw new HttpError(404, 'There is no such import.');
  if (status.cancellable) await cancelImport(app.boss, app.db, jobId);
  ctx.logger.info('product import cancel requested', { connection: record.slug, jobId });
  redirect(ctx.res, `${connectionBase(record)}/imports/${jobId}`);
}

/** "Retry failed": the failed writes of the newest run, all of them or one group's. */
async function retryFailedWrites(app: AppContext, ctx: RequestContext): Promise<void> {
  const record = await connectionOf(app, ctx);
  const run = await runOf(app, ctx, record);
  if ((await newestWriteRun(app.db, record.id))?.id !== run.id)
    throw new HttpError(
      409,
      'A newer import has run since this one: retry what still fails from the newest run instead.',
    );
  const group = formText(ctx.form, 'group');
  const only = group ? writeFailuresOfGroup(group) : undefined;
  if (group && !only) throw new HttpError(400, 'That is not a group of failed writes.');
  return queueImport(app, ctx, record, {
    dryRun: false,
    force: false,
    trigger: 'retry',
    retryOf: run.id,
    ...(only ? { retryKind: only.kind } : {}),
    ...(only?.status !== undefined ? { retryStatus: only.status } : {}),
  });
}

/** "Overwrite with NetBaron's balance": an import of the held codes only, writing their stock. */
async function overwriteHeldStock(app: AppContext, ctx: RequestContext): Promise<void> {
  const record = await connectionOf(app, ctx);
  const held = await loadHolds(app.db, record.id);
  const code = formText(ctx.form, 'code');
  const all = formText(ctx.form, 'all') === '1';
  if (!all && !held.has(code))
    throw new HttpError(
      409,
      `${code || 'That code'} is not held any more: NetBaron's balance already equals the store's, or it was overwritten.`,
    );
  if (all && held.size === 0) throw new HttpError(409, 'No product is held any more.');
  return queueImport(app, ctx, record, {
    dryRun: false,
    force: false,
    trigger: 'overwrite-held',
    overwriteHeld: all ? 'all' : [code],
  });
}

async function discardRun(app: AppContext, ctx: RequestContext): Promise<void> {
  const record = await connectionOf(app, ctx);
  const run = await runOf(app, ctx, record);
  const discarded = await discardBlockedRun(app.db, record.id, run.id);
  ctx.logger.info('blocked import discarded', { connection: record.slug, runId: run.id, discarded });
  redirect(ctx.res, `${connectionBase(record)}/runs/${run.id}`);
}

async function showImportProgress(app: AppContext, ctx: RequestContext): Promise<void> {
  const cp = await connectionPage(app, ctx);
  const body = progressBody({
    base: connectionBase(cp.record),
    jobId: ctx.params.jobId!,
    dryRun: ctx.url.searchParams.get('preview') === '1',
    session: ctx.session,
  });
  sendHtml(ctx.res, 200, cp.page('Import', 'overview', body));
}

/**
 * The import's progress as server-sent events until it is done, failed, or the page or the service
 * goes away. Read from the database, not from this process: the import may run in any worker.
 */
async function streamImportEvents(app: AppContext, ctx: RequestContext): Promise<void> {
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
    while (!closed) {
      const status = await importJobStatus(app.boss, app.db, record.id, params.jobId!);
      if (!status) {
        send('failed', { stage: 'There is no such import.' });
        break;
      }
      const payload = { ...status, ...(status.runId ? { runUrl: `${base}/runs/${status.runId}` } : {}) };
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
        // A comment line now and then, so that proxies do not close a quiet stream.
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
}

async function showRuns(app: AppContext, ctx: RequestContext): Promise<void> {
  const cp = await connectionPage(app, ctx);
  const runs = await listRuns(app.db, cp.record.id, 100);
  const body = html`<h1>Product imports</h1>
    <p class="muted">The last 100 runs, newest first.</p>
    ${runsTable(connectionBase(cp.record), runs)}`;
  sendHtml(ctx.res, 200, cp.page('Product imports', 'runs', body));
}

/** One run: its summary, problems and one page of its actions, filtered as the query asks. */
async function showRun(app: AppContext, ctx: RequestContext): Promise<void> {
  const cp = await connectionPage(app, ctx);
  const run = await runOf(app, ctx, cp.record);
  const query = runPageQuery(ctx.url.searchParams);
  const kinds = await actionKindCounts(app.db, run.id);
  const filter = {
    kind: kinds.some((k) => k.kind === query.kind) ? query.kind : undefined,
    status: query.failed ? ('failed' as const) : undefined,
    code: query.code,
  };
  const [actions, shown, problems, retries, newest, resumable] = await Promise.all([
    runActions(app.db, run.id, { ...filter, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE }),
    countActions(app.db, run.id, filter),
    runProblems(app.db, run.id),
    retriesOf(app.db, cp.record.id, run.id),
    newestWriteRun(app.db, cp.record.id),
    run.status === 'cancelled'
      ? findResumableRun(app.db, cp.record.id, RESUME_WITHIN_HOURS, run.id)
      : undefined,
  ]);
  const body = runBody({
    base: connectionBase(cp.record),
    run,
    problems,
    actions,
    kinds,
    filter: { ...filter, failed: query.failed },
    shown,
    page: query.page,
    pageSize: PAGE_SIZE,
    retries,
    isNewestWrite: newest?.id === run.id,
    resumable: resumable !== undefined && newest?.id === run.id,
    session: ctx.session,
  });
  sendHtml(ctx.res, 200, cp.page(`Run #${run.id}`, 'runs', body));
}

export function importRoutes(app: AppContext): Route[] {
  const admin = (method: Route['method'], path: string, handler: Handler): Route => ({
    method,
    path,
    access: 'admin',
    handler: (ctx) => handler(app, ctx),
  });
  return [
    admin('POST', '/connections/:slug/imports', startImport),
    admin('POST', '/connections/:slug/imports/:jobId/cancel', cancelImportJob),
    admin('POST', '/connections/:slug/runs/:runId/retry-failed', retryFailedWrites),
    admin('POST', '/connections/:slug/holds/overwrite', overwriteHeldStock),
    admin('POST', '/connections/:slug/runs/:runId/discard', discardRun),
    admin('GET', '/connections/:slug/imports/:jobId', showImportProgress),
    admin('GET', '/connections/:slug/imports/:jobId/events', streamImportEvents),
    admin('GET', '/connections/:slug/runs', showRuns),
    admin('GET', '/connections/:slug/runs/:runId', showRun),
  ];
}
