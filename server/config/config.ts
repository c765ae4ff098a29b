// Parses process.env once, at start-up. A bad value stops the process with one line naming the variable.
import { isIP } from 'node:net';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: 'expected a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const postgresUrl = z
  .string()
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'postgres:' || u.protocol === 'postgresql:';
    } catch {
      return false;
    }
  }, { message: 'expected a postgres:// URL' });

// TRUST_PROXY: which hops may set X-Forwarded-For. `false` (none), a hop count (1 = the one reverse
// proxy in front of us; `true` means 1 too, since trusting every hop would let a client choose its own
// address), or a comma-separated list of proxy addresses/CIDR ranges (`loopback`, `linklocal` and
// `uniquelocal` are accepted as in proxy-addr).
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(v: string): boolean {
  if (PROXY_NAMES.has(v)) return true;
  const [addr, bits, ...rest] = v.split('/');
  if (rest.length > 0 || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
const trustProxy = z.string().transform((v, ctx): false | number | string[] => {
  const s = v.trim().toLowerCase();
  if (['false', 'no', '0'].includes(s)) return false;
  if (['true', 'yes'].includes(s)) return 1;
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n <= 10) return n;
  }
  const list = s.split(',').map((x) => x.trim()).filter(Boolean);
  if (list.length > 0 && list.every(isProxyAddress)) return list;
  ctx.addIssue({ code: 'custom', message: 'expected false, a hop count (1-10) or a comma-separated list of proxy addresses/CIDR ranges' });
  return z.NEVER;
});

/**
 * TRUST_PROXY as Fastify's trustProxy. Fastify refuses bare hop counts (it cannot check the peer), so
 * a count becomes "trust the nearest n hops": only safe when the server is reachable through the
 * proxy alone, which is why an address list is the better choice (see README).
 */
export function fastifyTrustProxy(v: false | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (v === false || v === 0) return false;
  if (typeof v === 'number') return (_address: string, hop: number) => hop < v;
  return v;
}
const smtpUrl = z
  .string()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, { message: 'expected an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.nl:465' });

// "Name <address>" or a bare address.
const mailFrom = z
  .string()
  .max(300)
  .regex(/^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/, { message: 'expected an address, or "Name <address>"' });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  PUBLIC_URL: z.url({ message: 'expected an absolute http(s) URL' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: postgresUrl.optional(),
  /** The owner role for migrations and pg-boss's schema set-up; DATABASE_URL is then the app login role. */
  MIGRATION_DATABASE_URL: postgresUrl.optional(),
  /** 32 bytes (64 hex characters or base64) that encrypt TOTP secrets at rest (AES-256-GCM). */
  TOTP_ENCRYPTION_KEY: z
    .string()
    .refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32, { message: 'expected 32 bytes as 64 hex characters or base64' })
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Shared buffers of the embedded database (MB): what it caches of its data between reads (see openEmbedded). */
  EMBEDDED_SHARED_BUFFERS_MB: int(16, 1024).default(32),
  DEMO: bool.default(true),
  REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  DB_POOL_MAX: int(1, 200).default(10),
  DB_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(15_000),
  SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
  /** After SIGTERM, how long new requests still get a 503 (not a refused connection) before the listener closes. */
  SHUTDOWN_DRAIN_MS: int(0, 60_000).default(300),
  TRUST_PROXY: trustProxy.default(false),
  COOKIE_SECURE: bool.optional(),
  REPORT_WORKERS: int(0, 16).default(1),
  REPORT_QUEUE_LIMIT: int(1, 1000).default(8),
  /** A report worker idle this long is stopped, giving its memory back; 0 keeps it running. */
  REPORT_WORKER_IDLE_SECONDS: int(0, 86_400).default(300),
  RETENTION_SWEEP_MINUTES: int(0, 10_080).default(60),
  MAIL_TRANSPORT: z.enum(['outbox', 'smtp'], { message: 'expected outbox or smtp' }).optional(),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: mailFrom.optional(),
  MAIL_MAX_ATTEMPTS: int(1, 20).default(5),
});

export type Config = z.infer<typeof configSchema> & {
  publicUrl: string;
  databaseMode: 'postgres' | 'embedded';
  /** Resolved mail settings: outbox (stored, shown in the app) unless SMTP is configured. */
  mail: { transport: 'outbox' | 'smtp'; smtpUrl: string | null; from: string };
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses an environment; throws ConfigError whose message is one line naming the variable(s). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const parts = result.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${parts.join('; ')}`);
  }
  const c = result.data;
  // Outbox is the default (the embedded database needs nothing else); SMTP_URL alone selects smtp.
  const transport = c.MAIL_TRANSPORT ?? (c.SMTP_URL ? 'smtp' : 'outbox');
  if (c.NODE_ENV === 'production' && !c.TOTP_ENCRYPTION_KEY) throw new ConfigError('Invalid configuration: TOTP_ENCRYPTION_KEY: required in production (32 bytes, e.g. `openssl rand -hex 32`); it encrypts two-factor secrets at rest');
  if (c.MIGRATION_DATABASE_URL && !c.DATABASE_URL) throw new ConfigError('Invalid configuration: DATABASE_URL: required when MIGRATION_DATABASE_URL is set (the app login role)');
  if (transport === 'smtp' && !c.SMTP_URL) throw new ConfigError('Invalid configuration: SMTP_URL: required when MAIL_TRANSPORT=smtp');
  if (transport === 'smtp' && !c.MAIL_FROM) throw new ConfigError('Invalid configuration: MAIL_FROM: required when MAIL_TRANSPORT=smtp');
  return {
    ...c,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    databaseMode: c.DATABASE_URL ? 'postgres' : 'embedded',
    mail: { transport, smtpUrl: transport === 'smtp' ? c.SMTP_URL! : null, from: c.MAIL_FROM ?? 'Leercultuurscan <no-reply@leercultuurscan.invalid>' },
  };
}

/** Keys whose values must never be logged. */
export function redactedConfig(c: Config): Record<string, unknown> {
  const url = c.DATABASE_URL ? new URL(c.DATABASE_URL) : undefined;
  if (url && url.password) url.password = '***';
  const owner = c.MIGRATION_DATABASE_URL ? new URL(c.MIGRATION_DATABASE_URL) : undefined;
  if (owner && owner.password) owner.password = '***';
  const smtp = c.SMTP_URL ? new URL(c.SMTP_URL) : undefined;
  if (smtp && smtp.password) smtp.password = '***';
  return {
    ...c,
    DATABASE_URL: url?.toString(),
    MIGRATION_DATABASE_URL: owner?.toString(),
    TOTP_ENCRYPTION_KEY: c.TOTP_ENCRYPTION_KEY ? '***' : undefined,
    SMTP_URL: smtp?.toString(),
    mail: { ...c.mail, smtpUrl: smtp?.toString() ?? null },
  };
}
