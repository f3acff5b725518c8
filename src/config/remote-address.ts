import { z } from 'zod';

/**
 * The address of a remote system (a store's API, a NetBaron server): http or https, and no user or
 * password in it, since credentials travel in their own fields and would otherwise end up in logs and pages.
 * One rule for the connection file and the settings form.
 */
export function isRemoteAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.hostname !== '' &&
      !url.username &&
      !url.password
    );
  } catch {
    return false;
  }
}

/** A remote address in a schema; `message` says what a right one looks like, never repeating the value. */
export const remoteAddressSchema = (message: string) => z.string().refine(isRemoteAddress, message);

/** Two addresses of one system compared as a client would reach them: case of the host, a trailing slash. */
export function sameRemoteAddress(a: string, b: string): boolean {
  const normal = (text: string): string => {
    try {
      const url = new URL(text.trim());
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
    } catch {
      return text.trim().replace(/\/+$/, '');
    }
  };
  return normal(a) === normal(b);
}
