import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll } from 'vitest';
import { verifySignature } from '../../src/notifications/signature.ts';

/*
 * The two ends a notification reaches, real and in this process: an SMTP server (the `smtp-server`
 * package, which speaks the protocol nodemailer speaks to any mail server, sign-in included) and an
 * HTTP receiver that checks each webhook's signature as a merchant's receiver would.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message as it came over the wire. */
  raw: string;
  subject: string;
  /** The plain-text part, decoded. */
  text: string;
  /** The HTML part, decoded. */
  html: string;
}

export interface SmtpReceiver {
  /** smtp://user:password@127.0.0.1:<port> */
  url: string;
  messages: ReceivedMail[];
  /** Sign-ins refused (a wrong user or password). */
  refusedSignIns: number;
}

function decodeQuotedPrintable(text: string): string {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i += 1) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function headerOf(head: string, name: string): string {
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? '';
}

function decodePart(part: string): { type: string; text: string } {
  const split = part.search(/\r?\n\r?\n/);
  const head = part.slice(0, split);
  const body = part.slice(split).replace(/^\r?\n\r?\n/, '');
  const encoding = headerOf(head, 'Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return { type: headerOf(head, 'Content-Type').split(';')[0]!.toLowerCase(), text };
}

/** The subject, text and HTML of a message as nodemailer writes one (multipart/alternative). */
function readMessage(raw: string): Pick<ReceivedMail, 'subject' | 'text' | 'html'> {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headerOf(head, 'Content-Type'))?.[1];
  const parts = boundary ? raw.split(`--${boundary}`).slice(1, -1).map(decodePart) : [decodePart(raw)];
  return {
    subject: headerOf(head, 'Subject'),
    text: parts.find((p) => p.type === 'text/plain')?.text ?? '',
    html: parts.find((p) => p.type === 'text/html')?.text ?? '',
  };
}

/** A mail server that takes only this user and password, without TLS; closed when the file ends. */
export async function startSmtpReceiver(user: string, password: string): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const receiver = { messages, refusedSignIns: 0, url: '' };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      receiver.refusedSignIns += 1;
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...readMessage(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  receiver.url = `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return receiver;
}

export interface ReceivedHook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The X-Connector-Signature header matched the body under the secret. */
  signatureValid: boolean;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedHook[];
  /** The next requests get these statuses, one each (then 200 again). */
  answerNext(...statuses: number[]): void;
}

/** An HTTP receiver that checks the signature with `secret`; closed when the file ends. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const requests: ReceivedHook[] = [];
  const queued: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['x-connector-signature'];
      const status = queued.shift() ?? 200;
      requests.push({
        headers: req.headers,
        body,
        signatureValid: verifySignature(secret, body, typeof header === 'string' ? header : undefined),
        status,
      });
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${port}/connector-events`,
    requests,
    answerNext: (...statuses) => queued.push(...statuses),
  };
}
