import type { Logger } from '../../observability/logger.ts';

export type RefusalKind = 'failed' | 'limited' | 'busy';

export interface RefusalSummaryOptions {
  logger: Logger;
  /** How often the counts are written; a minute by default. */
  intervalMs?: number;
  /** Addresses named one by one per interval; the rest are added up in one line, so a flood from many addresses stays a few lines. */
  maxAddresses?: number;
}

type Counts = Record<RefusalKind, number>;

const none = (): Counts => ({ failed: 0, limited: 0, busy: 0 });

/**
 * Refused sign-ins as a few log lines per interval: one per address with its counts (and one for the
 * addresses past `maxAddresses`), never a line per attempt. A flood of 76 000 refusals once wrote 26 MB
 * of log in a minute; this writes at most `maxAddresses + 1` lines a minute whatever comes.
 */
export class RefusalSummary {
  private readonly logger: Logger;
  private readonly maxAddresses: number;
  private counts = new Map<string, Counts>();
  private others = none();
  private othersAddresses = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(options: RefusalSummaryOptions) {
    this.logger = options.logger;
    this.maxAddresses = options.maxAddresses ?? 20;
    this.timer = setInterval(() => this.flush(), options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  count(address: string, kind: RefusalKind): void {
    let counts = this.counts.get(address);
    if (!counts && this.counts.size < this.maxAddresses) this.counts.set(address, (counts = none()));
    if (counts) counts[kind] += 1;
    else {
      this.others[kind] += 1;
      // Only how many there were is reported; a bound keeps a many-address flood from growing memory.
      if (this.othersAddresses.size < 100_000) this.othersAddresses.add(address);
    }
  }

  /** Writes what was counted since the last flush; nothing when nothing was refused. */
  flush(): void {
    for (const [address, counts] of this.counts)
      this.logger.warn('sign-ins refused', { remoteAddress: address, ...counts, total: total(counts) });
    if (total(this.others) > 0)
      this.logger.warn('sign-ins refused from further addresses', {
        addresses: this.othersAddresses.size,
        ...this.others,
        total: total(this.others),
      });
    this.counts = new Map();
    this.others = none();
    this.othersAddresses = new Set();
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

const total = (counts: Counts): number => counts.failed + counts.limited + counts.busy;
