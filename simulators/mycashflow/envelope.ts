import type { SimResponse } from '../kit/types.ts';

export interface ListMeta {
  page: number;
  page_size: number;
  page_count: number;
  item_count: number;
  next?: string;
}

export function jsonResponse(status: number, value: unknown): SimResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
}

export const itemResponse = (data: unknown): SimResponse => jsonResponse(200, { data });

export const listResponse = (data: unknown[], meta: ListMeta): SimResponse =>
  jsonResponse(200, { data, meta });

/** A successful DELETE: 204 and no body, so no Content-Type either. */
export const noContent = (): SimResponse => ({ status: 204, headers: {} });
