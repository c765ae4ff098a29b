// Runs once per vitest run, before any test file: makes the migrated database every test file starts
// from, so a file loads a data-directory dump (~0.6 s) instead of running initdb and the migrations.
// Embedded: a PGlite dump in the OS temp directory, keyed by the migrations' source and the PGlite
// version, so a change to either makes a new one. PostgreSQL: a template database with the same key.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../server/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite data-directory dump (embedded runs). */
    embeddedTemplatePath?: string;
    /** Name of the migrated template database (PostgreSQL runs). */
    postgresTemplate?: string;
  }
}

function templateKey(): string {
  const hash = createHash('sha256');
  const root = resolve(import.meta.dirname, '../..');
  const dir = join(root, 'migrations');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  // The PGlite version (a dump is only good for the PostgreSQL build that wrote it).
  hash.update(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json')));
  return hash.digest('hex').slice(0, 16);
}

async function embeddedTemplate(key: string): Promise<string> {
  const dir = join(tmpdir(), 'leercultuurscan-tests');
  const path = join(dir, `template-${key}.tar`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create();
  const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) });
  try {
    await migrateToLatest(db);
    const dump = await pglite.dumpDataDir('none');
    // Write then rename: another run (another worktree) may be making the same file at once.
    const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    await db.destroy();
  }
  return path;
}

async function postgresTemplate(url: string, key: string): Promise<string> {
  const name = `lcs_template_${key}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ ok: boolean }>(
      `select exists (select 1 from pg_database where datname = $1 and datistemplate) as ok`,
      [name],
    );
    if (rows[0]?.ok) return name;
    // A half-made one (a run that died while migrating) is not a template yet: start over.
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: target.toString(), max: 1 });
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    // Marked only once complete; no connection may stay open on a template.
    await admin.query(`alter database ${name} with is_template true allow_connections false`);
    return name;
  } finally {
    await admin.end();
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const key = templateKey();
  const url = process.env.TEST_DATABASE_URL || undefined;
  if (url) project.provide('postgresTemplate', await postgresTemplate(url, key));
  else project.provide('embeddedTemplatePath', await embeddedTemplate(key));
}
