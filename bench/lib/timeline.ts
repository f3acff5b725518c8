import { sleep } from './results.ts';
import type { LoggedRequest, RequestLog, SimPair } from './sims.ts';

const arrival = (e: LoggedRequest): number => Date.parse(e.at) - e.durationMs;
const answer = (e: LoggedRequest): number => Date.parse(e.at);
const span = (list: LoggedRequest[]): number | undefined =>
  list.length ? Math.max(...list.map(answer)) - Math.min(...list.map(arrival)) : undefined;

/**
 * The phases of an import from both simulators' request logs, on their clock, in ms. The logs keep their
 * newest 5 000 entries only, so they are polled until the first MyCashflow write shows (every read and
 * that write are then held); the final logs, given to `finish`, hold the last write.
 */
export function watchTimeline(sims: SimPair, keep: (e: LoggedRequest) => boolean) {
  const seen = { mycashflow: new Map<number, LoggedRequest>(), netbaron: new Map<number, LoggedRequest>() };
  const add = (logs: { mycashflow: RequestLog; netbaron: RequestLog }) => {
    for (const system of ['mycashflow', 'netbaron'] as const)
      for (const e of logs[system].requests) if (keep(e)) seen[system].set(e.seq, e);
  };
  const list = (system: keyof typeof seen, writes: boolean) =>
    [...seen[system].values()].filter((e) => (e.method !== 'GET') === writes);
  let stopped = false;
  const polling = (async () => {
    while (!stopped && list('mycashflow', true).length === 0) {
      add({ mycashflow: await sims.mycashflow.requests(), netbaron: await sims.netbaron.requests() });
      await sleep(100);
    }
  })();
  return {
    async finish(logs: { mycashflow: RequestLog; netbaron: RequestLog }) {
      stopped = true;
      await polling;
      add(logs);
      const [mcf, nb, writes] = [
        list('mycashflow', false),
        list('netbaron', false),
        list('mycashflow', true),
      ];
      const reads = [...mcf, ...nb];
      return {
        /** The first read's arrival to the last read's answer: both systems (read at once), and each. */
        readingMs: span(reads),
        readingMcfMs: span(mcf),
        readingNbMs: span(nb),
        /** The last read's answer to the first write's arrival: the plan made and stored. */
        planningMs:
          writes.length && reads.length
            ? Math.min(...writes.map(arrival)) - Math.max(...reads.map(answer))
            : undefined,
        /** The first write's arrival to the last write's answer. */
        writingMs: span(writes),
      };
    },
  };
}
