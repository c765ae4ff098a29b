// Runs once per vitest run, before any test file: makes the migrated database every test file starts
// from, so a file loads a data-directory dump (~0.6 s) instead of running initdb and the migrations.
// Embedded: a PGlite dump in the OS temp directory, keyed by the migrations' source and the PGlite
// version, so a change to either makes a new one. PostgreSQL: a template database with the same key.
// Also a second one with the demo data seeded on it (seedDemo costs ~5 s of CPU; a dozen files use the
// demo), keyed by all server, scans, report-templates and migrations source and the day, and the
// compiled server (dist/, `npm run build`) that process tests spawn, built in the background when stale.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../server/db/database.js';
import type { DB } from '../../server/db/schema.js';
import { sharedParsers } from '../../server/db/type-parsers.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { seedDemo } from '../../server/demo/seed.js';
import { useTestPasswordHashing } from '../../server/lib/crypto.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite data-directory dump (embedded runs). */
    embeddedTemplatePath?: string;
    /** Path of the migrated PGlite dump with the demo data seeded (embedded runs). */
    embeddedDemoTemplatePath?: string;
    /** Name of the migrated template database (PostgreSQL runs). */
    postgresTemplate?: string;
    /** Name of the migrated template database with the demo data seeded (PostgreSQL runs). */
    postgresDemoTemplate?: string;
    /** A file written once `tsc -b tsconfig.build.json` has finished: `{ code, output }` (see server-process.ts). */
    distBuildDone?: string;
  }
}

const ROOT = resolve(import.meta.dirname, '../..');
const DIR = join(tmpdir(), 'leercultuurscan-tests');

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, path);
    else if (entry.isFile()) hash.update(path.slice(ROOT.length)).update(readFileSync(path));
  }
}

function templateKey(): string {
  const hash = createHash('sha256');
  const dir = join(ROOT, 'migrations');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  // The PGlite version (a dump is only good for the PostgreSQL build that wrote it).
  hash.update(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json')));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The demo data depends on the seeding code and everything it calls (the results engine, the
 * instruments), so on all of it. The day is part of the key too: rows the seed leaves to `now()`
 * defaults (created_at) are at most a day old, as they would be in a long run.
 */
function demoKey(base: string): string {
  const hash = createHash('sha256').update(base);
  for (const dir of ['server', 'scans', 'report-templates', 'migrations']) hashTree(hash, join(ROOT, dir));
  return `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}_${hash.digest('hex').slice(0, 12)}`;
}

function writeAtomically(path: string, data: Buffer): void {
  // Write then rename: another run (another worktree) may be making the same file at once.
  const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, path);
}

async function embeddedTemplate(key: string): Promise<string> {
  const path = join(DIR, `template-${key}.tar`);
  if (existsSync(path)) return path;
  mkdirSync(DIR, { recursive: true });
  const pglite = await PGlite.create();
  const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) });
  try {
    await migrateToLatest(db);
    writeAtomically(path, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  } finally {
    await db.destroy();
  }
  return path;
}

