// The A3 canvas for the dialogue session: one A3 landscape page, the blank model with its four
// quadrants, the session steps, and no figure of any group.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pdfmake from 'pdfmake';
import { describe, expect, it } from 'vitest';
import { buildDialogueCanvas } from '../../report-templates/dialogue-canvas.js';
import { configurePdfmake } from '../../server/reports/render.js';
import { fixtureResultModel } from '../fixtures/result-model.js';

const options = (lang: 'nl' | 'en') => ({ lang, branding: { name: 'Bloei & Groei Adviseurs' }, renderChart: () => ({ text: '' }) });

describe('dialogue canvas', () => {
  it('is one A3 landscape page with the blank model and the steps, in Dutch and English', async () => {
    configurePdfmake();
    const model = fixtureResultModel();
    const dir = mkdtempSync(join(tmpdir(), 'canvas-'));
    for (const lang of ['nl', 'en'] as const) {
      const doc = buildDialogueCanvas(model, options(lang));
      expect(doc).toMatchObject({ pageSize: 'A3', pageOrientation: 'landscape' });
      const pdf = Buffer.from(await pdfmake.createPdf(doc).getBuffer());
      const file = join(dir, `${lang}.pdf`);
      writeFileSync(file, pdf);
      const info = execFileSync('pdfinfo', [file]).toString();
      expect(info).toMatch(/Pages:\s+1\b/);
      expect(info).toMatch(/Page size:\s+1190\.5\d* x 841\.8\d* pts/);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      expect(text).toContain(lang === 'nl' ? 'Plaats ieder voor zich' : 'Place individually');
      expect(text).toContain(lang === 'nl' ? 'Defensief' : 'Defensive');
      expect(text).toContain('Mazereeuw');
      // The blank board: no percentages of any group.
      expect(text).not.toMatch(/\d+\s?%/);
    }
  });
});
