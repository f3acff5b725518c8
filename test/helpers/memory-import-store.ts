import type {
  ActionStatus,
  ClaimedAction,
  ImportRunStore,
  NewRun,
  ResumableRun,
  RunStatus,
} from '../../src/catalog/import-store.ts';
import { phaseOf, type ActionKind, type PlannedAction, type Problem } from '../../src/catalog/plan.ts';
import { storeDate } from '../../src/mycashflow/timestamps.ts';
import type { ImportHistory } from '../../src/reports/read-stock.ts';

export interface MemoryRun extends NewRun {
  id: string;
  createdAt: Date;
  finishedAt: Date | null;
  summary?: unknown;
  error?: string | null;
}

export interface MemoryAction {
  id: string;
  runId: string;
  seq: number;
  phase: 1 | 2;
  kind: ActionKind;
  code: string;
  action: PlannedAction;
  status: ActionStatus;
  verify: boolean;
  attempts: number;
  result?: unknown;
  error?: string | null;
}

interface MemoryHold {
  returned: number;
  storeQuantity: number;
  netbaronQuantity: number;
  countedUntil: Date;
  lastRunId: string;
  heldSince: Date;
}

/** What PostgreSQL's jsonb keeps of a value: a copy, without `undefined` fields. */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const HOUR = 3_600_000;

/**
 * The product import's store in memory, with the database's rules (`src/db/import-runs.ts`): a plan is
 * stored whole with its actions pending; a claim takes the pending actions of one phase in plan order
 * and marks them in progress; an interruption's in-flight actions go back to pending, to be verified;
 * only a running or interrupted run (or a cancelled one asked for by id) younger than the limit is
 * resumed; the returns boundary is the last completed full run's reading; a second holder of a
 * connection's import lock is refused.
 */
