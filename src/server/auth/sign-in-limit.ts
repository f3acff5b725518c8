import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Logger } from '../../observability/logger.ts';
import { RefusalSummary } from './refusal-summary.ts';

/** The address under which every address's attempts are counted together. */
const EVERYONE = '*';

export interface SignInLimitOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** Attempts per address and window before it is refused; 5 by default. */
  perAddress?: number;
  windowMs?: number;
  /** Attempts of all addresses in a window past which every check is slowed down (never refused); 100 by default. */
  slowAfter?: number;
  /** How long each password check holds its slot once `slowAfter` is passed. */
  slowDelayMs?: number;
  /** Password checks running at once in this process. */
  concurrency?: number;
  /** Sign-ins waiting for a slot past which one is told to try again in a moment. */
  maxWaiting?: number;
  /** How often refusals are summarised in the log. */
  summaryIntervalMs?: number;
}

export type SignInOutcome =
  | { outcome: 'signed-in' }
  | { outcome: 'wrong-password' }
  /** The address used its attempts of the window. */
  | { outcome: 'limited'; retryAfterSeconds: number }
  /** Too many sign-ins wait for a password check; nothing was counted against the address. */
  | { outcome: 'busy'; retryAfterSeconds: number };

/**
 * The sign-in limit. An attempt is reserved in PostgreSQL (one atomic upsert per address) before the
 * password is checked, so a thousand simultaneous guesses from one address cost at most `perAddress`
 * checks, in one process or many. Nothing locks everyone out: past `slowAfter` attempts of all
 * addresses together, checks are merely slowed (few at a time, each holding its slot a while longer),
 * and the owner's own address keeps its own attempts. A success clears the address's count;
 * `clearSignInLimits` (run by `netbaron admin-password`) clears every count.
 */
export class SignInLimit {
  private readonly db: Kysely<Database>;
  private readonly perAddress: number;
  private readonly windowSeconds: number;
  private readonly slowAfter: number;
  private readonly slowDelayMs: number;
  private readonly concurrency: number;
  private readonly maxWaiting: number;
  private readonly refusals: RefusalSummary;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private lastCleanup = 0;

  constructor(options: SignInLimitOptions) {
    this.db = options.db;
    this.perAddress = options.perAddress ?? 5;
    this.windowSeconds = Math.ceil((options.windowMs ?? 15 * 60_000) / 1000);
    this.slowAfter = options.slowAfter ?? 100;
    this.slowDelayMs = options.slowDelayMs ?? 1_000;
    this.concurrency = options.concurrency ?? 2;
    this.maxWaiting = options.maxWaiting ?? 50;
    this.refusals = new RefusalSummary({ logger: options.logger, intervalMs: options.summaryIntervalMs });
  }

  /** Runs `check` (the password check) only when `address` still has an attempt left in its window. */
  async attempt(address: string, check: () => Promise<boolean>): Promise<SignInOutcome> {
    if (this.waiting.length >= this.maxWaiting) {
      this.refusals.count(address, 'busy');
      return { outcome: 'busy', retryAfterSeconds: 5 };
    }
    await this.cleanUpNowAndThen();
    const own = await this.reserve(address);
    if (own.attempts > this.perAddress) {
      this.refusals.count(address, 'limited');
      return { outcome: 'limited', retryAfterSeconds: Math.max(1, Math.ceil(own.remainingSeconds)) };
    }
    const everyone = await this.reserve(EVERYONE);
    const ok = await this.inTurn(() =>
      check().then(async (result) => {
        if (everyone.attempts > this.slowAfter) await new Promise((r) => setTimeout(r, this.slowDelayMs));
        return result;
      }),
    );
    if (ok) {
      await this.db.deleteFrom('sign_in_attempts').where('address', '=', address).execute();
      return { outcome: 'signed-in' };
    }
    this.refusals.count(address, 'failed');
    return { outcome: 'wrong-password' };
  }

  /** Writes the refusals counted so far now rather than at the end of the minute. */
  flushLog(): void {
    this.refusals.flush();
  }

  stop(): void {
    this.refusals.stop();
  }

  private async reserve(address: string): Promise<{ attempts: number; remainingSeconds: number }> {
    const window = sql`make_interval(secs => ${this.windowSeconds})`;
    const ended = sql`a.window_started_at <= now() - ${window}`;
    // One statement: the row's lock orders simultaneous attempts, so each sees the count before it.
    const { rows } = await sql<{ attempts: number; remaining: string }>`
      insert into sign_in_attempts as a (address, attempts, window_started_at)
      values (${address}, 1, now())
      on conflict (address) do update set
        attempts = case when ${ended} then 1 else least(a.attempts + 1, 2000000000) end,
        window_started_at = case when ${ended} then now() else a.window_started_at end
      returning attempts, extract(epoch from (window_started_at + ${window} - now())) as remaining
    `.execute(this.db);
    const row = rows[0]!;
    return { attempts: row.attempts, remainingSeconds: Number(row.remaining) };
  }

  private async inTurn<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter, so `running` never drops below while one waits.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private async cleanUpNowAndThen(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.db
      .deleteFrom('sign_in_attempts')
      .where(sql<boolean>`window_started_at <= now() - make_interval(secs => ${this.windowSeconds})`)
      .execute();
  }
}

/** Lifts every sign-in limit at once (after a lockout, or a new password). */
export async function clearSignInLimits(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('sign_in_attempts').executeTakeFirst();
  return Number(result.numDeletedRows);
}
