// The pdfmake/pdfkit prototype patches of server/reports/render.ts (issue 11 item 6): pdfmake and
// pdfkit are pinned to the exact versions the patches were written for, a patch whose target is
// missing throws instead of silently doing nothing, and every patch is on the path of a real render.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import { describe, expect, it } from 'vitest';
import { configurePdfmake, PATCH_CALLS, patchTarget, ReportRenderer, type PdfPatch } from '../../server/reports/render.js';
import { fixtureResultModel } from '../fixtures/result-model.js';
import { pdfPageCount } from '../fixtures/pdf.js';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

describe('pdfmake patches', () => {
  it('pdfmake and pdfkit are pinned exactly, and the installed versions are the pinned ones', () => {
    expect(pkg.dependencies.pdfmake).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies.pdfkit).toMatch(/^\d+\.\d+\.\d+$/);
    expect((require('pdfmake/package.json') as { version: string }).version).toBe(pkg.dependencies.pdfmake);
    // The pdfkit pdfmake itself loads (the copy the patches change).
    const fromPdfmake = createRequire(require.resolve('pdfmake'));
    expect((fromPdfmake('pdfkit/package.json') as { version: string }).version).toBe(pkg.dependencies.pdfkit);
  });

  it('a patch whose target is missing throws, naming it', () => {
    class Renamed {
      processNodeRenamed(): void {}
    }
    expect(() => patchTarget('noEmptyPages', 'LayoutBuilder', Renamed.prototype, 'processNode')).toThrow(/noEmptyPages: LayoutBuilder\.prototype\.processNode is missing/);
    expect(() => patchTarget('styleLookup', 'StyleContextStack', undefined, 'getProperty')).toThrow(/styleLookup/);
    expect(patchTarget('noEmptyPages', 'Renamed', Renamed.prototype, 'processNodeRenamed')).toBe(Renamed.prototype.processNodeRenamed);
  });

  it('every patch runs during a real render (client report with charts)', async () => {
    const renderer = new ReportRenderer();
    for (const k of Object.keys(PATCH_CALLS) as PdfPatch[]) PATCH_CALLS[k] = 0;
    const pdf = await renderer.render({ type: 'client', lang: 'nl', model: fixtureResultModel(), branding: { name: 'Bureau', accentColor: null, logo: null, logoMime: null } });
    expect(pdfPageCount(pdf)).toBeGreaterThan(5);
    for (const [patch, calls] of Object.entries(PATCH_CALLS)) expect(calls, patch).toBeGreaterThan(0);
  }, 60_000);

  it('noEmptyPages takes effect: a chapter break after a block that ends near the bottom adds no empty page', async () => {
    configurePdfmake();
    // The first block fills page 1 to its bottom margin; its bottom margin moves pdfmake to page 2,
    // and the next block's pageBreak 'before' would then open page 3, leaving page 2 empty.
    const doc = {
      pageSize: 'A4' as const,
      pageMargins: [40, 40, 40, 40] as [number, number, number, number],
      content: [
        { canvas: [{ type: 'rect' as const, x: 0, y: 0, w: 10, h: 841.89 - 80 - 1 }], margin: [0, 0, 0, 20] as [number, number, number, number] },
        { text: 'Chapter 2', pageBreak: 'before' as const },
      ],
    };
    const calls = PATCH_CALLS.noEmptyPages;
    const pdf = Buffer.from(await pdfmake.createPdf(doc).getBuffer());
    expect(PATCH_CALLS.noEmptyPages).toBeGreaterThan(calls);
    expect(pdfPageCount(pdf)).toBe(2);
  });
});
