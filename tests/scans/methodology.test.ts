import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METHODOLOGY, methodologyFor, renderMethodologyMarkdown } from '../../scans/methodology.js';

const docPath = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url));
const doc = (name: string) => readFileSync(docPath(name), 'utf8');

// After editing scans/methodology.ts, regenerate the docs with:
//   UPDATE_METHODOLOGY_DOCS=1 npx vitest run tests/scans/methodology.test.ts
if (process.env.UPDATE_METHODOLOGY_DOCS === '1') {
  writeFileSync(docPath('methodology.md'), renderMethodologyMarkdown('en'));
  writeFileSync(docPath('methodology.nl.md'), renderMethodologyMarkdown('nl'));
}

describe('methodology', () => {
  it('covers every rule the scoring implements', () => {
    expect(METHODOLOGY.map((s) => s.id)).toEqual([
      'purpose',
      'answer_scale',
      'scale_scores',
      'spread_and_confidence',
      'favourable_and_distribution',
      'bands_and_advice',
      'reliability',
      'perspectives',
      'differences',
      'benchmarks',
      'percentile_rank',
      'dialogue_model',
      'checklist_and_factors',
      'anonymity',
    ]);
  });

  it('has every text in both languages', () => {
    for (const lang of ['nl', 'en'] as const) {
      for (const section of methodologyFor(lang)) {
        expect(section.title.length).toBeGreaterThan(3);
        for (const b of section.blocks) {
          if (b.kind === 'paragraph' || b.kind === 'formula') expect(b.text.length).toBeGreaterThan(5);
          if (b.kind === 'table') for (const row of b.rows) expect(row.every((c) => c.length > 0)).toBe(true);
        }
      }
    }
  });

  it('docs/methodology.md and docs/methodology.nl.md are the rendered text', () => {
    expect(doc('methodology.md')).toBe(renderMethodologyMarkdown('en'));
    expect(doc('methodology.nl.md')).toBe(renderMethodologyMarkdown('nl'));
  });

  it('quotes the minimum items and the t values the code uses', () => {
    const en = renderMethodologyMarkdown('en');
    expect(en).toContain('| 7 | 5 |');
    expect(en).toContain('| 6 | 4 |');
    expect(en).toContain('| 5 | 4 |');
    expect(en).toContain('12.706');
    expect(renderMethodologyMarkdown('nl')).toContain('23,7%');
  });
});
