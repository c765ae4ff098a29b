// `npm run db:migrate`: applies pending migrations to the configured database and exits. With
// MIGRATION_DATABASE_URL it migrates as that owner and grants DATABASE_URL's role (docs/security.md).
import { ConfigError, parseConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { hardenAndGrant, migrateToLatest } from '../db/migrate.js';
import { loginRoleOf } from '../db/roles.js';

try {
  const config = parseConfig(process.env);
  const owner = config.MIGRATION_DATABASE_URL;
  const appRole = owner && config.DATABASE_URL ? loginRoleOf(config.DATABASE_URL) : undefined;
  const database = await openDatabase(owner ? { ...config, DATABASE_URL: owner } : config);
  try {
    const applied = await migrateToLatest(database.db, { appRole });
    if (owner) await hardenAndGrant(database.db, appRole);
    process.stdout.write(
      applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'Database is up to date.\n',
    );
  } finally {
    await database.close();
  }
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`}\n`);
  process.exit(1);
}