export function memoryImportStore() {
  const connections = new Map<string, string>();
  const locks = new Set<string>();
  const runs: MemoryRun[] = [];
  const actions: MemoryAction[] = [];
  const problems = new Map<string, Problem[]>();
  const links = new Map<string, Map<string, string>>();
  const holds = new Map<string, Map<string, MemoryHold>>();
  let nextAction = 1;

  const runOf = (id: string) => runs.find((r) => r.id === id);
  const actionsOf = (runId: string) => actions.filter((a) => a.runId === runId);
  const linksOf = (connectionId: string) =>
    links.get(connectionId) ?? links.set(connectionId, new Map()).get(connectionId)!;
  const holdsOf = (connectionId: string) =>
    holds.get(connectionId) ?? holds.set(connectionId, new Map()).get(connectionId)!;
  const newest = (a: MemoryRun, b: MemoryRun) => Number(b.id) - Number(a.id);

  function findResumable(connectionId: string, maxAgeHours: number, cancelledRunId?: string) {
    const after = Date.now() - maxAgeHours * HOUR;
    return runs
      .filter(
        (r) =>
          r.connectionId === connectionId &&
          (cancelledRunId
            ? r.status === 'cancelled' && r.id === cancelledRunId
            : r.status === 'running' || r.status === 'interrupted') &&
          r.createdAt.getTime() > after,
      )
      .sort(newest)[0];
  }

  function returnsBoundary(connectionId: string): Date | null {
    const last = runs
      .filter(
        (r) =>
          r.connectionId === connectionId &&
          (r.status === 'completed' || r.status === 'completed-with-failures') &&
          !r.dryRun &&
          r.scope === undefined,
      )
      .sort(newest)[0];
    return last ? (last.readAt ?? last.createdAt) : null;
  }

  const store = {
    async ensureConnection(slug) {
      return connections.get(slug) ?? connections.set(slug, `c-${connections.size + 1}`).get(slug)!;
    },

    async withImportLock<T>(slug: string, fn: () => Promise<T>): Promise<T> {
      if (locks.has(slug))
        throw new Error(
          `another product import of connection "${slug}" is running; try again when it has finished`,
        );
      locks.add(slug);
      try {
        return await fn();
      } finally {
        locks.delete(slug);
      }
    },

    async loadLinkedCodes(connectionId) {
      return new Set(linksOf(connectionId).keys());
    },

    async storePlannedRun(start, plan) {
      const planned: PlannedAction[] = [];
      const found: Problem[] = [];
      const end = await plan(async (a, p) => {
        planned.push(...a);
        found.push(...p);
      });
      const run = { ...start, ...end };
      const id = String(runs.length + 1);
      runs.push({
        ...json(run),
        ...(run.readAt ? { readAt: run.readAt } : {}),
        id,
        createdAt: new Date(),
        finishedAt: run.status === 'running' ? null : new Date(),
      });
      planned.forEach((action, seq) =>
        actions.push({
          id: String(nextAction++),
          runId: id,
          seq,
          phase: phaseOf(action.kind),
          kind: action.kind,
          code: action.code,
          action: json(action),
          status: 'pending',
          verify: false,
          attempts: 0,
        }),
      );
      problems.set(id, json(found));
      return id;
    },

    async plannedActions(runId) {
      return actions
        .filter((a) => a.runId === runId)
        .sort((a, b) => a.seq - b.seq)
        .map((a) => json(a.action));
    },

    async findResumableRun(connectionId, maxAgeHours, cancelledRunId): Promise<ResumableRun | undefined> {
      const run = findResumable(connectionId, maxAgeHours, cancelledRunId);
      if (!run) return undefined;
      return {
        id: run.id,
        counts: json(run.counts),
        guard: json(run.guard),
        linked_codes: [...run.linkedCodes],
        removed_codes: [...run.removedCodes],
      };
    },

    async hasUnfinishedRun(connectionId, maxAgeHours) {
      return findResumable(connectionId, maxAgeHours) !== undefined;
    },

    async attachJob(runId, jobId) {
      const run = runOf(runId);
      if (!run) return;
      if (jobId) run.jobId = jobId;
      run.status = 'running';
      run.finishedAt = null;
    },

    async abandonStaleRuns(connectionId) {
      for (const r of runs)
        if (r.connectionId === connectionId && (r.status === 'running' || r.status === 'interrupted'))
          Object.assign(r, { status: 'abandoned', finishedAt: new Date() });
    },

    async markInFlightForVerification(runId) {
      const inFlight = actionsOf(runId).filter((a) => a.status === 'in-progress');
      for (const a of inFlight) Object.assign(a, { status: 'pending', verify: true });
      return inFlight.length;
    },

    async claimActions(runId, phase, limit): Promise<ClaimedAction[]> {
      const claimed = actionsOf(runId)
        .filter((a) => a.phase === phase && a.status === 'pending')
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit);
      for (const a of claimed) Object.assign(a, { status: 'in-progress', attempts: a.attempts + 1 });
      return claimed.map((a) => ({
        id: a.id,
        action: json(a.action),
        verify: a.verify,
        attempts: a.attempts,
      }));
    },

    async recordOutcomes(outcomes) {
      for (const o of outcomes) {
        const a = actions.find((x) => x.id === o.id);
        if (!a) continue;
        Object.assign(a, {
          status: o.status,
          verify: o.verify ?? false,
          result: o.result === undefined ? null : json(o.result),
          error: o.error ?? null,
          attempts: a.attempts - (o.untried ? 1 : 0),
        });
      }
    },

    async addProblems(runId, found) {
      problems.set(runId, [...(problems.get(runId) ?? []), ...json(found)]);
    },

    async actionTallies(runId) {
      const tallies = new Map<string, { kind: string; status: string; n: number }>();
      for (const a of actionsOf(runId)) {
        const key = `${a.kind} ${a.status}`;
        const t = tallies.get(key) ?? tallies.set(key, { kind: a.kind, status: a.status, n: 0 }).get(key)!;
        t.n += 1;
      }
      return [...tallies.values()];
    },

    async updatedCodeCount(runId) {
      const updates = ['update-product', 'update-variation', 'set-stock'];
      return new Set(
        actionsOf(runId)
          .filter((a) => a.status === 'done' && updates.includes(a.kind))
          .map((a) => a.code),
      ).size;
    },

    async runProblems(runId) {
      return json(problems.get(runId) ?? []);
    },

    async finishRun(runId, status: RunStatus, summary, error) {
      const run = runOf(runId);
      if (!run) return;
      Object.assign(run, {
        status,
        summary: json(summary),
        error: error ?? null,
        finishedAt: status === 'interrupted' ? null : new Date(),
      });
    },

    async saveLinks(connectionId, runId, linked, removed) {
      const own = linksOf(connectionId);
      for (const code of linked) own.set(code, runId);
      for (const code of removed) own.delete(code);
    },

    async returnsBoundary(connectionId) {
      return returnsBoundary(connectionId);
    },

    async loadHolds(connectionId) {
      return new Map(
        [...holdsOf(connectionId)].map(([code, h]) => [
          code,
          { returned: h.returned, countedUntil: h.countedUntil },
        ]),
      );
    },

    async saveHolds(connectionId, runId, readAt, held, cleared) {
      const own = holdsOf(connectionId);
      for (const h of held)
        own.set(h.code, {
          returned: h.returned,
          storeQuantity: h.storeQuantity,
          netbaronQuantity: h.netbaronQuantity,
          countedUntil: readAt,
          lastRunId: runId,
          // A hold keeps the day it began however often it is found again.
          heldSince: own.get(h.code)?.heldSince ?? new Date(),
        });
      for (const c of cleared) own.delete(c.code);
    },

    async heldByRun(connectionId, runId) {
      return [...holdsOf(connectionId)]
        .filter(([, h]) => h.lastRunId === runId)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([c, h]) => ({
          code: c,
          storeQuantity: h.storeQuantity,
          netbaronQuantity: h.netbaronQuantity,
          returned: h.returned,
        }));
    },
  } satisfies ImportRunStore;

  /** What earlier imports of a connection left, as `readImportHistory` reads it: read only. */
  async function history(slug: string): Promise<ImportHistory> {
    const connectionId = connections.get(slug);
    if (!connectionId) return { linkedCodes: new Set(), lastImportAt: null, holds: new Map() };
    return {
      linkedCodes: new Set(linksOf(connectionId).keys()),
      lastImportAt: returnsBoundary(connectionId),
      holds: new Map(
        [...holdsOf(connectionId)].map(([c, h]) => [
          c,
          { returned: h.returned, since: storeDate(h.heldSince.toISOString()) ?? '' },
        ]),
      ),
    };
  }

  return {
    store,
    history,
    runs: () => runs,
    run: (id: string) => runOf(id),
    actions: (runId: string) => actionsOf(runId).sort((a, b) => a.seq - b.seq),
    problems: (runId: string) => problems.get(runId) ?? [],
    links: (slug: string) => {
      const connectionId = connections.get(slug);
      return connectionId ? [...linksOf(connectionId).keys()].sort() : [];
    },
    holds: (slug: string) => {
      const connectionId = connections.get(slug);
      return connectionId ? new Map(holdsOf(connectionId)) : new Map<string, MemoryHold>();
    },
    /** Holds a connection's import lock as another process would, until the returned function is called. */
    holdLock: (slug: string) => {
      locks.add(slug);
      return () => locks.delete(slug);
    },
  };
}
