/*
 * One line of a compatibility probe: an assumption of the model this project adopts where the public
 * documents stop (README, "What is assumed, not documented"), and what the real system showed.
 */

export type ProbeSystem = 'MyCashflow' | 'NetBaron';

/**
 * - `matched`: the system answered as the model assumes.
 * - `differed`: it answered otherwise; `handled` says whether the connector already reads that variant.
 * - `unchecked`: a read cannot show it (it needs a write, a webhook, or data the store does not have).
 */
export type CheckStatus = 'matched' | 'differed' | 'unchecked';

export interface ProbeCheck {
  /** Stable id, named in the README's assumptions tables. */
  id: string;
  system: ProbeSystem;
  /** The assumption, in the README's words. */
  assumption: string;
  status: CheckStatus;
  /** For a difference: true when the connector already reads it, false when something must change. */
  handled?: boolean;
  /** What was seen, or why it could not be checked. */
  observed: string;
  /** The request(s) that showed it, with no credential. */
  requests?: string[];
}

export type CheckOutcome = Pick<ProbeCheck, 'status' | 'handled' | 'observed' | 'requests'>;

export const matched = (observed: string, requests?: string[]): CheckOutcome => ({
  status: 'matched',
  observed,
  ...(requests ? { requests } : {}),
});

export const differed = (observed: string, handled: boolean, requests?: string[]): CheckOutcome => ({
  status: 'differed',
  handled,
  observed,
  ...(requests ? { requests } : {}),
});

export const unchecked = (observed: string, requests?: string[]): CheckOutcome => ({
  status: 'unchecked',
  observed,
  ...(requests ? { requests } : {}),
});

/** A few examples of many, so a report stays readable when a whole catalogue differs. */
export function examples(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join('; ');
  return items.length > max ? `${shown}; and ${items.length - max} more` : shown;
}
