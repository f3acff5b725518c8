import { timingSafeEqual } from 'node:crypto';
import { readBasicAuth } from '../kit/basic-auth.ts';
import type { SimRequest, SimResponse } from '../kit/types.ts';
import { ApiError, errorBody } from './api-error.ts';
import { applyQuirks } from './quirks.ts';
import type { ApiUserRec } from './model.ts';
import type { Handler, RouteContext, RouteDef } from './route-context.ts';
import { orderRoutes } from './routes/orders.ts';
import { productRoutes } from './routes/products.ts';
import { stockRoutes } from './routes/stock.ts';
import { storeSettingRoutes } from './routes/store-settings.ts';
import { variationRoutes } from './routes/variations.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import type { McfStore } from './store.ts';

export const API_BASE = '/api/v1';
const PAID_PLANS = new Set(['advanced', 'pro', 'enterprise']);

interface CompiledRoute {
  segments: string[];
  def: RouteDef;
}

const ROUTES: CompiledRoute[] = [
  ...productRoutes,
  ...variationRoutes,
  ...stockRoutes,
  ...orderRoutes,
  ...storeSettingRoutes,
  ...webhookRoutes,
].map((def) => ({ segments: def.path.split('/').slice(1), def }));

function match(segments: string[]): { def: RouteDef; params: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.segments.length !== segments.length) continue;
    const params: string[] = [];
    const ok = route.segments.every((pattern, i) => {
      if (pattern.startsWith(':')) {
        params.push(segments[i]!);
        return true;
      }
      return pattern === segments[i];
    });
    if (ok) return { def: route.def, params };
  }
  return undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authenticate(req: SimRequest, users: readonly ApiUserRec[]): ApiUserRec {
  const credentials = readBasicAuth(req.headers);
  // The message never repeats what was sent: the API key must not reach a log through an error text.
  if (!credentials)
    throw new ApiError(401, 'HTTP Basic authentication with the API user e-mail and API key is required', {
      'WWW-Authenticate': 'Basic realm="MyCashflow API"',
    });
  const email = credentials.user.toLowerCase();
  const user = users.find(
    (u) => u.email.toLowerCase() === email && sameSecret(credentials.password, u.apiKey),
  );
  if (!user)
    throw new ApiError(401, 'invalid API user e-mail or API key', {
      'WWW-Authenticate': 'Basic realm="MyCashflow API"',
    });
  return user;
}

// Content negotiation as HTTP defines it (RFC 9110 §12.5.1): application/json, application/* and */*
// all admit JSON unless their q-value is 0. A public data-pipeline connector sends "Accept: */*" and
// works against the real API (reference §24), so only a header that rules JSON out earns a 406.
export function acceptsJson(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (range !== 'application/json' && range !== 'application/*' && range !== '*/*') return false;
    const q = params.find((p) => /^q\s*=/.test(p));
    return q === undefined || Number(q.slice(q.indexOf('=') + 1).trim()) > 0;
  });
}

/** The scheme the caller used: a proxy's `X-Forwarded-Proto` (first hop) or plain HTTP, which the simulator serves. */
function requestScheme(req: SimRequest): string {
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https' || first === 'http' ? first : 'http';
}

export interface RouterDeps {
  store: () => McfStore;
  now: () => number;
}

/**
 * The API's front door, in the order a request meets the checks: credentials, the store's plan (after
 * authentication, so that an unknown caller cannot learn which plan a store is on), Accept, the
 * trailing-slash rule, the route and its method. Every refusal uses the error body of §23.2.
 */
export function routeRequest(req: SimRequest, deps: RouterDeps): SimResponse {
  try {
    return dispatch(req, deps);
  } catch (err) {
    if (err instanceof ApiError) return errorBody(err.status, err.message, err.headers);
    throw err;
  }
}

function dispatch(req: SimRequest, deps: RouterDeps): SimResponse {
  const { path } = req;
  const store = deps.store();
  if (path !== API_BASE && !path.startsWith(`${API_BASE}/`)) {
    throw new ApiError(404, `no such path; the API lives under ${API_BASE}`);
  }
  const user = authenticate(req, store.apiUsers);
  if (!PAID_PLANS.has(store.info.plan)) {
    throw new ApiError(
      403,
      `the MyCashflow API needs a paid plan (Advanced, Pro or Enterprise); this store is on the ${store.info.plan} plan`,
    );
  }
  if (!acceptsJson(req.headers.accept))
    throw new ApiError(406, 'the request must accept application/json (send Accept: application/json)');
  if (path.endsWith('/'))
    throw new ApiError(404, 'a trailing slash is not allowed in API paths; remove the final "/"');

  let segments: string[];
  try {
    segments = path.slice(API_BASE.length).split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw new ApiError(404, 'the path is not validly URL-encoded');
  }
  const found = match(segments);
  if (!found) throw new ApiError(404, `no such resource: ${path}`);
  const method = req.method.toUpperCase() as keyof RouteDef['methods'];
  const handler: Handler | undefined = found.def.methods[method];
  if (!handler) {
    const allowed = Object.keys(found.def.methods).join(', ');
    throw new ApiError(405, `${req.method} is not supported on ${path}; allowed: ${allowed}`, {
      Allow: allowed,
    });
  }
  const ctx: RouteContext = {
    store,
    user,
    params: found.params,
    query: req.query,
    list: { query: req.query, scheme: requestScheme(req), host: req.headers.host, path },
    rawBody: req.body,
    now: deps.now,
  };
  return applyQuirks(handler(ctx), store.quirks);
}
