import { badRequest } from './api-error.ts';
import type { ListMeta } from './envelope.ts';
import { parseTimestamp } from './timestamps.ts';

/*
 * The list grammar every list endpoint shares (§5, §23.9): page, page_size, sort=<field>-asc|desc,
 * <field>-from/-to on timestamps, equality filters and expand. Sources are kept in id order, so the
 * default listing (id-asc, no filter) is a slice and never touches the rest of the catalog.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export type EqualityFilter<T> =
  /** Integer ids answered from an index, so that `id=1,2,3` costs three look-ups, not a scan. */
  | { kind: 'ids'; lookup: (id: number) => T | undefined }
  | { kind: 'ids-many'; lookup: (id: number) => readonly T[] }
  | { kind: 'values'; allowed: readonly string[]; test: (item: T, wanted: ReadonlySet<string>) => boolean };

export interface ListSpec<T extends { id: number }> {
  /** For messages: `/products`. */
  resource: string;
  sortFields: Record<string, (item: T) => number | string | null>;
  /** Timestamp fields for `<field>-from` / `<field>-to`, as epoch milliseconds. */
  rangeFields: Record<string, (item: T) => number | null>;
  equality?: Record<string, EqualityFilter<T>>;
  expands: readonly string[];
  /** Default sort when the request gives none; `id` unless the items have no id order of their own. */
  defaultSort?: string;
}

export interface ListRequest {
  query: URLSearchParams;
  /** Used to build `meta.next` as a full URL: `<scheme>://<host><path>?…&page=n`. */
  scheme: string;
  host: string | undefined;
  path: string;
}

export interface ListPage<T> {
  items: T[];
  meta: ListMeta;
  expand: ReadonlySet<string>;
}

function positiveInt(name: string, raw: string | null, fallback: number): number {
  if (raw === null) return fallback;
  const text = raw.trim();
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw badRequest(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function parseExpand(raw: string | null, allowed: readonly string[], resource: string): Set<string> {
  const expand = new Set<string>();
  if (raw === null) return expand;
  for (const name of raw.split(',').map((s) => s.trim())) {
    if (!name) continue;
    if (!allowed.includes(name)) {
      throw badRequest(
        allowed.length === 0
          ? `${resource} has no expands; unknown expand ${JSON.stringify(name)}`
          : `unknown expand ${JSON.stringify(name)} for ${resource}; known: ${allowed.join(', ')}`,
      );
    }
    expand.add(name);
  }
  return expand;
}

function compareKeys(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** Applies the list grammar to `source`, which must be in ascending id order. */
export function listPage<T extends { id: number }>(
  source: readonly T[],
  spec: ListSpec<T>,
  req: ListRequest,
): ListPage<T> {
  const { query } = req;
  const page = positiveInt('page', query.get('page'), 1);
  // Capped, not refused (§24: a production connector asks for 10000); meta.page_size shows the cap.
  const pageSize = Math.min(
    positiveInt('page_size', query.get('page_size'), DEFAULT_PAGE_SIZE),
    MAX_PAGE_SIZE,
  );
  const expand = parseExpand(query.get('expand'), spec.expands, spec.resource);

  const sortRaw = query.get('sort') ?? `${spec.defaultSort ?? 'id'}-asc`;
  const sortMatch = /^(.+)-(asc|desc)$/.exec(sortRaw.trim());
  const sortField = sortMatch?.[1];
  if (!sortMatch || sortField === undefined || !(sortField in spec.sortFields)) {
    throw badRequest(
      `sort must be <field>-asc or <field>-desc with a field of ${spec.resource} (${Object.keys(spec.sortFields).join(', ')}), got ${JSON.stringify(sortRaw)}`,
    );
  }
  const descending = sortMatch[2] === 'desc';

  let candidates: readonly T[] = source;
  const predicates: Array<(item: T) => boolean> = [];

  for (const [key, raw] of query) {
    const range = /^(.+)-(from|to)$/.exec(key);
    if (!range) continue;
    const [, field, bound] = range;
    const read = spec.rangeFields[field!];
    if (!read) {
      const known = Object.keys(spec.rangeFields);
      throw badRequest(
        `filter ${JSON.stringify(key)} is not supported on ${spec.resource}${known.length ? `; range filters: ${known.map((f) => `${f}-from, ${f}-to`).join(', ')}` : ''}`,
      );
    }
    const instant = parseTimestamp(raw);
    if (instant === undefined) {
      throw badRequest(
        `${key} must be an ISO-8601 timestamp such as 2024-05-02T13:26:54+03:00, got ${JSON.stringify(raw)}`,
      );
    }
    predicates.push(
      bound === 'from'
        ? (item) => {
            const v = read(item);
            return v !== null && v >= instant;
          }
        : (item) => {
            const v = read(item);
            return v !== null && v <= instant;
          },
    );
  }

  for (const [name, filter] of Object.entries(spec.equality ?? {})) {
    const raw = query.get(name);
    if (raw === null) continue;
    const values = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (filter.kind === 'values') {
      const bad = values.find((v) => !filter.allowed.includes(v));
      if (bad !== undefined || values.length === 0) {
        throw badRequest(
          `${name} must be one or more of ${filter.allowed.join(', ')}, got ${JSON.stringify(raw)}`,
        );
      }
      const wanted = new Set(values);
      predicates.push((item) => filter.test(item, wanted));
      continue;
    }
    const ids = values.map((v) => (/^\d+$/.test(v) ? Number(v) : NaN));
    if (ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id) || id < 1)) {
      throw badRequest(
        `${name} must be a comma-separated list of positive integers, got ${JSON.stringify(raw)}`,
      );
    }
    const found = new Map<number, T>();
    for (const id of ids) {
      const hits = filter.kind === 'ids' ? [filter.lookup(id)] : filter.lookup(id);
      for (const hit of hits) if (hit) found.set(hit.id, hit);
    }
    const narrowed = [...found.values()].sort((a, b) => a.id - b.id);
    // Several index filters intersect; the narrowest list so far stays the candidate set.
    if (candidates === source) candidates = narrowed;
    else {
      const keep = new Set(narrowed);
      candidates = candidates.filter((item) => keep.has(item));
    }
  }

  if (predicates.length > 0) candidates = candidates.filter((item) => predicates.every((p) => p(item)));

  const count = candidates.length;
  const start = (page - 1) * pageSize;
  let items: T[];
  if (sortField === 'id') {
    if (!descending) items = candidates.slice(start, start + pageSize);
    else {
      items = [];
      for (let i = count - 1 - start; i >= 0 && items.length < pageSize; i--) items.push(candidates[i]!);
    }
  } else {
    const key = spec.sortFields[sortField]!;
    const direction = descending ? -1 : 1;
    items = [...candidates]
      .sort((a, b) => direction * (compareKeys(key(a), key(b)) || a.id - b.id))
      .slice(start, start + pageSize);
  }

  const pageCount = Math.ceil(count / pageSize);
  const meta: ListMeta = { page, page_size: pageSize, page_count: pageCount, item_count: count };
  if (page < pageCount) meta.next = nextUrl(req, page + 1);
  return { items, meta, expand };
}

function nextUrl(req: ListRequest, page: number): string {
  const params = new URLSearchParams(req.query);
  params.set('page', String(page));
  return `${req.scheme}://${req.host ?? 'localhost'}${req.path}?${params.toString()}`;
}
