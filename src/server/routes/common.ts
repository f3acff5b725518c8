import type { ConnectionFile } from '../../config/connection-file.ts';
import type { ConnectionRecord } from '../../connections/connection-store.ts';
import type { ProblemGroup } from '../../reports/problem-groups.ts';
import { actionableCount, openProblemGroups } from '../../reports/problems-inbox.ts';
import type { AppContext } from '../app-context.ts';
import { HttpError } from '../http/request.ts';
import type { RequestContext } from '../http/router.ts';
import { html, type Html } from '../../util/html.ts';
import { when } from '../views/format.ts';
import { layout, type PageOptions } from '../views/layout.ts';

export interface ConnectionPage {
  record: ConnectionRecord;
  /** Settings still to fill in before the connection can run (the page's words). */
  missing: string[];
  /**
   * The runnable connection, credentials included, when nothing is missing: for a handler that calls the
   * remote systems itself (the compatibility check). Never for a view.
   */
  connection?: ConnectionFile;
  /** The open problem groups (`openProblemGroups`), for the badge and the pages that show them. */
  problems: ProblemGroup[];
  /** The page around a body, with this connection's tabs. */
  page(title: string, tab: PageOptions['tab'], body: Html): Html;
}

/** The connection a `:slug` route names, or 404; nothing of another connection is ever loaded. */
export async function connectionPage(app: AppContext, ctx: RequestContext): Promise<ConnectionPage> {
  // One read of the row: the record and what is still missing come from the same opening.
  const assembled = await app.store.assembleBySlug(ctx.params.slug ?? '');
  if (!assembled) throw new HttpError(404, 'There is no such connection.');
  const { record } = assembled;
  const missing = assembled.ok ? [] : assembled.missing;
  const problems = await openProblemGroups(app.db, record.id, missing, record.credentialsUnreadable);
  return {
    record,
    missing,
    ...(assembled.ok ? { connection: assembled.connection } : {}),
    problems,
    page: (title, tab, body) =>
      layout(
        {
          title,
          session: ctx.session,
          connection: { slug: record.slug, name: record.name },
          tab,
          problemCount: actionableCount(problems),
        },
        record.pausedAt ? html`${pausedBanner(record)}${body}` : body,
      ),
  };
}

/** The connection a `:slug` route names (for a handler that needs no page around it), or 404. */
export async function connectionOf(app: AppContext, ctx: RequestContext): Promise<ConnectionRecord> {
  const record = await app.store.bySlug(ctx.params.slug ?? '');
  if (!record) throw new HttpError(404, 'There is no such connection.');
  return record;
}

/** On every page of a paused connection: what the pause holds back, and the way out. */
function pausedBanner(record: ConnectionRecord): Html {
  return html`<p class="notice warn" role="status" id="paused-banner">
    Paused since ${when(record.pausedAt)}: no product import runs and no order is sent to NetBaron. Orders
    keep arriving and wait. <a href="${connectionBase(record)}#controls">Resume</a> to send them.
  </p>`;
}

export const connectionBase = (record: { slug: string }): string => `/connections/${record.slug}`;
