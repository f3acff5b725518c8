import { formatCents, type Cents } from '../../domain/money.ts';
import { html, type Html } from '../../util/html.ts';

/** Dates as the merchant reads them: local, day first, to the second. */
export function when(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = value instanceof Date ? value : new Date(value);
  return d.toLocaleString('fi-FI', { timeZone: 'Europe/Helsinki' });
}

/** A calendar day (`2026-11-01`) as the merchant writes one: 1.11.2026; other text is shown as it is. */
export function day(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? `${Number(m[3])}.${Number(m[2])}.${m[1]}` : text;
}

export function duration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const euros = (cents: number | null | undefined): string =>
  cents === null || cents === undefined ? '—' : `${formatCents(cents as Cents)} €`;

export function stateBadge(state: string, label = state): Html {
  return html`<span class="state state-${state.replace(/[^a-z-]/g, '')}">${label}</span>`;
}

/** A run's status, with the number of failed writes when some failed: "completed with 3 failures". */
export function runStateBadge(status: string, failed: number): Html {
  const label =
    status === 'completed-with-failures'
      ? `completed with ${failed} ${failed === 1 ? 'failure' : 'failures'}`
      : status;
  return stateBadge(status, label);
}
