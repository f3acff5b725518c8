import { heldSentence } from '../../../catalog/holds.ts';
import type { FieldChange, HeldStock, PlannedAction, Problem } from '../../../catalog/plan.ts';
import type { Session } from '../../auth/sessions.ts';
import { duration, runStateBadge, stateBadge, when } from '../format.ts';
import { html, type Html } from '../../../util/html.ts';
import { csrfField } from '../layout.ts';
import { plural } from '../../../reports/problem-groups.ts';

export interface RunRow {
  id: string;
  status: string;
  dry_run: boolean;
  forced: boolean;
  trigger: string;
  summary: unknown;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

interface SummaryShape {
  created?: number;
  updated?: number;
  unchanged?: number;
  hidden?: number;
  deleted?: number;
  variationsDeleted?: number;
  failed?: number;
  durationMs?: number;
  requests?: { mycashflow?: Record<string, number>; netbaron?: Record<string, number> };
  guard?: { ok: boolean; reasons: string[] };
  interruptedBecause?: string;
  held?: HeldStock[];
}

const TRIGGERS: Record<string, string> = {
  manual: 'Admin page',
  schedule: 'Schedule',
  cli: 'Command line',
  retry: 'Retry of failed',
  'overwrite-held': 'Overwrite of held stock',
};
const KIND_WORDS: Record<string, string> = {
  'create-product': 'Create product',
  'update-product': 'Update product',
  'update-variation': 'Update variation',
  'set-stock': 'Set stock',
  'delete-variation': 'Delete variation',
  'hide-product': 'Hide product',
  'delete-product': 'Delete product',
};
const FIELD_WORDS: Record<FieldChange['field'], string> = {
  name: 'Name',
  description: 'Description',
  information: 'Product information',
  product_code: 'Product code',
  vat_rate: 'VAT',
  price: 'Price incl. VAT',
  purchase_price: 'Purchase price',
  weight: 'Weight',
  parcel_type: 'Package size',
  stock: 'Stock',
  visibility: 'Visibility',
};

const summaryOf = (run: RunRow): SummaryShape => (run.summary ?? {}) as SummaryShape;

export function runKindLabel(run: Pick<RunRow, 'dry_run' | 'forced'> & { trigger?: string }): string {
  if (run.dry_run) return 'Preview (dry run)';
  if (run.trigger === 'retry') return 'Retry of failed writes';
  if (run.trigger === 'overwrite-held') return "NetBaron's balance over held stock";
  return run.forced ? 'Import (written anyway)' : 'Import';
}

/** A run's status as the merchant reads it: how many writes failed is part of it. */
export const runBadge = (run: Pick<RunRow, 'status' | 'summary'>) =>
  runStateBadge(run.status, summaryOf(run as RunRow).failed ?? 0);

export function runsTable(base: string, runs: RunRow[]): Html {
  if (runs.length === 0) return html`<p class="muted">No product import has run yet.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Run</th>
        <th>Started</th>
        <th>What</th>
        <th>By</th>
        <th>Status</th>
        <th class="num">Created</th>
        <th class="num">Updated</th>
        <th class="num">Hidden / deleted</th>
        <th class="num">Failed</th>
        <th class="num">Took</th>
      </tr>
    </thead>
    <tbody>
      ${runs.map((r) => {
        const s = summaryOf(r);
        return html`<tr>
          <td><a href="${base}/runs/${r.id}">#${r.id}</a></td>
          <td>${when(r.created_at)}</td>
          <td>${runKindLabel(r)}</td>
          <td>${TRIGGERS[r.trigger] ?? r.trigger}</td>
          <td>${runBadge(r)}</td>
          <td class="num">${s.created ?? '—'}</td>
          <td class="num">${s.updated ?? '—'}</td>
          <td class="num">
            ${s.hidden === undefined ? '—' : `${s.hidden} / ${(s.deleted ?? 0) + (s.variationsDeleted ?? 0)}`}
          </td>
          <td class="num">${s.failed ?? '—'}</td>
          <td class="num">${duration(s.durationMs)}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

/** A field change as "from → to"; long texts are cut, the full plan is in the database. */
function change(c: FieldChange): Html {
  const cut = (t: string | null) => (t === null ? '(none)' : t.length > 80 ? `${t.slice(0, 80)}…` : t);
  return html`<li>
    <strong>${FIELD_WORDS[c.field] ?? c.field}</strong>: <del>${cut(c.from)}</del> → <ins>${cut(c.to)}</ins>
  </li>`;
}

export interface RunPageQuery {
  kind?: string;
  /** Only the failed actions. */
  failed: boolean;
  code?: string;
  /** 1-based. */
  page: number;
}

/** The run page's filters from its query string; anything malformed falls back to no filter. */
export function runPageQuery(params: URLSearchParams): RunPageQuery {
  // Seven digits at most, as on the orders page: a larger page cannot exist and its offset would overflow.
  const rawPage = params.get('page') ?? '1';
  const page = /^\d{1,7}$/.test(rawPage) ? Number(rawPage) : 1;
  const code = params.get('code')?.trim();
  const kind = params.get('kind') ?? undefined;
  return {
    ...(kind && /^[a-z-]{1,40}$/.test(kind) ? { kind } : {}),
    failed: params.get('status') === 'failed',
    ...(code && code.length <= 200 ? { code } : {}),
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

export interface RetryRow {
  id: string;
  status: string;
  summary: unknown;
  created_at: Date;
}

export interface RunView {
  base: string;
  run: RunRow;
  problems: Problem[];
  actions: Array<{ seq: number; status: string; error: string | null; action: PlannedAction }>;
  kinds: Array<{ kind: string; n: number }>;
  filter: { kind?: string; failed: boolean; code?: string };
  /** Actions matching the filter. */
  shown: number;
  page: number;
  pageSize: number;
  /** Runs that retried this run's failed writes. */
  retries: RetryRow[];
  /** Whether this is the connection's newest run that wrote: only its failures can be retried. */
  isNewestWrite: boolean;
  /** A cancelled run that "Resume" would carry on (the newest, and recent enough to resume). */
  resumable: boolean;
  session?: Session;
}

function confirmBox(v: RunView, counts: Record<string, number> | undefined, s: SummaryShape): Html {
  const c = counts ?? {};
  const deletes = (c.delete ?? 0) + (c.deleteVariation ?? 0);
  const nothing = (c.create ?? 0) + (c.update ?? 0) + (c.hide ?? 0) + deletes === 0;
  const held = s.held?.length ?? 0;
  return html`<section class="notice confirm" id="confirm" aria-labelledby="confirm-title">
    <h2 id="confirm-title">Fetch all products?</h2>
    <p>This is a preview: nothing was written.</p>
    <p>
      ${
        nothing && held > 0
          ? `This preview found nothing to write: the store matches NetBaron but for the held stock below, which the import leaves as it is.`
          : nothing
            ? 'This preview found nothing to write: the store already matches NetBaron.'
            : html`By this preview, fetching all products would <strong>create ${c.create ?? 0}</strong>,
                <strong>update ${c.update ?? 0}</strong>, <strong>hide ${c.hide ?? 0}</strong> and
                <strong>delete ${deletes}</strong> (products and variations).`
      }
    </p>
    ${
      s.guard && !s.guard.ok
        ? html`<p class="notice warn">
            The safety limits would stop it before writing: ${s.guard.reasons.join(' ')}
          </p>`
        : ''
    }
    <p class="hint">
      Preview made ${when(v.run.created_at)}. The import reads both systems again when it starts, so the
      counts can differ a little if either changed since.
    </p>
    <div class="actions">
      <form method="post" action="${v.base}/imports" class="inline">
        ${csrfField(v.session)}<button type="submit">Write these changes</button>
      </form>
      <a class="button secondary" href="${v.base}">Not now</a>
    </div>
  </section>`;
}

function blockedBox(v: RunView, s: SummaryShape): Html {
  return html`<div class="notice error">
    <p><strong>The import stopped before writing anything:</strong></p>
    <ul>
      ${(s.guard?.reasons ?? []).map((r) => html`<li>${r}</li>`)}
    </ul>
    <p>Check the plan below. Discard it if it is not what you want; write it anyway only if it is.</p>
    <div class="actions">
      <form method="post" action="${v.base}/runs/${v.run.id}/discard" class="inline">
        ${csrfField(v.session)}<button type="submit">Discard this plan</button>
      </form>
      <form
        method="post"
        action="${v.base}/imports"
        class="inline"
        data-confirm="Write this import to the store even though it exceeds the safety limits?"
      >
        ${csrfField(v.session)}<input type="hidden" name="force" value="1" /><button
          type="submit"
          class="secondary danger"
        >
          Write anyway
        </button>
      </form>
    </div>
  </div>`;
}

function failuresBox(v: RunView, failed: number): Html {
  const link = `${v.base}/runs/${v.run.id}?status=failed`;
  return html`<div class="notice warn" id="failures">
    <p>
      <strong>${plural(failed, 'write', 'writes')} failed.</strong> Everything else was written.
      <a href="${link}">Show the failed writes</a>, each with MyCashflow's reason.
    </p>
    ${
      v.isNewestWrite
        ? html`<form method="post" action="${v.base}/runs/${v.run.id}/retry-failed" class="actions">
            ${csrfField(v.session)}<button type="submit">Retry failed</button>
            <span class="hint"
              >Plans only these codes again, against both systems as they are now, and writes what is still
              needed.</span
            >
          </form>`
        : html`<p class="hint">A newer import has run since: retry from the newest run.</p>`
    }
  </div>`;
}

function heldBox(v: RunView, held: readonly HeldStock[], planOnly: boolean): Html {
  return html`<section class="notice warn" id="held" aria-labelledby="held-title">
    <h2 id="held-title">Stock held back: returns not yet in NetBaron</h2>
    <p>
      ${planOnly ? 'The import would not write' : 'The import did not write'} the stock of
      ${held.length === 1 ? 'this product' : `these ${held.length} products`}: the store got returned units
      back that NetBaron's balance does not include, and writing NetBaron's balance would lose them. Add them
      in NetBaron and the hold ends by itself at the next import, or overwrite with NetBaron's balance.
    </p>
    <ul class="held">
      ${held.map(
        (h) =>
          html`<li>
            <strong>${heldSentence(h)}</strong>
            <span class="hint">The store has ${h.storeQuantity}, NetBaron ${h.netbaronQuantity}.</span>
            <form
              method="post"
              action="${v.base}/holds/overwrite"
              class="inline"
              data-confirm="Write NetBaron's balance (${h.netbaronQuantity}) over the store's stock of ${h.code} (${h.storeQuantity})?"
            >
              ${csrfField(v.session)}<input type="hidden" name="code" value="${h.code}" /><button
                type="submit"
                class="secondary"
              >
                Overwrite ${h.code} with NetBaron's balance
              </button>
            </form>
          </li>`,
      )}
    </ul>
  </section>`;
}

function retriesList(v: RunView): Html {
  if (v.retries.length === 0) return html``;
  return html`<h2>Retries of the failed writes</h2>
    <ul>
      ${v.retries.map((r) => {
        const s = (r.summary ?? {}) as SummaryShape;
        return html`<li>
          <a href="${v.base}/runs/${r.id}">Run #${r.id}</a>, ${when(r.created_at)}: ${runBadge(r)}
          ${r.summary ? `(${s.updated ?? 0} updated, ${s.created ?? 0} created, ${s.failed ?? 0} failed)` : ''}
        </li>`;
      })}
    </ul>`;
}

type Filter = { kind?: string; failed?: boolean; code?: string };

/** What the parts of the run page derive from the view alike, worked out once. */
interface RunFacts {
  run: RunRow & { counts?: Record<string, number>; retry_of?: string | null };
  s: SummaryShape;
  /** Nothing was written (a preview, a blocked or discarded plan): figures are planned, not done. */
  isPlanOnly: boolean;
  /** The run's actions of every kind. */
  total: number;
  failed: number;
  pages: number;
  /** This run's page with a filter, on one page of the actions. */
  link(filter: Filter, page?: number): string;
}

function runFacts(v: RunView): RunFacts {
  const run = v.run as RunFacts['run'];
  const s = summaryOf(run);
  return {
    run,
    s,
    isPlanOnly: run.status === 'dry-run' || run.status === 'blocked' || run.status === 'discarded',
    total: v.kinds.reduce((n, k) => n + k.n, 0),
    failed: s.failed ?? 0,
    pages: Math.max(1, Math.ceil(v.shown / v.pageSize)),
    link: (filter, page = 1) =>
      `${v.base}/runs/${run.id}?${new URLSearchParams({
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.failed ? { status: 'failed' } : {}),
        ...(filter.code ? { code: filter.code } : {}),
        ...(page > 1 ? { page: String(page) } : {}),
      })}`,
  };
}

function runHeading(v: RunView, { run, s }: RunFacts): Html {
  return html`<h1>${runKindLabel(run)} #${run.id} ${runBadge(run)}</h1>
    <p class="muted">
      Started
      ${when(run.created_at)}${run.finished_at ? html`, finished ${when(run.finished_at)}` : ''}${s.durationMs !== undefined ? html`, took ${duration(s.durationMs)}` : ''}.
      ${run.retry_of ? html`It retried the failed writes of <a href="${v.base}/runs/${run.retry_of}">run #${run.retry_of}</a>.` : ''}
    </p>
    ${run.error ? html`<p class="notice error">${run.error}</p>` : ''}`;
}

/** A cancelled run says what was written and offers to resume; an interrupted one says why it stopped. */
function stoppedNotice(v: RunView, { run, s, total }: RunFacts): Html | string {
  if (run.status !== 'cancelled')
    return s.interruptedBecause ? html`<p class="notice warn">Interrupted: ${s.interruptedBecause}</p>` : '';
  return html`<div class="notice warn">
    <p>
      ${
        total === 0
          ? 'You cancelled this import before it had a plan: nothing was written. Fetch all products to start again.'
          : 'You cancelled this import. What was written stays; nothing was left half-written.'
      }
    </p>
    ${
      v.resumable && total > 0
        ? html`<form method="post" action="${v.base}/imports" class="actions">
            ${csrfField(v.session)}<input type="hidden" name="resume_run" value="${run.id}" /><button
              type="submit"
            >
              Resume this import
            </button>
          </form>`
        : ''
    }
  </div>`;
}

/** The boxes that ask for a decision: the plan blocked or discarded, the preview, failures, held stock. */
function decisionBoxes(v: RunView, { run, s, isPlanOnly, failed }: RunFacts): Html {
  return html`${run.status === 'blocked' ? blockedBox(v, s) : ''}
  ${run.status === 'discarded' ? html`<p class="notice">You discarded this plan: nothing was written.</p>` : ''}
  ${run.status === 'dry-run' ? confirmBox(v, run.counts, s) : ''}
  ${failed > 0 && !isPlanOnly ? failuresBox(v, failed) : ''}
  ${s.held && s.held.length > 0 ? heldBox(v, s.held, isPlanOnly) : ''}`;
}

/** The counts as cards: what the plan would do, or what the run did. */
function countCards(v: RunView, { run, s, isPlanOnly, failed, link }: RunFacts): Html {
  const counts = run.counts;
  const figure = (planned: number | undefined, written: number | undefined) =>
    isPlanOnly ? (planned ?? 0) : (written ?? 0);
  const card = (value: number, label: Html | string, extraClass = '') =>
    html`<div class="card${extraClass}">
      <div class="figure">${value}</div>
      ${label}
    </div>`;
  const deleted = figure(
    (counts?.delete ?? 0) + (counts?.deleteVariation ?? 0),
    (s.deleted ?? 0) + (s.variationsDeleted ?? 0),
  );
  return html`<div class="cards">
    ${card(figure(counts?.create, s.created), isPlanOnly ? 'to create' : 'created')}
    ${card(figure(counts?.update, s.updated), isPlanOnly ? 'to update' : 'updated')}
    ${card(counts?.unchanged ?? s.unchanged ?? 0, 'unchanged')}
    ${card(figure(counts?.hide, s.hidden), isPlanOnly ? 'to hide' : 'hidden')}
    ${card(deleted, isPlanOnly ? 'to delete' : 'deleted')}
    ${
      isPlanOnly
        ? ''
        : card(
            failed,
            failed > 0 ? html`<a href="${link({ failed: true })}">failed</a>` : 'failed',
            failed > 0 ? ' card-failed' : '',
          )
    }
    ${card(v.problems.length, 'problems')}
  </div>`;
}

function requestsLine({ s }: RunFacts): Html | string {
  if (!s.requests) return '';
  const byMethod = (counts: Record<string, number> | undefined) =>
    Object.entries(counts ?? {})
      .map(([m, n]) => `${m} ${n}`)
      .join(', ') || 'none';
  return html`<p class="muted">
    Requests: MyCashflow ${byMethod(s.requests.mycashflow)}; NetBaron ${byMethod(s.requests.netbaron)}.
  </p>`;
}

function problemsTable(problems: Problem[]): Html {
  if (problems.length === 0) return html`<p class="muted">None.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Code</th>
        <th>Problem</th>
        <th>Where</th>
      </tr>
    </thead>
    <tbody>
      ${problems.map(
        (p) =>
          html`<tr>
            <td>${p.code}</td>
            <td>${p.reason}</td>
            <td>${(p.places ?? []).join('; ')}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Links to the actions of each kind, and to the failed ones; the current filter is marked. */
function actionFilters(v: RunView, { total, failed, link }: RunFacts): Html {
  const filtered = Boolean(v.filter.kind || v.filter.failed || v.filter.code);
  const current = (is: boolean) => (is ? html` aria-current="page"` : '');
  return html`<p class="filters">
      ${html`<a href="${link({})}" ${current(!filtered)}>All (${total})</a>`}
      ${v.kinds.map((k) => html` · <a href="${link({ kind: k.kind })}" ${current(v.filter.kind === k.kind && !v.filter.failed)}>${KIND_WORDS[k.kind] ?? k.kind} (${k.n})</a>`)}
      ${failed > 0 ? html` · <a href="${link({ failed: true })}" ${current(v.filter.failed)}>Failed (${failed})</a>` : ''}
    </p>
    ${v.filter.code ? html`<p>Only code <strong>${v.filter.code}</strong>. <a href="${link({})}">Show all</a></p>` : ''}`;
}

function actionsTable(v: RunView, { isPlanOnly, pages }: RunFacts): Html {
  if (v.actions.length === 0)
    return html`<p class="muted">
      ${v.page > pages ? `There is no page ${v.page}: there are ${pages}.` : 'Nothing to write.'}
    </p>`;
  return html`<table class="plan">
    <thead>
      <tr>
        <th>Code</th>
        <th>Action</th>
        <th>Changes</th>
        <th>Status</th>
      </tr>
    </thead>
    <tbody>
      ${v.actions.map(
        (a) =>
          html`<tr>
            <td>${a.action.code}</td>
            <td>
              ${KIND_WORDS[a.action.kind] ?? a.action.kind}<br /><span class="hint">${a.action.reason}</span>
            </td>
            <td>
              <ul class="diff">
                ${a.action.changes.map(change)}
              </ul>
            </td>
            <td>
              ${stateBadge(isPlanOnly ? 'planned' : a.status)}${a.error ? html`<br /><span class="hint">${a.error}</span>` : ''}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function pager(v: RunView, { pages, link }: RunFacts): Html | string {
  if (pages <= 1) return '';
  return html`<p>
    Page ${v.page} of ${pages}.
    ${v.page > 1 ? html`<a href="${link(v.filter, v.page - 1)}">Previous</a> ` : ''}${
      v.page < pages ? html`<a href="${link(v.filter, v.page + 1)}">Next</a>` : ''
    }
  </p>`;
}

export function runBody(v: RunView): Html {
  const f = runFacts(v);
  return html`${runHeading(v, f)} ${stoppedNotice(v, f)} ${decisionBoxes(v, f)} ${countCards(v, f)}
    ${requestsLine(f)} ${retriesList(v)}
    <h2>Problems</h2>
    ${problemsTable(v.problems)}
    <h2>${f.isPlanOnly ? 'The plan' : 'What was written'}</h2>
    ${actionFilters(v, f)} ${actionsTable(v, f)} ${pager(v, f)}`;
}

export interface ProgressView {
  base: string;
  jobId: string;
  dryRun: boolean;
  session?: Session;
}

export function progressBody(v: ProgressView): Html {
  return html`<h1>${v.dryRun ? 'Preview (dry run)' : 'Fetch all products'}</h1>
    <div
      class="progress"
      data-progress-url="${v.base}/imports/${v.jobId}/events"
      data-state="running"
      id="import-progress"
    >
      <p data-progress-label id="progress-label">Starting…</p>
      <progress aria-labelledby="progress-label" aria-describedby="progress-counts"></progress>
      <p class="muted" id="progress-counts" aria-live="polite">
        <span data-progress-counts></span> <span data-progress-detail></span>
      </p>
      <form method="post" action="${v.base}/imports/${v.jobId}/cancel" class="actions" data-progress-cancel>
        ${csrfField(v.session)}<button type="submit" class="secondary">Cancel</button>
        <span class="hint"
          >Stops between two writes: nothing is left half-written, and the run can be resumed.</span
        >
      </form>
    </div>
    <p class="hint">
      You can leave this page: the import goes on, and its result appears under Product imports.
    </p>`;
}
