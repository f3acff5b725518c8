import { duration } from '../format.ts';
import { html, type Html } from '../../../util/html.ts';

/**
 * A report read live from both systems. It is read only on request (`?run=1`): reading a large catalogue
 * takes a while, and a page that does so on every visit would hit both APIs each time someone looks.
 */
export type Reading<T> =
  | { state: 'not-run' }
  | { state: 'done'; value: T; durationMs: number }
  | { state: 'failed'; message: string };

/** Where the report lives, and the words of its run button. */
export interface ReadingPrompt {
  url: string;
  runLabel: string;
}

const runUrl = (url: string): string => `${url}?run=1`;

/** Above the report: how to run it, how it went, or why it could not be read. */
export function readingStatus<T>(reading: Reading<T>, prompt: ReadingPrompt): Html {
  if (reading.state === 'not-run') {
    return html`<p class="muted">Reading both systems can take a while with a large catalogue.</p>
      <p class="actions"><a class="button" href="${runUrl(prompt.url)}">${prompt.runLabel}</a></p>`;
  }
  if (reading.state === 'failed') {
    return html`<p class="notice error" role="alert">${reading.message}</p>
      <p class="actions"><a class="button secondary" href="${runUrl(prompt.url)}">Try again</a></p>`;
  }
  return html`<p class="actions">
    <span class="muted">Read just now in ${duration(reading.durationMs)}.</span>
    <a class="button secondary" href="${runUrl(prompt.url)}">Run again</a>
  </p>`;
}

export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
