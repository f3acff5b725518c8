import { randomToken } from '../../security/tokens.ts';
import type { AppContext } from '../app-context.ts';
import { ADMIN_USER, checkAdminPassword } from '../auth/admin-users.ts';
import { cookie, SESSION_COOKIE, SIGN_IN_CSRF_COOKIE } from '../auth/sessions.ts';
import { clientAddress } from '../http/client-address.ts';
import { formText, HttpError, parseCookies } from '../http/request.ts';
import { redirect, sendHtml, type Route } from '../http/router.ts';
import { html } from '../../util/html.ts';
import { layout } from '../views/layout.ts';

/** Only a path of this site: an open redirect would let a link send a signed-in admin elsewhere. */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

function signInPage(csrf: string, next: string, message?: string) {
  return layout(
    { title: 'Sign in' },
    html`<div class="signin">
      <h1>Sign in</h1>
      ${message ? html`<p class="notice error" role="alert">${message}</p>` : ''}
      <form method="post" action="/sign-in">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <input type="hidden" name="next" value="${next}" />
        <label for="password">Admin password</label>
        <input
          type="password"
          id="password"
          name="password"
          autocomplete="current-password"
          required
          autofocus
        />
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>
      <p class="hint">
        The password was printed when the service first started (until the first sign-in it is also in the
        file initial-admin-password of its data folder), or is the ADMIN_PASSWORD of its environment.
      </p>
    </div>`,
  );
}

export function authRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/sign-in',
      access: 'public',
      handler: async ({ req, res, url }) => {
        const existing = parseCookies(req.headers.cookie)[SIGN_IN_CSRF_COOKIE];
        const csrf = existing && existing.length >= 32 ? existing : randomToken();
        sendHtml(res, 200, signInPage(csrf, safeNext(url.searchParams.get('next'))), {
          'Set-Cookie': cookie(SIGN_IN_CSRF_COOKIE, csrf, { secure: app.cookieSecure, maxAgeSeconds: 3600 }),
        });
      },
    },
    {
      method: 'POST',
      path: '/sign-in',
      access: 'public',
      handler: async ({ req, res, form, logger }) => {
        const who = clientAddress(req, app.trustedProxies);
        const csrf = parseCookies(req.headers.cookie)[SIGN_IN_CSRF_COOKIE] ?? randomToken();
        const next = safeNext(formText(form, 'next'));
        // Refusals are summarised by the limit (a line per address a minute), not logged one by one.
        const verdict = await app.limiter.attempt(who, () =>
          checkAdminPassword(app.db, formText(form, 'password')),
        );
        if (verdict.outcome === 'limited' || verdict.outcome === 'busy') {
          res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
          app.metrics.signIn('failed');
          if (verdict.outcome === 'busy')
            throw new HttpError(
              503,
              'Many sign-ins are being checked right now. Try again in a few seconds.',
            );
          throw new HttpError(
            429,
            `Too many failed sign-ins. Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minute(s), or set a new password with "netbaron admin-password", which also lifts this limit.`,
          );
        }
        if (verdict.outcome === 'wrong-password') {
          app.metrics.signIn('failed');
          sendHtml(res, 401, signInPage(csrf, next, 'That password is not right.'));
          return;
        }
        app.metrics.signIn('ok');
        const { token } = await app.sessions.create(ADMIN_USER);
        logger.info('signed in', { remoteAddress: who });
        await app.afterSignIn?.().catch((err: unknown) =>
          logger.warn('could not delete the first-start password file; delete it by hand', {
            error: (err as Error).message,
          }),
        );
        redirect(res, next, {
          'Set-Cookie': [
            cookie(SESSION_COOKIE, token, { secure: app.cookieSecure }),
            cookie(SIGN_IN_CSRF_COOKIE, '', { secure: app.cookieSecure, maxAgeSeconds: 0 }),
          ],
        });
      },
    },
    {
      method: 'POST',
      path: '/sign-out',
      access: 'admin',
      handler: async ({ req, res }) => {
        await app.sessions.destroy(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
        redirect(res, '/sign-in', {
          'Set-Cookie': cookie(SESSION_COOKIE, '', { secure: app.cookieSecure, maxAgeSeconds: 0 }),
        });
      },
    },
  ];
}
