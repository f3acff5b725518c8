/*
 * What a product import keeps between its steps: the run, its planned actions as checkpoints, the
 * links and the stock holds. The import owns these interfaces; the database implements them
 * (`src/db/import-run-store.ts`), and the unit tests implement them in memory.
 */
import type { ConnectionIds } from '../orders/ledger.ts';
import type { ClearedHold, HeldStock, PlannedAction, Problem } from './plan.ts';
import type { PlanStaging } from './chunked-planning.ts';
import type { StoreMirrorStore } from './store-mirror.ts';

/**
 * `completed-with-failures`: every action was tried and some writes failed (retry them from the run);
 * `cancelled`: stopped by a person, resumable from its page; `discarded`: a blocked plan a person threw
 * away; `abandoned`: an unfinished run a newer plan replaced.
 */
export type RunStatus =
  | 'running'
  | 'completed'
  | 'completed-with-failures'
  | 'interrupted'
  | 'cancelled'
  | 'blocked'
  | 'discarded'
  | 'failed'
  | 'dry-run'
  | 'abandoned';
export type ActionStatus = 'pending' | 'in-progress' | 'done' | 'failed';

export interface NewRun {
  connectionId: string;
  status: RunStatus;
  dryRun: boolean;
  forced: boolean;
  settings: unknown;
  counts: unknown;
  guard: unknown;
  linkedCodes: string[];
  removedCodes: string[];
  /** What started the run: `cli`, `manual` (the admin page), `schedule` or `retry`. */
  trigger?: string;
  jobId?: string;
  /** A retry of another run's failed writes, limited to these codes. */
  retryOf?: string;
  scope?: string[];
  /** When it began reading both systems. */
  readAt?: Date;
}

/** What a run's plan decided, known once every part of it is planned. */
export type PlannedRunEnd = Pick<NewRun, 'status' | 'counts' | 'guard' | 'linkedCodes' | 'removedCodes'>;

/** Takes a part of a plan being stored: its actions and problems, in plan order. */
export type PlanAppend = (actions: PlannedAction[], problems: Problem[]) => Promise<void>;

/** An unfinished run to resume: its plan is stored, so it is not planned again. */
export interface ResumableRun {
  id: string;
  counts: unknown;
  guard: unknown;
  linked_codes: string[];
  removed_codes: string[];
}

export interface ClaimedAction {
  id: string;
  action: PlannedAction;
  verify: boolean;
  /** Claims so far, this one included. */
  attempts: number;
}

export interface ActionOutcome {
  id: string;
  status: ActionStatus;
  /** For a pending action: verify before writing next time. */
  verify?: boolean;
  /** Claimed but never started (the run stopped first): its claim does not count as an attempt. */
  untried?: boolean;
  result?: unknown;
  error?: string;
}

/** The stored plan as the executor works through it: claims are the checkpoints a resume starts from. */
export interface ActionQueue {
  /** Marks the actions in flight at an interruption for verification before any write; how many. */
  markInFlightForVerification(runId: string): Promise<number>;
  /** Takes the next pending actions of a phase, in plan order, and marks them in progress. */
  claimActions(runId: string, phase: number, limit: number): Promise<ClaimedAction[]>;
  recordOutcomes(outcomes: ActionOutcome[]): Promise<void>;
  addProblems(runId: string, problems: Problem[]): Promise<void>;
}

export interface ImportRunStore extends ConnectionIds, ActionQueue {
  /** The store's catalog between imports; without it, each import reads the whole store. */
  mirror?: StoreMirrorStore;
  /** Runs `fn` as the only import of this connection in any process; throws when another one runs. */
  withImportLock<T>(slug: string, fn: () => Promise<T>): Promise<T>;
  loadLinkedCodes(connectionId: string): Promise<Set<string>>;
  /**
   * The run and its plan, stored whole or not at all: `plan` appends the actions and problems a part at
   * a time and ends with what the plan decided. The run's id.
   */
  storePlannedRun(
    run: Omit<NewRun, keyof PlannedRunEnd>,
    plan: (append: PlanAppend) => Promise<PlannedRunEnd>,
  ): Promise<string>;
  /** A stored plan's actions in plan order (a preview's, a blocked run's). */
  plannedActions(runId: string): Promise<PlannedAction[]>;
  /** Where a plan is made a part at a time; without it, both catalogs are planned in memory. */
  staging?: PlanStaging;
  findResumableRun(
    connectionId: string,
    maxAgeHours: number,
    cancelledRunId?: string,
  ): Promise<ResumableRun | undefined>;
  hasUnfinishedRun(connectionId: string, maxAgeHours: number): Promise<boolean>;
  attachJob(runId: string, jobId: string | undefined): Promise<void>;
  /** Unfinished runs a new plan replaces are marked abandoned. */
  abandonStaleRuns(connectionId: string): Promise<void>;
  actionTallies(runId: string): Promise<Array<{ kind: string; status: string; n: number }>>;
  /** Codes with at least one update done (a product and its variations count once). */
  updatedCodeCount(runId: string): Promise<number>;
  runProblems(runId: string): Promise<Problem[]>;
  finishRun(runId: string, status: RunStatus, summary: unknown, error?: string): Promise<void>;
  saveLinks(connectionId: string, runId: string, linked: string[], removed: string[]): Promise<void>;
  /** When the last completed full import began reading; null before any. */
  returnsBoundary(connectionId: string): Promise<Date | null>;
  loadHolds(connectionId: string): Promise<Map<string, { returned: number; countedUntil: Date }>>;
  saveHolds(
    connectionId: string,
    runId: string,
    readAt: Date,
    held: readonly HeldStock[],
    cleared: readonly ClearedHold[],
  ): Promise<void>;
  heldByRun(connectionId: string, runId: string): Promise<HeldStock[]>;
}
