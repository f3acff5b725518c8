import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sameToken } from '../security/tokens.ts';
import type { AppContext } from './app-context.ts';
import { SESSION_COOKIE, SIGN_IN_CSRF_COOKIE, type SessionStore } from './auth/sessions.ts';
import { HttpError, parseCookies, parseForm, readBody, type Form } from './http/request.ts';
import { redirect, Router, sendHtml, sendText, type RequestContext, type Route } from './http/router.ts';
import { errorPage } from './views/pages/error.ts';

const FORM_LIMIT = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface AdminApp {
  router: Router;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** What the router itself reads; each route brings its own context. Without sessions no admin route opens. */
export type RouterContext = Pick<AppContext, 'logger' | 'metrics' | 'metricsToken'> & {
  sessions?: SessionStore;
};

/**
 * The routes a process serves, as its role says (the admin app, the webhook receiver, the operations
 * endpoints), on one router. Protection is decided here from each route's `access`, never inside a
 * handler, so no route can forget it.
 */
export function createAdminApp(app: RouterContext, routes: Route[]): AdminApp {
  const router = new Router().add(...routes);

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const incomingId = req.headers['x-request-id'];
    const requestId =
      typeof incomingId === 'string' && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const logger = app.logger.child({ requestId });
    res.setHeader('X-Request-Id', requestId);
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    const method = req.method ?? 'GET';
    let routePath = 'unmatched';
    try {
      const found = router.match(method, url.pathname);
      if (!found) throw new HttpError(404, 'There is no such page.');
      if ('allowed' in found) {
        res.setHeader('Allow', found.allowed.join(', '));
        throw new HttpError(405, 'This address does not accept that kind of request.');
      }
      const { route, params } = found;
      routePath = route.path;
      const cookies = parseCookies(req.headers.cookie);
      const ctx: RequestContext = { req, res, url, params, form: {}, requestId, logger };

      if (route.access === 'admin') {
        ctx.session = await app.sessions?.find(cookies[SESSION_COOKIE]);
        if (!ctx.session) {
          if (method === 'GET' && !String(req.headers.accept ?? '').includes('text/event-stream')) {
            return redirect(res, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
          }
          req.resume();
          throw new HttpError(401, 'Sign in first.');
        }
      }
      if (route.method === 'POST' && (route.access === 'admin' || route.access === 'public')) {
        ctx.form = await readForm(req);
        const sent =
          (ctx.form._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined);
        const expected = route.access === 'admin' ? ctx.session!.csrfToken : cookies[SIGN_IN_CSRF_COOKIE];
        if (typeof sent !== 'string' || !sameToken(sent, expected)) {
          throw new HttpError(
            403,
            'This form has expired or did not come from this page. Reload the page and try again.',
          );
        }
      }
      if (route.access === 'metrics' && app.metricsToken) {
        if (!sameToken(req.headers.authorization, `Bearer ${app.metricsToken}`))
          throw new HttpError(401, 'A bearer token is required.');
      }
      await route.handler(ctx);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (status >= 500)
        logger.error('request failed', { method, path: url.pathname, error: (err as Error).message });
      if (!res.headersSent) {
        const message =
          err instanceof HttpError ? err.message : `Something went wrong. Reference: ${requestId}`;
        if (String(req.headers.accept ?? '').includes('text/html'))
          sendHtml(res, status, errorPage(status, message));
        else sendText(res, status, message);
      } else if (!res.writableEnded) res.end();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      app.metrics.httpRequest(method, routePath, res.statusCode, seconds);
      if (routePath !== '/healthz' && routePath !== '/metrics' && !routePath.startsWith('/assets'))
        logger.info('request', {
          method,
          route: routePath,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
        });
    }
  };

  return {
    router,
    handle: (req, res) => {
      void handleRequest(req, res);
    },
  };
}

async function readForm(req: IncomingMessage): Promise<Form> {
  const type = String(req.headers['content-type'] ?? '');
  const body = await readBody(req, { limit: FORM_LIMIT });
  if (body === 'too-large') throw new HttpError(413, 'The request is too large.');
  // Forms set no time limit, so this never comes; it would be the answer if one were set.
  if (body === 'too-slow') throw new HttpError(408, 'The request took too long to arrive.');
  if (type.startsWith('application/x-www-form-urlencoded')) return parseForm(body);
  // Buttons posted by the page's script send no body; the token then comes in a header.
  return {};
}