async function embeddedDemoTemplate(templatePath: string, key: string): Promise<string> {
  const path = join(DIR, `demo-${key}.tar`);
  // Old demo dumps (other days, other sources) are ~40 MB each: keep two days' worth.
  for (const f of readdirSync(DIR)) {
    const p = join(DIR, f);
    if (f.startsWith('demo-') && p !== path && Date.now() - statSync(p).mtimeMs > 2 * 86_400_000) rmSync(p, { force: true });
  }
  if (existsSync(path)) return path;
  // The parsers the app's connection uses (openEmbedded), so the seed reads back what it would there.
  const pglite = await PGlite.create({ loadDataDir: new Blob([readFileSync(templatePath)]), parsers: sharedParsers });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    writeAtomically(path, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  } finally {
    await db.destroy();
  }
  return path;
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A template database `name`, made by `fill` on a new database (from `from`, if given) unless it exists. */
async function postgresTemplateDatabase(url: string, name: string, from: string | undefined, fill: (url: string) => Promise<void>): Promise<string> {
  const exists = await admin(url, async (c) => {
    const { rows } = await c.query<{ ok: boolean }>(`select exists (select 1 from pg_database where datname = $1 and datistemplate) as ok`, [name]);
    if (rows[0]?.ok) return true;
    // A half-made one (a run that died while filling it) is not a template yet: start over.
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(from ? `create database ${name} template ${from}` : `create database ${name}`);
    return false;
  });
  if (exists) return name;
  const target = new URL(url);
  target.pathname = `/${name}`;
  await fill(target.toString());
  // Marked only once complete; no connection may stay open on a template.
  await admin(url, (c) => c.query(`alter database ${name} with is_template true allow_connections false`));
  return name;
}

async function postgresDemoTemplate(url: string, template: string, key: string): Promise<string> {
  const name = `lcs_demo_${key}`;
  // Demo templates of earlier days are stale: drop them (their names start with the day).
  const day = key.slice(0, 8);
  await admin(url, async (c) => {
    const { rows } = await c.query<{ datname: string }>(`select datname from pg_database where datname like 'lcs\\_demo\\_%' and datname not like $1`, [`lcs\\_demo\\_${day}\\_%`]);
    for (const { datname } of rows) {
      await c.query(`alter database ${datname} with is_template false allow_connections true`);
      await c.query(`drop database if exists ${datname} with (force)`);
    }
  });
  return postgresTemplateDatabase(url, name, template, async (target) => {
    // The connection tests seed through (openPostgres: the app's type parsers).
    const database = openPostgres({ connectionString: target, max: 1, connectTimeoutMs: 5000, statementTimeoutMs: 120_000 });
    try {
      await migrateToLatest(database.db);
      await seedDemo(database.db);
    } finally {
      await database.close();
    }
  });
}

/**
 * Starts `tsc -b tsconfig.build.json` (what `npm run build` runs; a no-op in ~1 s when dist/ is
 * current) in the background and returns the file it writes when done. The process tests spawn the
 * compiled server, as `npm start` runs it; they wait for this file (tests/helpers/server-process.ts).
 */
function buildDist(): { done: string; stop: () => void } {
  mkdirSync(DIR, { recursive: true });
  const done = join(DIR, `dist-build-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const tsc = spawn(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  tsc.stdout.on('data', (d: Buffer) => (output += d.toString()));
  tsc.stderr.on('data', (d: Buffer) => (output += d.toString()));
  tsc.on('exit', (code, signal) => writeFileSync(done, JSON.stringify({ code: code ?? signal, output })));
  tsc.on('error', (err) => writeFileSync(done, JSON.stringify({ code: 'error', output: String(err) })));
  return {
    done,
    stop() {
      // A short run that spawned no server may end before the build: stop it (tsc writes its build
      // info last, so the next build redoes whatever this one had not finished).
      if (tsc.exitCode === null && tsc.signalCode === null) tsc.kill('SIGTERM');
      rmSync(done, { force: true });
    },
  };
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dist = buildDist();
  project.provide('distBuildDone', dist.done);
  // The demo users' passwords are hashed as the test files would hash them (tests/helpers/setup.ts).
  useTestPasswordHashing();
  const key = templateKey();
  const url = process.env.TEST_DATABASE_URL || undefined;
  // The embedded template on both drivers: some files use one embedded database either way
  // (openEmbeddedTestDatabase in database.ts).
  const template = await embeddedTemplate(key);
  project.provide('embeddedTemplatePath', template);
  if (url) {
    const pgTemplate = await postgresTemplateDatabase(url, `lcs_template_${key}`, undefined, async (target) => {
      const pool = new pg.Pool({ connectionString: target, max: 1 });
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
      try {
        await migrateToLatest(db);
      } finally {
        await db.destroy();
      }
    });
    project.provide('postgresTemplate', pgTemplate);
    project.provide('postgresDemoTemplate', await postgresDemoTemplate(url, pgTemplate, demoKey(key)));
  } else {
    project.provide('embeddedDemoTemplatePath', await embeddedDemoTemplate(template, demoKey(key)));
  }
  return () => dist.stop();
}
