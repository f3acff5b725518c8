import { z } from 'zod';
import { TIME_OF_DAY } from '../domain/schedule.ts';

/*
 * Who hears about a connection's problems, stored with its settings. The webhook's signing secret is a
 * credential and is sealed with the others (`webhookSecret`), never here.
 */

/** An address of one mailbox: no display name, no list (nothing that could add a recipient or a header). */
export const EMAIL_ADDRESS = /^[^\s@,;<>"'()]+@[^\s@,;<>"'()]+\.[^\s@,;<>"'()]+$/;

export const MAX_RECIPIENTS = 10;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a webhook address cannot be used, or undefined when it can: https, or http to this machine only
 * (tests, a receiver beside the service). No user or password in it: the address is shown on the page.
 */
export function webhookUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter the full address, such as https://example.fi/connector-events.';
  }
  if (url.username || url.password)
    return 'Leave the user name and password out of the address: the signing secret proves the sender.';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) return undefined;
  return 'The address must start with https:// (plain http only to this machine itself).';
}

export const notificationSettingsSchema = z
  .object({
    recipients: z.array(z.string().regex(EMAIL_ADDRESS)).max(MAX_RECIPIENTS).default([]),
    /** '' = no webhook. */
    webhookUrl: z
      .string()
      .refine((u) => u === '' || webhookUrlProblem(u) === undefined)
      .default(''),
    /** The daily digest's local time, in the connection's schedule time zone. */
    digestAt: z.string().regex(TIME_OF_DAY).default('08:00'),
  })
  .strict();
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = notificationSettingsSchema.parse({});
