import { ConfigError } from '../util/config-error.ts';
import { z } from 'zod';

const isSmtpUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
};

/** A PostgreSQL URL with a host; checked without ever repeating it, as it may hold a password. */
const isPostgresUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
};

/**
 * The process environment, read in one place and validated at start with messages a person can act on.
 * Nothing else reads `process.env`.
 */
export const envSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
      .refine(
        isPostgresUrl,
        'DATABASE_URL must be a URL such as postgres://user:password@host:5432/database (special characters in the password percent-encoded)',
      )
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    LOG_LEVEL: z
      .enum(['debug', 'info', 'warn', 'error'], { error: 'LOG_LEVEL must be debug, info, warn or error' })
      .default('info'),
    /** `auto`: short readable lines on a terminal, JSON lines otherwise (a file, a log collector). */
    LOG_FORMAT: z
      .enum(['auto', 'json', 'pretty'], { error: 'LOG_FORMAT must be auto, json or pretty' })
      .default('auto'),
    /** The service (`serve`). */
    PORT: z.coerce
      .number({ error: 'PORT must be a port number (0–65535)' })
      .int('PORT must be a port number (0–65535)')
      .min(0, 'PORT must be a port number (0–65535)')
      .max(65535, 'PORT must be a port number (0–65535)')
      .default(4000),
    HOST: z
      .string()
      .regex(
        /^[A-Za-z0-9.:%-]+$/,
        'HOST must be the address to listen on, such as 127.0.0.1 (this machine only), 0.0.0.0 or :: (every address)',
      )
      .default('127.0.0.1'),
    PUBLIC_URL: z
      .string()
      .regex(
        /^https?:\/\/[^/@\s]+(\/[^\s]*)?$/,
        'PUBLIC_URL must be the address the service is reached at, such as https://connector.example.fi',
      )
      .optional(),
    ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').optional(),
    ENCRYPTION_KEY: z.string().optional(),
    METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
    COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    /** Reverse proxies in front of the service: the client's address is then read from X-Forwarded-For. */
    TRUST_PROXY: z.coerce
      .number({ message: 'TRUST_PROXY must be the number of reverse proxies in front of the service (0–5)' })
      .int('TRUST_PROXY must be a whole number (0–5)')
      .min(0, 'TRUST_PROXY must be 0 or more')
      .max(5, 'TRUST_PROXY must be at most 5')
      .default(0),
    /** The operator's mail server for notifications; may hold a user and password (a secret). */
    SMTP_URL: z
      .string()
      .refine(
        isSmtpUrl,
        'SMTP_URL must be the mail server as smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465',
      )
      .optional(),
    /** The sender of notification e-mails. One line: no header can be slipped in. */
    MAIL_FROM: z
      .string()
      .regex(
        /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
        'MAIL_FROM must be the sender of notifications, such as connector@example.fi or "Connector <connector@example.fi>"',
      )
      .optional(),
  })
  .refine((env) => !env.SMTP_URL || env.MAIL_FROM, {
    path: ['MAIL_FROM'],
    message: 'MAIL_FROM is needed with SMTP_URL: the sender address of notification e-mails',
  });

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const blankToUndefined = Object.fromEntries(
    Object.entries(source).map(([k, v]) => [k, v === '' ? undefined : v]),
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(
      `invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
