// Owns the database for the app. PostgreSQL: @fastify/postgres owns the pool and Kysely wraps it.
// Embedded: PGlite. Code above this plugin sees `app.db` (Kysely<DB>) and never which one runs.
import fastifyPostgres from '@fastify/postgres';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import { guardPoolClients, kyselyOnPool, openEmbedded, pgPoolOptions, poolSettings, type Database, type DatabaseMode } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DB } from '../db/schema.js';

/** What a background component (the report batch runner) says about itself in /health/ready. */
export interface ComponentStatus {
  state: 'idle' | 'starting' | 'running' | 'retrying' | 'stopped';
  error?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>;
    dbInfo: { mode: DatabaseMode; ping(): Promise<void> };
    /** Background work that depends on the database registers its status here (see /health/ready). */
    backgroundStatus: Map<string, () => ComponentStatus>;
  }
}

export interface DbPluginOptions {
  config: Config;
  /** A database the caller owns and closes (tests, CLI); otherwise one is opened from config. */
  database?: Database;
  migrate?: boolean;
}

export default fp<DbPluginOptions>(
  async (app, opts) => {
    let database: Pick<Database, 'db' | 'mode' | 'ping'>;
    if (opts.database) {
      database = opts.database;
    } else if (opts.config.DATABASE_URL) {
      const options = pgPoolOptions(poolSettings({ ...opts.config, DATABASE_URL: opts.config.DATABASE_URL }));
      await app.register(fastifyPostgres, options as Parameters<typeof fastifyPostgres>[1]);
      // Without a listener, an idle client losing its connection would crash the process.
      app.pg.pool.on('error', (err) => app.log.warn({ err: { message: err.message } }, 'postgres pool error'));
      guardPoolClients(app.pg.pool, (err) => app.log.warn({ err: { message: err.message } }, 'postgres connection lost while in use'));
      const db = kyselyOnPool(app.pg.pool);
      // The pool belongs to @fastify/postgres, which ends it on close; Kysely is not destroyed here.
      database = { db, mode: 'postgres', ping: async () => void (await app.pg.pool.query('select 1')) };
    } else {
      const embedded = await openEmbedded(opts.config.DATA_DIR);
      app.addHook('onClose', async () => embedded.close());
      database = embedded;
    }
    if (opts.migrate) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) app.log.info({ applied }, 'migrations applied');
    }
    app.decorate('db', database.db);
    app.decorate('dbInfo', { mode: database.mode, ping: () => database.ping() });
    app.decorate('backgroundStatus', new Map<string, () => ComponentStatus>());
  },
  { name: 'db' },
);
