import type { Kysely } from 'kysely';
import type { ImportRunStore } from '../catalog/import-store.ts';
import { ensureConnection } from './connections.ts';
import { withImportLock } from './import-lock.ts';
import {
  abandonStaleRuns,
  actionTallies,
  addProblems,
  attachJob,
  claimActions,
  findResumableRun,
  finishRun,
  hasUnfinishedRun,
  heldByRun,
  loadHolds,
  loadLinkedCodes,
  markInFlightForVerification,
  plannedActions,
  recordOutcomes,
  returnsBoundary,
  runProblems,
  saveHolds,
  saveLinks,
  storePlannedRun,
  updatedCodeCount,
} from './import-runs.ts';
import type { Database } from './schema.ts';
import { planStaging } from './plan-staging.ts';
import { storeMirrorStore } from './store-mirror.ts';

/** The product import's store (`src/catalog/import-store.ts`) on PostgreSQL. */
export function importRunStore(db: Kysely<Database>): ImportRunStore {
  return {
    ensureConnection: (slug, name) => ensureConnection(db, slug, name),
    withImportLock: (slug, fn) => withImportLock(db, slug, fn),
    loadLinkedCodes: (connectionId) => loadLinkedCodes(db, connectionId),
    storePlannedRun: (run, plan) => storePlannedRun(db, run, plan),
    plannedActions: (runId) => plannedActions(db, runId),
    findResumableRun: (connectionId, maxAgeHours, cancelledRunId) =>
      findResumableRun(db, connectionId, maxAgeHours, cancelledRunId),
    hasUnfinishedRun: (connectionId, maxAgeHours) => hasUnfinishedRun(db, connectionId, maxAgeHours),
    attachJob: (runId, jobId) => attachJob(db, runId, jobId),
    abandonStaleRuns: (connectionId) => abandonStaleRuns(db, connectionId),
    markInFlightForVerification: (runId) => markInFlightForVerification(db, runId),
    claimActions: (runId, phase, limit) => claimActions(db, runId, phase, limit),
    recordOutcomes: (outcomes) => recordOutcomes(db, outcomes),
    addProblems: (runId, problems) => addProblems(db, runId, problems),
    actionTallies: (runId) => actionTallies(db, runId),
    updatedCodeCount: (runId) => updatedCodeCount(db, runId),
    runProblems: (runId) => runProblems(db, runId),
    finishRun: (runId, status, summary, error) => finishRun(db, runId, status, summary, error),
    saveLinks: (connectionId, runId, linked, removed) => saveLinks(db, connectionId, runId, linked, removed),
    returnsBoundary: (connectionId) => returnsBoundary(db, connectionId),
    loadHolds: (connectionId) => loadHolds(db, connectionId),
    saveHolds: (connectionId, runId, readAt, held, cleared) =>
      saveHolds(db, connectionId, runId, readAt, held, cleared),
    heldByRun: (connectionId, runId) => heldByRun(db, connectionId, runId),
    mirror: storeMirrorStore(db),
    staging: planStaging(db),
  };
}
