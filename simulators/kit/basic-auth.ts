import type { IncomingHttpHeaders } from 'node:http';

export interface BasicCredentials {
  user: string;
  password: string;
}

/** Reads HTTP Basic credentials; undefined when the header is missing or malformed. */
export function readBasicAuth(headers: IncomingHttpHeaders): BasicCredentials | undefined {
  const header = headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
