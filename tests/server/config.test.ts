import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config/config.js';

describe('config', () => {
  it('applies defaults for an empty environment', () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATA_DIR).toBe('./data');
    expect(c.DEMO).toBe(true);
    expect(c.databaseMode).toBe('embedded');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.REPORT_WORKER_IDLE_SECONDS).toBe(300);
    expect(parseConfig({ REPORT_WORKER_IDLE_SECONDS: '0' }).REPORT_WORKER_IDLE_SECONDS).toBe(0);
    expect(c.EMBEDDED_SHARED_BUFFERS_MB).toBe(32);
  });

  it('opens the embedded database with the shared buffers configured', async () => {
    const { embeddedOptions } = await import('../../server/db/database.js');
    const { openEmbeddedTestDatabase } = await import('../helpers/database.js');
    const { sql } = await import('kysely');
    const database = await openEmbeddedTestDatabase(embeddedOptions(parseConfig({ EMBEDDED_SHARED_BUFFERS_MB: '48' })));
    try {
      const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(database.db);
      expect(rows[0]?.shared_buffers).toBe('48MB');
    } finally {
      await database.close();
    }
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const c = parseConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x' });
    expect(c.databaseMode).toBe('postgres');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'not-a-url'],
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['DEMO', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_URL', 'example'],
    ['REPORT_WORKER_IDLE_SECONDS', '-1'],
    ['EMBEDDED_SHARED_BUFFERS_MB', '8'],
    ['EMBEDDED_SHARED_BUFFERS_MB', 'lots'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    try {
      parseConfig({ [name]: value });
    } catch (err) {
      expect((err as Error).message).toContain(name);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('names every bad variable at once', () => {
    expect(() => parseConfig({ PORT: 'abc', DATABASE_URL: 'nope' })).toThrow(/PORT.*DATABASE_URL|DATABASE_URL.*PORT/);
  });

  it('stops the process with exit code 1 and one line, no stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'abc', DATABASE_URL: 'not-a-url', DEMO: 'false' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT/);
    expect(lines[0]).toMatch(/DATABASE_URL/);
    expect(run.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });
});
