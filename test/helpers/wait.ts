/*
 * Waiting for a state, never for a time: the tests poll for exactly what they assert next, with a
 * deadline generous enough for a busy machine, which only ends a wait for something that never comes.
 */

export interface WaitOptions {
  /** How long before giving up, with what was waited for (and the probe's last error) in the message. */
  timeoutMs?: number;
  everyMs?: number;
  /**
   * A probe that throws is asked again instead of failing the wait (a page reloaded mid-navigation):
   * only when the deadline passes does its last error show, in the timeout's message.
   */
  retryErrors?: boolean;
}

/** Polls `probe` every `everyMs` until it returns something other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000, everyMs = 25, retryErrors = false }: WaitOptions = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      if (!retryErrors) throw err;
      lastError = err;
    }
    if (performance.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
