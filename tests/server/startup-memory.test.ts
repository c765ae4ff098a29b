// Start-up memory: the server's module graph leaves the report renderer (pdfmake, node-canvas,
// chart.js) and the workbook writer (exceljs) out; they load on the first PDF or workbook (in the
// report worker, or in this thread for the dialogue canvas, the poster and results.xlsx).
// A new embedded data directory is opened twice (so the WebAssembly memory initdb grew can be given
// back; measured in bench:scale, not asserted here: when V8 frees it is not deterministic).
// Both run the compiled server (dist/), as `npm start` does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { distReady, REPO_ROOT, SERVER_NODE_FLAGS } from '../helpers/server-process.js';

beforeAll(() => distReady(), 300_000);

describe('server start-up memory', () => {
  it('building the app module graph loads no PDF, chart or workbook library', () => {
    const script = `
      await import('./dist/server/app.js');
      const { createRequire } = await import('node:module');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      const heavy = ['/node_modules/pdfmake/', '/node_modules/exceljs/', '/node_modules/chart.js/', '/node_modules/canvas/'];
      console.log(JSON.stringify({ total: loaded.length, heavy: heavy.filter((h) => loaded.some((k) => k.includes(h))) }));
    `;
    const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { total: number; heavy: string[] };
    expect(out.total).toBeGreaterThan(10); // the app's CommonJS dependencies are there: the check can see them
    expect(out.heavy).toEqual([]);
  });

  it('a new embedded data directory, opened twice on creation, keeps what was written to it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcs-startup-memory-'));
    try {
      const script = `
        const { openEmbedded } = await import('./dist/server/db/database.js');
        const { sql } = await import('kysely');
        const d = await openEmbedded(process.argv[1]);
        await sql\`create table if not exists kept (n int)\`.execute(d.db);
        await sql\`insert into kept values (1)\`.execute(d.db);
        const { rows } = await sql\`select count(*)::int as n from kept\`.execute(d.db);
        await d.close();
        console.log(JSON.stringify({ n: rows[0].n }));
      `;
      const open = () => {
        const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '--input-type=module', '-e', script, dir], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
        expect(run.status, run.stderr).toBe(0);
        return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { n: number };
      };
      const created = open();
      const reopened = open();
      expect(created.n).toBe(1);
      expect(reopened.n).toBe(2); // the first process's row was written to the new directory
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
