import { type z } from 'zod';
import { ASSUMPTIONS, type AssumptionId } from './assumptions.ts';
import type { CheckOutcome, ProbeCheck } from './check.ts';

/** The checks of one system, in the order they were made, each tied to its assumption. */
export class CheckList {
  readonly checks: ProbeCheck[] = [];

  add(id: AssumptionId, outcome: CheckOutcome): void {
    const { system, text } = ASSUMPTIONS[id];
    this.checks.push({ id, system, assumption: text, ...outcome });
  }

  /** Every listed assumption not yet checked, as unchecked for this reason. */
  rest(ids: readonly AssumptionId[], reason: string): void {
    const done = new Set(this.checks.map((c) => c.id));
    for (const id of ids) if (!done.has(id)) this.add(id, { status: 'unchecked', observed: reason });
  }
}

/** The first reason a schema gave, short: `variations.0.price: Invalid input`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return `${issue.path.join('.') || '(item)'}: ${issue.message}`;
}
