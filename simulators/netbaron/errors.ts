import type { SimResponse } from '../kit/types.ts';
import { renderXmlDocument } from './xml-writer.ts';

/** The `Code` values of the model's error classes (§15.10), plus names for statuses the kit may produce. */
export type NbErrorCode =
  | 'AUTHENTICATION_FAILED'
  | 'IP_NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNKNOWN_PAYMENT_METHOD'
  | 'VALIDATION_ERROR'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE'
  | 'BAD_REQUEST'
  | 'REQUEST_TOO_LARGE'
  | 'BAD_GATEWAY'
  | 'GATEWAY_TIMEOUT';

export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** A failure the simulated NetBaron answers with its `<Error>` body; anything else thrown is a simulator bug. */
export class NbError extends Error {
  override name = 'NbError';
  constructor(
    readonly status: number,
    readonly code: NbErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const validationError = (message: string): NbError => new NbError(422, 'VALIDATION_ERROR', message);

/**
 * The code for a bare status, used when the kit injects a fault or cannot read a body. 400 and 413 are
 * not in the model's table (NetBaron itself answers 422 for bad input), so they get descriptive names.
 */
export function codeForStatus(status: number): NbErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'AUTHENTICATION_FAILED';
    case 403:
      return 'IP_NOT_ALLOWED';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 413:
      return 'REQUEST_TOO_LARGE';
    case 422:
      return 'VALIDATION_ERROR';
    case 429:
      return 'RATE_LIMITED';
    case 502:
      return 'BAD_GATEWAY';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    case 504:
      return 'GATEWAY_TIMEOUT';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}

export function xmlResponse(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': XML_CONTENT_TYPE, ...headers }, body };
}

export function errorXmlResponse(
  status: number,
  code: NbErrorCode,
  message: string,
  headers: Record<string, string> = {},
): SimResponse {
  const body = renderXmlDocument({
    name: 'Error',
    children: [
      { name: 'Code', text: code },
      { name: 'Message', text: message },
    ],
  });
  return xmlResponse(status, body, headers);
}

export function responseForError(err: NbError): SimResponse {
  return errorXmlResponse(err.status, err.code, err.message, err.headers);
}
