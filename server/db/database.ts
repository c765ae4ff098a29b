// Opens the database the config asks for (embedded PGlite or a PostgreSQL pool) behind one Kysely type.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import type { DB } from './schema.js';
import { sharedParsers } from './type-parsers.js';

export type DatabaseMode = 'postgres' | 'embedded';

export interface Database {
  db: Kysely<DB>;
  mode: DatabaseMode;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PoolSettings {
  connectionString: string;
  max: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

/** pg pool options shared by @fastify/postgres and the standalone pool. */
export function pgPoolOptions(s: PoolSettings): pg.PoolConfig {
  return {
    connectionString: s.connectionString,
    max: s.max,
    connectionTimeoutMillis: s.connectTimeoutMs,
    statement_timeout: s.statementTimeoutMs,
    query_timeout: s.statementTimeoutMs + 1000,
    idleTimeoutMillis: 30_000,
    application_name: 'leercultuurscan',
    // Outside withTenantScope/withSystemScope a connection works in the documented system scope
    // (docs/security.md); without it, a non-owner role sees no tenant rows at all.
    options: '-c lcs.scope=system',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        sharedParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  };
}

/**
 * pg-pool takes its error listener off a client while it is checked out, and a socket that dies then
 * (PostgreSQL stopped, pg_terminate_backend) emits 'error' on the client: unheard, that is an uncaught
 * exception that ends the process. The statement in flight rejects with the same error, and the pool
 * drops the client when it is released, so the listener only has to be there.
 */
export function guardPoolClients(pool: pg.Pool, onClientError: (err: Error) => void = () => {}): void {
  pool.on('connect', (client) => {
    client.on('error', onClientError);
  });
}

export function kyselyOnPool(pool: pg.Pool): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

const PGLITE_START_PARAMS: string[] = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams;

export interface EmbeddedOptions {
  /** Start from a data-directory dump (PGlite's dumpDataDir), e.g. a migrated template in tests. */
  loadDataDir?: Blob;
}

export async function openEmbedded(dataDir: string, opts: EmbeddedOptions = {}): Promise<Database> {
  let location: string | undefined;
  let lock: DataDirLock | undefined;
  if (dataDir !== 'memory://') {
    location = resolve(dataDir);
    mkdirSync(location, { recursive: true });
    lock = lockDataDir(location); // throws DataDirLockedError when another process has it
  }
  const pglite = await PGlite.create({
    dataDir: location,
    loadDataDir: opts.loadDataDir,
    parsers: sharedParsers,
    // PostgreSQL's default 128 MB of shared buffers is most of PGlite's memory at start; 32 MB keeps
    // peak RSS well under 300 MB and still caches a 5,000-respondent round (see bench:startup).
    startParams: [...PGLITE_START_PARAMS, '-c', 'shared_buffers=32MB'],
  }).catch((err: unknown) => {
    lock?.release();
    throw err;
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  let closed = false;
  return {
    db,
    mode: 'embedded',
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      if (!pglite.closed) await pglite.close(); // Kysely's dialect closes it on destroy
      lock?.release();
    },
  };
}

/** A pool this process owns (CLI, scripts, tests). The server lets @fastify/postgres own its pool. */
export function openPostgres(settings: PoolSettings, onPoolError?: (err: Error) => void): Database {
  const pool = new pg.Pool(pgPoolOptions(settings));
  pool.on('error', onPoolError ?? (() => {}));
  guardPoolClients(pool);
  const db = kyselyOnPool(pool);
  let closed = false;
  return {
    db,
    mode: 'postgres',
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // ends the pool
    },
  };
}

export interface DatabaseConfigLike {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  DB_POOL_MAX: number;
  DB_CONNECT_TIMEOUT_MS: number;
  DB_STATEMENT_TIMEOUT_MS: number;
}

export function poolSettings(c: DatabaseConfigLike & { DATABASE_URL: string }): PoolSettings {
  return {
    connectionString: c.DATABASE_URL,
    max: c.DB_POOL_MAX,
    connectTimeoutMs: c.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: c.DB_STATEMENT_TIMEOUT_MS,
  };
}

export async function openDatabase(c: DatabaseConfigLike): Promise<Database> {
  return c.DATABASE_URL ? openPostgres(poolSettings({ ...c, DATABASE_URL: c.DATABASE_URL })) : openEmbedded(c.DATA_DIR);
}
