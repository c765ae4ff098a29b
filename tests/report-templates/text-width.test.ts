// report-templates/text-width.ts holds Roboto's advance widths as data (templates do no I/O); they
// must be the widths of the font files pdfmake embeds, or SVG labels would be wrapped to a wrong width.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { textWidth, wrapToWidth } from '../../report-templates/text-width.js';
import { ROBOTO } from '../../server/reports/fonts.js';

const require = createRequire(createRequire(import.meta.url).resolve('pdfmake'));
const PDFDocument = require('pdfkit') as new () => { font(path: string): { fontSize(n: number): { widthOfString(s: string): number } } };

const SAMPLES = [
  'Offensief: economische/ecologische groei bevorderen',
  'Preventive: promote personal growth',
  'Ik heb er vertrouwen in dat ik nieuwe vaardigheden onder de knie kan krijgen.',
  'Zorgcoöperatie – Cliëntenservice “één” naïef −0,12 … α',
  'WWW MMM iii lll 0123456789 %&()/',
];

describe('Roboto widths', () => {
  for (const [face, path, bold] of [['Regular', ROBOTO.normal, false], ['Medium (bold)', ROBOTO.bold, true]] as const) {
    it(`match the font file pdfmake embeds (${face}) to within a point per 100 pt`, () => {
      const doc = new PDFDocument().font(path).fontSize(10);
      for (const s of SAMPLES) {
        const want = doc.widthOfString(s);
        expect(Math.abs(textWidth(s, 10, bold) - want), s).toBeLessThanOrEqual(Math.max(0.3, want * 0.01));
      }
    });
  }

  it('wrap never loses or reorders a word and keeps every line within the width where a word fits', () => {
    const text = SAMPLES.join(' ');
    for (const width of [60, 90, 140, 220]) {
      const lines = wrapToWidth(text, width, 8);
      expect(lines.join(' ').replace(/\/ /g, '/').replace(/- /g, '-')).toBe(text);
      for (const l of lines) if (!/^\S+$/.test(l)) expect(textWidth(l, 8), l).toBeLessThanOrEqual(width);
    }
  });
});
