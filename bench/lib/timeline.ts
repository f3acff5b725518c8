import type { LoggedRequest, RequestCounts, SimProcess } from './sim-process.ts';

/**
 * The phases of one import as the simulators saw them, on their clock (the same machine's):
 * reading = first read's arrival to the last read's answer (both systems, read at the same time);
 * planning = last read's answer to the first MyCashflow write's arrival (the plan made and stored);
 * writing = first write's arrival to the last write's answer.
 */
export interface Phases {
  readingMs?: number;
  /** Each system's own reading span (the two overlap). */
  readingMcfMs?: number;
  readingNbMs?: number;
  planningMs?: number;
  writingMs?: number;
}

const arrival = (e: LoggedRequest): number => Date.parse(e.at) - e.durationMs;
const answer = (e: LoggedRequest): number => Date.parse(e.at);

/**
 * Watches both simulators' request logs while an import runs. The logs keep only their newest 5 000
 * entries, so they are polled until the first MyCashflow write shows (every read and the first write are
 * then held here); the final snapshot has the last write.
 */
export class Timeline {
  private readonly seen = new Map<string, LoggedRequest>();
  private firstWriteSeen = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly sims: SimProcess,
    /** Requests that are not the import's (a worker's order polls) are left out. */
    private readonly keep: (e: LoggedRequest) => boolean = () => true,
    private readonly everyMs = 100,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped && !this.firstWriteSeen) {
        const [m, n] = await Promise.all([this.sims.mycashflow.requests(), this.sims.netbaron.requests()]);
        this.add('mycashflow', m);
        this.add('netbaron', n);
        await new Promise((r) => setTimeout(r, this.everyMs));
      }
    })().catch((err: unknown) => {
      this.failure = err;
    });
  }

  add(system: 'mycashflow' | 'netbaron', counts: RequestCounts): void {
    for (const e of counts.entries) {
      if (!this.keep(e)) continue;
      this.seen.set(`${system}:${e.seq}`, e);
      if (system === 'mycashflow' && e.method !== 'GET') this.firstWriteSeen = true;
    }
  }

  /** Ends the polling; throws what made the polling fail (the simulators gone), if anything did. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    if (this.failure) throw this.failure;
  }

  phases(): Phases {
    const reads: LoggedRequest[] = [];
    const mcfReads: LoggedRequest[] = [];
    const nbReads: LoggedRequest[] = [];
    const writes: LoggedRequest[] = [];
    for (const [key, e] of this.seen) {
      const mcf = key.startsWith('mycashflow:');
      if (e.method === 'GET') {
        reads.push(e);
        (mcf ? mcfReads : nbReads).push(e);
      } else if (mcf) writes.push(e);
    }
    const min = (list: LoggedRequest[], f: (e: LoggedRequest) => number) => Math.min(...list.map(f));
    const max = (list: LoggedRequest[], f: (e: LoggedRequest) => number) => Math.max(...list.map(f));
    const phases: Phases = {};
    if (reads.length) phases.readingMs = max(reads, answer) - min(reads, arrival);
    if (mcfReads.length) phases.readingMcfMs = max(mcfReads, answer) - min(mcfReads, arrival);
    if (nbReads.length) phases.readingNbMs = max(nbReads, answer) - min(nbReads, arrival);
    if (writes.length) {
      phases.writingMs = max(writes, answer) - min(writes, arrival);
      if (reads.length) phases.planningMs = min(writes, arrival) - max(reads, answer);
    }
    return phases;
  }
}
