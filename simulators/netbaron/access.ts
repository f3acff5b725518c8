import { createHash, timingSafeEqual } from 'node:crypto';
import { readBasicAuth } from '../kit/basic-auth.ts';
import type { SimRequest } from '../kit/types.ts';
import { NbError } from './errors.ts';
import type { NbModuleName, NbStateDocument } from './state-schema.ts';

/** A request addressed to one module through one numbered interface: `/ws/products2` is ('products', 2). */
export interface ModuleRoute {
  module: NbModuleName;
  interfaceNumber: number | 'invalid';
}

const MODULE_PATH = /^\/ws\/(products|salesorder)(\d*)$/;

/** Module paths of the model; anything else under the API is 404, as a wrong path must never look like "no data". */
export function resolveModule(path: string): ModuleRoute {
  const m = MODULE_PATH.exec(path);
  if (!m)
    throw new NbError(
      404,
      'NOT_FOUND',
      `No web service at ${path}; the modules are /ws/products and /ws/salesorder.`,
    );
  const suffix = m[2] ?? '';
  // The first interface has no number: `/ws/products1` is not another name for it.
  const interfaceNumber = suffix === '' ? 1 : /^[2-9]\d*$/.test(suffix) ? Number(suffix) : 'invalid';
  return { module: m[1] as NbModuleName, interfaceNumber };
}

/** The module's allow-list, when it has one; checked before the credentials, as a firewall would. */
export function checkCallerAddress(state: NbStateDocument, module: NbModuleName, address: string): void {
  const allowed = state.allowed_ips[module];
  if (allowed === undefined || allowed.includes(address)) return;
  throw new NbError(
    403,
    'IP_NOT_ALLOWED',
    `The address ${address} is not allowed to use the ${module} module.`,
  );
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Organisation plus one of the module's passwords, through the module's own interface number. Every
 * failure gets the same message, which never repeats what was sent.
 */
export function authenticate(state: NbStateDocument, route: ModuleRoute, req: SimRequest): void {
  const config = state.modules[route.module];
  const credentials = readBasicAuth(req.headers);
  const passwords = typeof config.password === 'string' ? [config.password] : config.password;
  const ok =
    route.interfaceNumber === config.interface &&
    credentials !== undefined &&
    sameSecret(credentials.user, state.organisation) &&
    // Every password is compared, so the time taken does not tell which one nearly matched.
    passwords.map((p) => sameSecret(credentials.password, p)).some(Boolean);
  if (!ok) {
    throw new NbError(
      401,
      'AUTHENTICATION_FAILED',
      `Authentication failed for the ${route.module} module: the organisation, the password or the interface number is not accepted.`,
      { 'WWW-Authenticate': 'Basic realm="NetBaron WS", charset="UTF-8"' },
    );
  }
}
