/*
 * Ctrl-C and a service manager's SIGTERM. A command that can stop gracefully waits for
 * `stopRequested()`; any other command is ended at once, with the conventional exit code, and the
 * embedded database is stopped by its exit hook. A second signal always ends the process.
 */

const controller = new AbortController();
let graceful = false;
const CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export function installStopHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!graceful || controller.signal.aborted) process.exit(CODES[signal]);
      controller.abort(signal);
    });
  }
}

/** Resolves when a stop is asked for; from the first call on, the caller owns the shutdown. */
export function stopRequested(): Promise<void> {
  graceful = true;
  if (controller.signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    controller.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
