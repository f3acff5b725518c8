/*
 * How much work a step took, for a test that bounds it to catch an accidental scan or quadratic loop:
 * the CPU time of this process (user + system), which the other processes of a busy machine do not add
 * to, unlike the wall clock. Vitest runs each test file in a process of its own (its default `forks`
 * pool), so the time is this file's alone. How fast things are is measured in bench/, not in tests.
 */
export async function cpuTimeOf<T>(
  step: () => Promise<T>,
): Promise<{ result: T; cpuMs: number; wallMs: number }> {
  const wallStarted = performance.now();
  const started = process.cpuUsage();
  const result = await step();
  const used = process.cpuUsage(started);
  return { result, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wallStarted };
}
