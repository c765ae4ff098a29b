// Parses process.env once, at start-up. A bad value stops the process with one line naming the variable.
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

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  PUBLIC_URL: z.url({ message: 'expected an absolute http(s) URL' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DEMO: bool.default(true),
  REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  DB_POOL_MAX: int(1, 200).default(10),
  DB_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(15_000),
  SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
  /** After SIGTERM, how long new requests still get a 503 (not a refused connection) before the listener closes. */
  SHUTDOWN_DRAIN_MS: int(0, 60_000).default(300),
  TRUST_PROXY: bool.default(false),
  COOKIE_SECURE: bool.optional(),
  REPORT_WORKERS: int(0, 16).default(1),
  REPORT_QUEUE_LIMIT: int(1, 1000).default(8),
  RETENTION_SWEEP_MINUTES: int(0, 10_080).default(60),
});

export type Config = z.infer<typeof configSchema> & { publicUrl: string; databaseMode: 'postgres' | 'embedded' };

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
  return {
    ...c,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    databaseMode: c.DATABASE_URL ? 'postgres' : 'embedded',
  };
}

/** Keys whose values must never be logged. */
export function redactedConfig(c: Config): Record<string, unknown> {
  const url = c.DATABASE_URL ? new URL(c.DATABASE_URL) : undefined;
  if (url && url.password) url.password = '***';
  return { ...c, DATABASE_URL: url?.toString() };
}
