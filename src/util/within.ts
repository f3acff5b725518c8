import { setTimeout as delay } from 'node:timers/promises';

/**
 * The promise's value, or 'timeout' when it takes longer than `ms`. The work itself goes on (a page
 * that must not be slow gives up waiting for it, not the work); a later rejection is not left unhandled.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  const timer = new AbortController();
  work.catch(() => undefined);
  try {
    return await Promise.race([
      work,
      delay(ms, 'timeout' as const, { signal: timer.signal }).catch(() => 'timeout' as const),
    ]);
  } finally {
    timer.abort();
  }
}
