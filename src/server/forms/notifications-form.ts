import { TIME_OF_DAY } from '../../domain/schedule.ts';
import {
  EMAIL_ADDRESS,
  MAX_RECIPIENTS,
  notificationSettingsSchema,
  webhookUrlProblem,
  type NotificationSettings,
} from '../../config/notification-settings.ts';
import { formText, type Form } from '../http/request.ts';

/** What the form shows: the saved settings, or what was posted when it had errors (never the secret). */
export interface NotificationsFormValues {
  recipients: string;
  webhookUrl: string;
  digestAt: string;
}

export type NotificationsFormResult =
  | { ok: true; settings: NotificationSettings; secret?: string; clearSecret: boolean }
  | { ok: false; errors: Record<string, string>; values: NotificationsFormValues };

export const MIN_SECRET_LENGTH = 16;

export const formValuesOf = (s: NotificationSettings): NotificationsFormValues => ({
  recipients: s.recipients.join('\n'),
  webhookUrl: s.webhookUrl,
  digestAt: s.digestAt,
});

/**
 * The Notifications page's form. The signing secret is write-only: blank keeps the saved one; with no
 * webhook address the saved one is removed, as nothing uses it.
 */
export function readNotificationsForm(form: Form, secretSaved: boolean): NotificationsFormResult {
  const values: NotificationsFormValues = {
    recipients: formText(form, 'recipients'),
    webhookUrl: formText(form, 'webhook_url').trim(),
    digestAt: formText(form, 'digest_at').trim(),
  };
  const secret = formText(form, 'webhook_secret').trim();
  const errors: Record<string, string> = {};

  const recipients = [...new Set(values.recipients.split(/[\s,;]+/).filter(Boolean))];
  const notAddress = recipients.find((a) => !EMAIL_ADDRESS.test(a));
  if (notAddress !== undefined)
    errors.recipients = `"${notAddress}" is not an e-mail address. Enter one address per line.`;
  else if (recipients.length > MAX_RECIPIENTS)
    errors.recipients = `Enter at most ${MAX_RECIPIENTS} addresses.`;

  if (values.webhookUrl) {
    const problem = webhookUrlProblem(values.webhookUrl);
    if (problem) errors.webhook_url = problem;
    if (secret && secret.length < MIN_SECRET_LENGTH)
      errors.webhook_secret = `Make the signing secret at least ${MIN_SECRET_LENGTH} characters long.`;
    else if (!secret && !secretSaved)
      errors.webhook_secret = 'Type a signing secret: the receiver checks every message with it.';
  } else if (secret) {
    errors.webhook_url = 'Enter the webhook address the signing secret is for.';
  }
  if (!TIME_OF_DAY.test(values.digestAt)) errors.digest_at = 'Give the time as HH:MM, such as 08:00.';

  const parsed = notificationSettingsSchema.safeParse({
    recipients,
    webhookUrl: values.webhookUrl,
    digestAt: values.digestAt,
  });
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors, values };
  return {
    ok: true,
    settings: parsed.data,
    ...(secret ? { secret } : {}),
    clearSecret: !values.webhookUrl,
  };
}
