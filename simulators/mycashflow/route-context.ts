import type { z } from 'zod';
import type { SimResponse } from '../kit/types.ts';
import { badRequest } from './api-error.ts';
import { describeIssues } from './fields.ts';
import type { ListRequest } from './list-query.ts';
import type { ApiUserRec } from './model.ts';
import type { McfStore } from './store.ts';

/** What a route handler gets: the store, the authenticated API user, and the parsed request. */
export interface RouteContext {
  store: McfStore;
  user: ApiUserRec;
  /** Decoded path parameters in order, e.g. the id of `/products/{id}`. */
  params: string[];
  query: URLSearchParams;
  list: ListRequest;
  rawBody: Buffer;
  /** The simulator's clock, truncated to whole seconds. */
  now(): number;
}

export type Handler = (ctx: RouteContext) => SimResponse;

export interface RouteDef {
  /** Below `/api/v1`, with `:name` for a parameter segment: `/products/:id`. */
  path: string;
  methods: Partial<Record<'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', Handler>>;
}

/** The request body as a JSON object, or a 400 that says what is wrong with it. */
export function jsonBody(ctx: RouteContext): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(ctx.rawBody.toString('utf8'));
  } catch {
    throw badRequest('the request body must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * Validates a request body, naming read-only fields as such (the generic "unknown field" message would
 * hide why `reserved` or `id` cannot be written). With `readOnly: 'ignore'` they are dropped instead:
 * public clients send a whole stock item or variation back, read-only fields included (reference §24).
 */
export function parseBody<S extends z.ZodType>(
  ctx: RouteContext,
  schema: S,
  readOnly: readonly string[],
  onReadOnly: 'refuse' | 'ignore' = 'refuse',
): z.output<S> {
  const body = jsonBody(ctx);
  const locked = readOnly.filter((key) => key in body);
  if (locked.length > 0 && onReadOnly === 'refuse')
    throw badRequest(`${locked.join(', ')} ${locked.length > 1 ? 'are' : 'is'} read-only`);
  for (const key of locked) delete body[key];
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error));
  return parsed.data;
}

/** A positive integer path id, or undefined (which the caller answers with 404). */
export function pathId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
