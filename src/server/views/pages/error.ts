import { html, type Html } from '../../../util/html.ts';
import { layout } from '../layout.ts';

const TITLES: Record<number, string> = {
  401: 'Sign in first',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Not allowed',
  413: 'Too large',
  429: 'Too many attempts',
};

export function errorPage(status: number, message: string): Html {
  const title = TITLES[status] ?? 'Something went wrong';
  return layout(
    { title },
    html`<h1>${title}</h1>
      <p class="notice error">${message}</p>
      <p><a href="/">Back to the connections</a></p>`,
  );
}
