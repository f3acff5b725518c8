import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailContent } from './message.ts';
import type { SendOutcome } from './outbox.ts';

/*
 * E-mail through the operator's SMTP server (SMTP_URL). The address may hold a user and password: it
 * goes to nodemailer and nowhere else, and a failure is told in words of our own, never in the error's
 * text (which may quote the server).
 */

export interface Mailer {
  send(to: readonly string[], content: EmailContent): Promise<SendOutcome>;
}

/** A few seconds for each step: a mail server that hangs must not hold the minute's tick. */
const TIMEOUTS = {
  connectionTimeout: 5_000,
  greetingTimeout: 5_000,
  socketTimeout: 10_000,
  dnsTimeout: 5_000,
};

interface MailError {
  code?: string;
  responseCode?: number;
}

/** A failed send in the merchant's words: what failed, not how the server put it. */
export function mailFailureWords(err: unknown): string {
  const { code, responseCode } = (err ?? {}) as MailError;
  const answered = responseCode ? ` (${responseCode})` : '';
  switch (code) {
    case 'EAUTH':
    case 'ENOAUTH':
      return 'The mail server refused the sign-in: tell whoever runs the connector.';
    case 'ETIMEDOUT':
      return 'The mail server did not answer in time.';
    case 'EDNS':
      return "The mail server's address was not found.";
    case 'ECONNECTION':
    case 'ESOCKET':
      return 'The mail server could not be reached.';
    case 'ETLS':
    case 'EREQUIRETLS':
      return 'A secure connection to the mail server could not be made.';
    case 'EENVELOPE':
      return `The mail server refused the recipients${answered}.`;
    case 'EMESSAGE':
      return `The mail server refused the message${answered}.`;
    default:
      return `The e-mail could not be sent${answered}.`;
  }
}

/** One connection per message (no pool): a few messages a day need nothing kept open. */
export function createMailer(options: { url: string; from: string }): Mailer {
  const transport: Transporter = nodemailer.createTransport(
    { url: options.url, ...TIMEOUTS },
    { from: options.from },
  );
  return {
    send: async (to, content) => {
      try {
        await transport.sendMail({
          to: [...to],
          subject: content.subject,
          text: content.text,
          html: content.html,
        });
        return { ok: true };
      } catch (err) {
        return { ok: false, reason: mailFailureWords(err) };
      }
    },
  };
}
