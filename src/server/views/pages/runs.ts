import type { FieldChange, PlannedAction, Problem } from '../../../catalog/plan.ts';
import type { Session } from '../../auth/sessions.ts';
import { duration, stateBadge, when } from '../format.ts';
import { html, type Html } from '../html.ts';
import { csrfField } from '../layout.ts';

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
}

const TRIGGERS: Record<string, string> = { manual: 'Admin page', schedule: 'Schedule', cli: 'Command line' };
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

export function runKindLabel(run: Pick<RunRow, 'dry_run' | 'forced'>): string {
  return run.dry_run ? 'Preview (dry run)' : run.forced ? 'Import (written anyway)' : 'Import';
}

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
          <td>${stateBadge(r.status)}</td>
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

export interface RunView {
  base: string;
  run: RunRow;
  problems: Problem[];
  actions: Array<{ seq: number; status: string; error: string | null; action: PlannedAction }>;
  kinds: Array<{ kind: string; n: number }>;
  kind?: string;
  page: number;
  pageSize: number;
  session?: Session;
}

export function runBody(v: RunView): Html {
  const s = summaryOf(v.run);
  const counts = (v.run as unknown as { counts?: Record<string, number> }).counts;
  const isPlanOnly = v.run.status === 'dry-run' || v.run.status === 'blocked';
  const total = v.kinds.reduce((n, k) => n + k.n, 0);
  const shown = v.kind ? (v.kinds.find((k) => k.kind === v.kind)?.n ?? 0) : total;
  const pages = Math.max(1, Math.ceil(shown / v.pageSize));
  const link = (kind: string | undefined, page: number) =>
    `${v.base}/runs/${v.run.id}?${new URLSearchParams({ ...(kind ? { kind } : {}), page: String(page) })}`;
  return html`<h1>${runKindLabel(v.run)} #${v.run.id} ${stateBadge(v.run.status)}</h1>
    <p class="muted">
      Started
      ${when(v.run.created_at)}${v.run.finished_at ? html`, finished ${when(v.run.finished_at)}` : ''}${s.durationMs !== undefined ? html`, took ${duration(s.durationMs)}` : ''}.
    </p>
    ${v.run.error ? html`<p class="notice error">${v.run.error}</p>` : ''}
    ${s.interruptedBecause ? html`<p class="notice warn">Interrupted: ${s.interruptedBecause}</p>` : ''}
    ${
      v.run.status === 'blocked'
        ? html`<div class="notice error">
            <p><strong>The import stopped before writing anything:</strong></p>
            <ul>
              ${(s.guard?.reasons ?? []).map((r) => html`<li>${r}</li>`)}
            </ul>
            <p>Check the plan below. If it is what you want, write it anyway.</p>
            <form
              method="post"
              action="${v.base}/imports"
              data-confirm="Write this import to the store even though it exceeds the safety limits?"
            >
              ${csrfField(v.session)}<input type="hidden" name="force" value="1" /><button type="submit">
                Write anyway
              </button>
            </form>
          </div>`
        : ''
    }
    ${
      v.run.status === 'dry-run'
        ? html`<div class="actions">
            <p>This is a preview: nothing was written.</p>
            <form method="post" action="${v.base}/imports">
              ${csrfField(v.session)}<button type="submit">Fetch all products now</button>
            </form>
          </div>`
        : ''
    }
    <div class="cards">
      <div class="card">
        <div class="figure">${isPlanOnly ? (counts?.create ?? 0) : (s.created ?? 0)}</div>
        ${isPlanOnly ? 'to create' : 'created'}
      </div>
      <div class="card">
        <div class="figure">${isPlanOnly ? (counts?.update ?? 0) : (s.updated ?? 0)}</div>
        ${isPlanOnly ? 'to update' : 'updated'}
      </div>
      <div class="card">
        <div class="figure">${counts?.unchanged ?? s.unchanged ?? 0}</div>
        unchanged
      </div>
      <div class="card">
        <div class="figure">${isPlanOnly ? (counts?.hide ?? 0) : (s.hidden ?? 0)}</div>
        ${isPlanOnly ? 'to hide' : 'hidden'}
      </div>
      <div class="card">
        <div class="figure">
          ${isPlanOnly ? (counts?.delete ?? 0) + (counts?.deleteVariation ?? 0) : (s.deleted ?? 0) + (s.variationsDeleted ?? 0)}
        </div>
        ${isPlanOnly ? 'to delete' : 'deleted'}
      </div>
      <div class="card">
        <div class="figure">${v.problems.length}</div>
        problems
      </div>
    </div>
    ${
      s.requests
        ? html`<p class="muted">
            Requests: MyCashflow
            ${
              Object.entries(s.requests.mycashflow ?? {})
                .map(([m, n]) => `${m} ${n}`)
                .join(', ') || 'none'
            };
            NetBaron
            ${
              Object.entries(s.requests.netbaron ?? {})
                .map(([m, n]) => `${m} ${n}`)
                .join(', ') || 'none'
            }.
          </p>`
        : ''
    }
    <h2>Problems</h2>
    ${
      v.problems.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Code</th>
                <th>Problem</th>
                <th>Where</th>
              </tr>
            </thead>
            <tbody>
              ${v.problems.map(
                (p) =>
                  html`<tr>
                    <td>${p.code}</td>
                    <td>${p.reason}</td>
                    <td>${(p.places ?? []).join('; ')}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <h2>${isPlanOnly ? 'The plan' : 'What was written'}</h2>
    <p>
      ${html`<a href="${link(undefined, 1)}" ${!v.kind ? html` aria-current="page"` : ''}>All (${total})</a>`}
      ${v.kinds.map((k) => html` · <a href="${link(k.kind, 1)}" ${v.kind === k.kind ? html` aria-current="page"` : ''}>${KIND_WORDS[k.kind] ?? k.kind} (${k.n})</a>`)}
    </p>
    ${
      v.actions.length === 0
        ? html`<p class="muted">Nothing to write.</p>`
        : html`<table class="plan">
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
                      ${KIND_WORDS[a.action.kind] ?? a.action.kind}<br /><span class="hint"
                        >${a.action.reason}</span
                      >
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
          </table>`
    }
    ${
      pages > 1
        ? html`<p>
            Page ${v.page} of ${pages}.
            ${v.page > 1 ? html`<a href="${link(v.kind, v.page - 1)}">Previous</a> ` : ''}${
              v.page < pages ? html`<a href="${link(v.kind, v.page + 1)}">Next</a>` : ''
            }
          </p>`
        : ''
    }`;
}

export function progressBody(base: string, jobId: string, dryRun: boolean): Html {
  return html`<h1>${dryRun ? 'Preview (dry run)' : 'Fetch all products'}</h1>
    <div
      class="progress"
      data-progress-url="${base}/imports/${jobId}/events"
      data-state="running"
      id="import-progress"
    >
      <p data-progress-label>Starting…</p>
      <progress></progress>
      <p class="muted" data-progress-counts></p>
    </div>
    <p class="hint">
      You can leave this page: the import goes on, and its result appears under Product imports.
    </p>`;
}
