// `npm run report`: one round, the demo, and a batch with a failing report, called in-process through
// runReportCli (the same function the script runs). The round and batch cases use this file's test
// database (PGlite in a temp dir, or PostgreSQL when TEST_DATABASE_URL is set); --demo always uses the
// embedded database in DATA_DIR.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbedded, type Database } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { runReportCli, type ReportCliIo } from '../../server/cli/report.js';
import { createTestDatabase, prepareDataDir, TEST_DATABASE_URL, type TestDatabase } from '../helpers/database.js';
import { createTenant } from '../helpers/auth.js';
import { pdfText, squash } from '../fixtures/pdf.js';

function capture(): ReportCliIo & { out: string; err: string } {
  const io = { out: '', err: '', tty: false, stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
}

let dir: string;
let env: Record<string, string | undefined>;
let testDb: TestDatabase | undefined;
let database: Database | undefined;
let roundId: string;
let purgedRoundId: string;
let openRoundId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lcs-report-cli-'));
  // The CLI opens the database itself: PostgreSQL by URL, or PGlite in DATA_DIR (closed again before the CLI runs).
  let db;
  if (TEST_DATABASE_URL) {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    env = { NODE_ENV: 'test', DATABASE_URL: testDb.url, DATA_DIR: join(dir, 'data') };
  } else {
    await prepareDataDir(join(dir, 'rounds')); // the migrated template, on disk
    database = await openEmbedded(join(dir, 'rounds'));
    await migrateToLatest(database.db);
    db = database.db;
    env = { NODE_ENV: 'test', DATA_DIR: join(dir, 'rounds') };
  }
  const tenant = await createTenant(db, { organisationName: 'Stichting Één Lijn' });
  const round = (name: string) =>
    db
      .insertInto('rounds')
      .values({
        organisation_id: tenant.organisationId,
        name,
        instrument_id: 'culture-scan@1',
        modules: ['culture_scan'],
        languages: ['nl', 'en'],
        status: 'closed',
        opened_at: new Date('2026-03-01T08:00:00Z'),
        closed_at: new Date('2026-03-31T18:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  roundId = (await round('Voorjaarsmeting')).id;
  purgedRoundId = (await round('Gewiste meting')).id;
  await db.updateTable('rounds').set({ raw_purged_at: new Date() }).where('id', '=', purgedRoundId).execute();
  openRoundId = (await round('Lopende meting')).id;
  await db.updateTable('rounds').set({ status: 'open', closed_at: null }).where('id', '=', openRoundId).execute();
  await database?.close();
}, 120_000);

afterAll(async () => {
  await testDb?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run report', () => {
  it('writes the report of one round', async () => {
    const io = capture();
    const out = join(dir, 'one.pdf');
    const code = await runReportCli(['--round', roundId, '--type', 'director', '--lang', 'en', '--out', out], env, io);
    expect(code, io.err).toBe(0);
    expect(io.out).toContain(out);
    expect(squash(pdfText(readFileSync(out)))).toContain('Summary for the board');
  }, 120_000);

  it('rejects bad arguments with exit code 2 and the usage', async () => {
    for (const args of [['--round', roundId, '--type', 'annual'], ['--round', roundId, '--lang', 'de'], ['--round', 'not-a-uuid'], [], ['--demo', '--round', roundId], ['--colour', 'red']]) {
      const io = capture();
      expect(await runReportCli(args, env, io), args.join(' ')).toBe(2);
      expect(io.err).toContain('Usage:');
    }
  });

  it('runs a batch with a progress bar, retries the failing report and exits 1 naming it', async () => {
    const jobsFile = join(dir, 'jobs.json');
    writeFileSync(
      jobsFile,
      JSON.stringify([
        { roundId, type: 'client', lang: 'nl' },
        { roundId: purgedRoundId, type: 'client', lang: 'nl' },
        { roundId, type: 'director', lang: 'nl' },
      ]),
    );
    const outDir = join(dir, 'batch');
    const io = capture();
    const code = await runReportCli(['--batch', jobsFile, '--out-dir', outDir], env, io);
    expect(code).toBe(1);
    expect(io.err).toMatch(/\[#+\] 3\/3 {2}done 2 · failed 1/);
    expect(io.err).toContain('FAILED after 3 attempts: 2-leercultuurscan-stichting-een-lijn-gewiste-meting-rapport-nl.pdf: raw_answers_purged');
    expect(readdirSync(outDir).sort()).toEqual(['1-leercultuurscan-stichting-een-lijn-voorjaarsmeting-rapport-nl.pdf', '3-leercultuurscan-stichting-een-lijn-voorjaarsmeting-directiesamenvatting-nl.pdf']);
    expect(squash(pdfText(readFileSync(join(outDir, readdirSync(outDir).sort()[0]!))))).toContain('Stichting Één Lijn');
  }, 180_000);

  it('refuses a batch with an unknown round before doing anything', async () => {
    const jobsFile = join(dir, 'unknown.json');
    writeFileSync(jobsFile, JSON.stringify({ jobs: [{ roundId: '00000000-0000-4000-8000-000000000000', type: 'client' }] }));
    const io = capture();
    expect(await runReportCli(['--batch', jobsFile, '--out-dir', join(dir, 'none')], env, io)).toBe(2);
    expect(io.err).toContain('Unknown round(s): 00000000-0000-4000-8000-000000000000');
    expect(existsSync(join(dir, 'none'))).toBe(false);
  }, 60_000);

  it('refuses a round that is not closed, alone or in a batch, before writing anything', async () => {
    const io = capture();
    const out = join(dir, 'open.pdf');
    expect(await runReportCli(['--round', openRoundId, '--type', 'client', '--out', out], env, io)).toBe(1);
    expect(io.err).toContain('round_not_closed');
    expect(existsSync(out)).toBe(false);
    const jobsFile = join(dir, 'open.json');
    writeFileSync(jobsFile, JSON.stringify([{ roundId, type: 'client' }, { roundId: openRoundId, type: 'director' }]));
    const batchIo = capture();
    expect(await runReportCli(['--batch', jobsFile, '--out-dir', join(dir, 'open-batch')], env, batchIo)).toBe(1);
    expect(batchIo.err).toContain(`round_not_closed): ${openRoundId}`);
    expect(existsSync(join(dir, 'open-batch'))).toBe(false);
  }, 60_000);

  it('renders the demo organisation from the embedded database with --demo', async () => {
    const io = capture();
    const out = join(dir, 'demo.pdf');
    const code = await runReportCli(['--demo', '--out', out], { NODE_ENV: 'test', DATA_DIR: join(dir, 'demo-data') }, io);
    expect(code, io.err).toBe(0);
    const text = squash(pdfText(readFileSync(out)));
    expect(text).toContain('(DEMO)');
    expect(text).toContain('Leercultuur in beeld');
  }, 300_000);
});
