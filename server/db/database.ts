// Opens the database the config asks for (embedded PGlite or a PostgreSQL pool) behind one Kysely type.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import pg from 'pg';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import type { DB } from './schema.js';
import { sharedParsers } from './type-parsers.js';

export type DatabaseMode = 'postgres' | 'embedded';

export interface Database {
  /** The connection of whoever opened the database (migrations, CLI, test arrangements). */
  db: Kysely<DB>;
  /**
   * Embedded only: the connection requests and jobs use. Every statement runs as `lcs_login` (the
   * stand-in for the DATABASE_URL login role, migration 0019) and with no scope, so outside
   * withTenantScope/withSystemScope/withAccountScope it reads and writes no tenant row, as the app
   * login role does on PostgreSQL. Absent before the migrations ran; then `db` serves.
   */
  appDb?: () => Promise<Kysely<DB> | undefined>;
  mode: DatabaseMode;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface PoolSettings {
  connectionString: string;
  /**
   * Operator tools only (the CLI): every connection starts in the documented system scope, as the
   * operator acts across tenants. Never for the pools that serve requests or jobs.
   */
  operatorScope?: boolean;
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
    // No scope is set here: outside withTenantScope/withSystemScope/withAccountScope the app login
    // role sees no tenant row and may write none (deny by default; docs/security.md).
    ...(s.operatorScope ? { options: '-c lcs.scope=system' } : {}),
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

/** The embedded stand-in for the app login role (migration 2026-12-01-0019). */
export const EMBEDDED_LOGIN_ROLE = 'lcs_login';

/**
 * PGlite has one session, shared by the app and whoever opened the database. The app's statements
 * each run in a PGlite transaction (exclusive, so nothing interleaves) that first switches to the
 * login role with `set local role`; a Kysely transaction does the same once at its start. At the end
 * of each the session is the opener's again.
 */
class LoginRoleConnection implements DatabaseConnection {
  #tx: Transaction | undefined;
  #commit: (() => void) | undefined;
  #rollback: ((e: Error) => void) | undefined;
  #closed: Promise<unknown> | undefined;
  constructor(
    private readonly pglite: PGlite,
    private readonly role: string,
  ) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const run = async (tx: Transaction) => {
      const r = await tx.query<R>(q.sql, q.parameters as unknown[], { rowMode: 'object' });
      return { numAffectedRows: r.affectedRows != null ? BigInt(r.affectedRows) : undefined, rows: r.rows ?? [] };
    };
    if (this.#tx) return run(this.#tx);
    return this.pglite.transaction(async (tx) => {
      await tx.exec(`set local role ${this.role}`);
      return run(tx);
    });
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by PGlite.');
  }

  async begin(): Promise<void> {
    let begun!: () => void;
    const ready = new Promise<void>((r) => (begun = r));
    const done = new Promise<void>((resolve, reject) => {
      this.#commit = resolve;
      this.#rollback = reject;
    });
    this.#closed = this.pglite.transaction(async (tx) => {
      await tx.exec(`set local role ${this.role}`);
      this.#tx = tx;
      begun();
      await done;
    });
    // A failure before `begun` (the role switch) must reach the caller.
    await Promise.race([ready, this.#closed.then(() => undefined)]);
    if (!this.#tx) await this.#closed;
  }

  async end(commit: boolean): Promise<void> {
    if (commit) this.#commit?.();
    else this.#rollback?.(new Error('rollback'));
    try {
      await this.#closed;
    } catch (err) {
      if (commit) throw err;
    } finally {
      this.#tx = undefined;
      this.#commit = undefined;
      this.#rollback = undefined;
      this.#closed = undefined;
    }
  }
}

class LoginRoleDriver implements Driver {
  constructor(
    private readonly pglite: PGlite,
    private readonly role: string,
  ) {}
  async init(): Promise<void> {}
  // A connection per acquisition: a statement outside a transaction never joins another caller's open
  // transaction (and its scope); it waits for PGlite's lock instead.
  async acquireConnection(): Promise<DatabaseConnection> {
    return new LoginRoleConnection(this.pglite, this.role);
  }
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await (c as LoginRoleConnection).begin();
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await (c as LoginRoleConnection).end(true);
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await (c as LoginRoleConnection).end(false);
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

class LoginRoleDialect extends PGliteDialect {
  constructor(
    private readonly pglite: PGlite,
    private readonly role: string,
  ) {
    super({ pglite });
  }
  override createDriver(): Driver {
    return new LoginRoleDriver(this.pglite, this.role);
  }
}

const PGLITE_START_PARAMS: string[] = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams;

export interface EmbeddedOptions {
  /** Start from a data-directory dump (PGlite's dumpDataDir), e.g. a migrated template in tests. */
  loadDataDir?: Blob;
  /** Shared buffers in MB (EMBEDDED_SHARED_BUFFERS_MB; default 32). */
  sharedBuffersMb?: number;
}

export async function openEmbedded(dataDir: string, opts: EmbeddedOptions = {}): Promise<Database> {
  let location: string | undefined;
  let lock: DataDirLock | undefined;
  if (dataDir !== 'memory://') {
    location = resolve(dataDir);
    mkdirSync(location, { recursive: true });
    lock = lockDataDir(location); // throws DataDirLockedError when another process has it
  }
  const create = () =>
    PGlite.create({
      dataDir: location,
      loadDataDir: opts.loadDataDir,
      parsers: sharedParsers,
      // PostgreSQL's default 128 MB of shared buffers is most of PGlite's memory at start; 32 MB keeps
      // peak RSS well under 300 MB and still caches a 5,000-respondent round (see bench:startup). A
      // round far larger is read from the data files again in every pass of its close (random order
      // by response id): at 100,000 respondents 160 MB took the close from 25.8 s to 19.7 s, for
      // ~120 MB more resident memory from the start (bench:scale --embedded-shared-buffers).
      startParams: [...PGLITE_START_PARAMS, '-c', `shared_buffers=${opts.sharedBuffersMb ?? 32}MB`],
    });
  // Creating a data directory (initdb) grows PGlite's WebAssembly memory to ~450 MB, and that memory
  // never shrinks: reopened, the same directory starts at ~140 MB. A new directory on disk is
  // therefore opened a second time, and the first instance's memory is given back once V8 collects it
  // (bench:scale runs on new directories: embedded peak RSS at 1,000 respondents 994 -> 776 MB).
  // memory:// cannot be reopened (its data would be lost); a loaded dump (tests) runs no initdb.
  const fresh = location !== undefined && !opts.loadDataDir && !existsSync(join(location, 'PG_VERSION'));
  const pglite = await (async () => {
    const first = await create();
    if (!fresh) return first;
    await first.close();
    return create();
  })().catch((err: unknown) => {
    lock?.release();
    throw err;
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  let closed = false;
  let appDb: Kysely<DB> | undefined;
  return {
    db,
    async appDb() {
      if (!appDb) {
        const { rows } = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = ${EMBEDDED_LOGIN_ROLE}) as ok`.execute(db);
        if (rows[0]?.ok) appDb = new Kysely<DB>({ dialect: new LoginRoleDialect(pglite, EMBEDDED_LOGIN_ROLE) });
      }
      return appDb;
    },
    mode: 'embedded',
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await appDb?.destroy();
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
  EMBEDDED_SHARED_BUFFERS_MB?: number;
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

export async function openDatabase(c: DatabaseConfigLike, opts: { operatorScope?: boolean } = {}): Promise<Database> {
  return c.DATABASE_URL ? openPostgres({ ...poolSettings({ ...c, DATABASE_URL: c.DATABASE_URL }), ...opts }) : openEmbedded(c.DATA_DIR, embeddedOptions(c));
}

/** The embedded database's options from the configuration. */
export const embeddedOptions = (c: Pick<DatabaseConfigLike, 'EMBEDDED_SHARED_BUFFERS_MB'>): EmbeddedOptions =>
  c.EMBEDDED_SHARED_BUFFERS_MB === undefined ? {} : { sharedBuffersMb: c.EMBEDDED_SHARED_BUFFERS_MB };
