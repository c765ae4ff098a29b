// Start-up memory: the server's module graph leaves the report renderer (pdfmake, node-canvas,
// chart.js) and the workbook writer (exceljs) out; they load on the first PDF or workbook (in the
// report worker, or in this thread for the dialogue canvas, the poster and results.xlsx).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('server start-up imports', () => {
  it('building the app module graph loads no PDF, chart or workbook library', () => {
    const script = `
      await import('./server/app.ts');
      const { createRequire } = await import('node:module');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      const heavy = ['/node_modules/pdfmake/', '/node_modules/exceljs/', '/node_modules/chart.js/', '/node_modules/canvas/'];
      console.log(JSON.stringify({ total: loaded.length, heavy: heavy.filter((h) => loaded.some((k) => k.includes(h))) }));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { total: number; heavy: string[] };
    expect(out.total).toBeGreaterThan(10); // the app's CommonJS dependencies are there: the check can see them
    expect(out.heavy).toEqual([]);
  });
});
