// Owns the database for the app. PostgreSQL: @fastify/postgres owns the pool and Kysely wraps it.
// Embedded: PGlite. Code above this plugin sees `app.db` (Kysely<DB>) and never which one runs.
import fastifyPostgres from '@fastify/postgres';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import { embeddedOptions, guardPoolClients, kyselyOnPool, openEmbedded, pgPoolOptions, poolSettings, type Database, type DatabaseMode } from '../db/database.js';
import { hardenAndGrant, migrateToLatest } from '../db/migrate.js';
import { assertSecondWall, loginRoleOf, prepareJobSchema, singleRoleWarning } from '../db/roles.js';
import { openPostgres } from '../db/database.js';
import { setTotpEncryptionKey } from '../auth/totp-secret.js';
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
    setTotpEncryptionKey(opts.config.TOTP_ENCRYPTION_KEY);
    let database: Pick<Database, 'db' | 'mode' | 'ping' | 'appDb'>;
    if (opts.database) {
      database = opts.database;
    } else if (opts.config.DATABASE_URL) {
      const appUrl = opts.config.DATABASE_URL;
      const ownerUrl = opts.config.MIGRATION_DATABASE_URL;
      if (ownerUrl) {
        // Two roles: the owner connection lives only for the set-up below and is closed before the
        // server serves; nothing that serves requests or jobs runs as the owner.
        const appRole = loginRoleOf(appUrl);
        const owner = openPostgres({ ...poolSettings({ ...opts.config, DATABASE_URL: ownerUrl }), max: 1 });
        try {
          if (opts.migrate) {
            const applied = await migrateToLatest(owner.db, { appRole });
            if (applied.length > 0) app.log.info({ applied }, 'migrations applied');
          }
          await hardenAndGrant(owner.db, appRole);
          await prepareJobSchema(ownerUrl, []);
          await hardenAndGrant(owner.db, appRole); // pg-boss's tables exist now: grant them too
          await assertSecondWall(owner.db, appRole);
        } finally {
          await owner.close();
        }
      }
      // Outside a scope the pool's connections see no tenant row (deny by default, pgPoolOptions).
      const options = pgPoolOptions(poolSettings({ ...opts.config, DATABASE_URL: appUrl }));
      await app.register(fastifyPostgres, options as Parameters<typeof fastifyPostgres>[1]);
      // Without a listener, an idle client losing its connection would crash the process.
      app.pg.pool.on('error', (err) => app.log.warn({ err: { message: err.message } }, 'postgres pool error'));
      guardPoolClients(app.pg.pool, (err) => app.log.warn({ err: { message: err.message } }, 'postgres connection lost while in use'));
      const db = kyselyOnPool(app.pg.pool);
      // The pool belongs to @fastify/postgres, which ends it on close; Kysely is not destroyed here.
      database = { db, mode: 'postgres', ping: async () => void (await app.pg.pool.query('select 1')) };
    } else {
      const embedded = await openEmbedded(opts.config.DATA_DIR, embeddedOptions(opts.config));
      app.addHook('onClose', async () => embedded.close());
      database = embedded;
    }
    if (opts.migrate && !(database.mode === 'postgres' && opts.config.MIGRATION_DATABASE_URL && !opts.database)) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) app.log.info({ applied }, 'migrations applied');
    }
    if (database.mode === 'postgres' && !opts.config.MIGRATION_DATABASE_URL) {
      // A start while PostgreSQL is away must still come up (ready answers 503 until it returns): the
      // warning is then given without the role's attributes.
      const warning = await singleRoleWarning(database.db).catch(() => 'running without the second wall: MIGRATION_DATABASE_URL is not set, so requests and jobs connect with the one role of DATABASE_URL (development only; see docs/security.md)');
      app.log.warn(warning);
    }
    // Embedded: requests and jobs use the login-role connection (deny by default outside a scope),
    // never the opener's; migrations above ran on the opener's (the owner).
    const appDb = database.mode === 'embedded' ? await database.appDb?.() : undefined;
    app.decorate('db', appDb ?? database.db);
    app.decorate('dbInfo', { mode: database.mode, ping: () => database.ping() });
    app.decorate('backgroundStatus', new Map<string, () => ComponentStatus>());
  },
  { name: 'db' },
);
