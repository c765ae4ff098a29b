// The page layout of the demo round's reports, as users see them (issue 18, item 6): no page left
// mostly empty except where a chapter ends, no heading alone at the bottom of a page, no intervention
// split over two pages or left alone as a list's last item. The demo round is the real case (the
// interventions, the extra chapters, the action plan); it is seeded on the test database (PGlite, or
// PostgreSQL with TEST_DATABASE_URL) and rendered through the report input every download uses.
// Positions come from pdftotext -bbox (tests/report-templates/pdf-layout.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodologyFor } from '../../scans/methodology.js';
import type { Language } from '../../scans/types.js';
import { DEMO_ROUND_NAME } from '../../server/demo/demo-round.js';
import { seedDemo } from '../../server/demo/seed.js';
import { loadReportInput } from '../../server/reports/input.js';
import { ReportRenderer } from '../../server/reports/render.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { pdfPagesText, squash } from '../fixtures/pdf.js';
import { bodyLines, pageFill, pdfWords, type PageWords } from '../report-templates/pdf-layout.js';

let t: TestApp;
let roundId: string;
const renderer = new ReportRenderer();
const NOW = new Date('2026-12-01T10:00:00.000Z');

beforeAll(async () => {
  // The database with the demo seeded (once per run); seedDemo then only finds it there.
  t = await setupTestApp({}, { demo: true });
  await seedDemo(t.db);
  roundId = (await t.db.selectFrom('rounds').select('id').where('name', '=', DEMO_ROUND_NAME).executeTakeFirstOrThrow()).id;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** Words of 10.5 pt or more (h3 and up) are about 12.3 pt high in pdftotext's boxes (Roboto: 1.17 em). */
const HEADING_HEIGHT = 12;

function isHeadingLine(line: { words: { yMin: number; yMax: number }[] }): boolean {
  return line.words.every((w) => w.yMax - w.yMin >= HEADING_HEIGHT);
}

/** The pages where a chapter starts: the contents page's entries that are numbered chapters, and the action plan. */
function chapterStarts(pages: string[], lang: Language): Set<number> {
  const toc = pages[1]!.split('\n');
  const starts = new Set<number>();
  for (const line of toc) {
    // Chapters are not indented ("4 Beleid ...   18"); of the indented entries only the action plan starts a page.
    const m = /^(\d+ \S.*?)\s{2,}(\d+)\s*$/.exec(line) ?? /^\s+(Actieplan|Action plan)\s{2,}(\d+)\s*$/.exec(line);
    if (m) starts.add(Number(m[2]));
  }
  expect(starts.size, `chapters in the contents (${lang})`).toBeGreaterThanOrEqual(8);
  return starts;
}

describe('demo round reports: page layout', () => {
  for (const lang of ['nl', 'en'] as const) {
    describe(`client report (${lang})`, () => {
      let words: PageWords[];
      let pages: string[];
      let plain: string[];
      let model: Awaited<ReturnType<typeof loadReportInput>>['model'];

      beforeAll(async () => {
        const input = await loadReportInput(t.db, roundId, 'client', lang, NOW);
        model = input.model;
        const pdf = await renderer.render(input);
        words = pdfWords(pdf);
        pages = pdfPagesText(pdf, { layout: true });
        plain = pdfPagesText(pdf);
      }, 120_000);

      it('fills every page to at least a quarter; the last page of a chapter to at least a fifth', () => {
        const starts = chapterStarts(pages, lang);
        const thin = words
          .map((p, i) => ({ page: i + 1, fill: pageFill(p) }))
          .filter(({ page, fill }) => page > 2 && page < words.length && fill < (starts.has(page + 1) ? 0.2 : 0.25));
        expect(thin, thin.map((x) => `page ${x.page}: ${Math.round(x.fill * 100)}% filled`).join('; ')).toEqual([]);
      });

      it('never ends a page with a heading', () => {
        const stranded = words
          .map((p, i) => ({ page: i + 1, last: bodyLines(p).at(-1) }))
          .filter(({ page, last }) => page > 2 && last && isHeadingLine(last))
          .map(({ page, last }) => `page ${page}: "${last!.text}"`);
        expect(stranded).toEqual([]);
      });

      it('loses nothing of the blocks kept together (pdfmake drops what of an unbreakable block overflows a page)', () => {
        // Letters and digits only: pdftotext drops the hyphen of a word broken at a line end ("MKBondernemingen").
        const bare = (x: string) => x.replace(/[^\p{L}\p{N}]+/gu, '');
        const text = bare(plain.join(' '));
        const expected: string[] = [];
        for (const section of methodologyFor(lang)) {
          expected.push(section.title);
          for (const block of section.blocks) {
            if (block.kind === 'paragraph' || block.kind === 'formula') expected.push(block.text);
            if (block.kind === 'list') expected.push(...block.items);
          }
        }
        for (const m of model.mechanisms) for (const i of m.interventions ?? []) expected.push(i.text[lang]);
        // Its first and last words: a block cut off at a page end loses its end.
        for (const e of expected) {
          const words = squash(e).split(' ');
          expect(text, e.slice(0, 60)).toContain(bare(words.slice(0, 6).join(' ')));
          expect(text, e.slice(0, 60)).toContain(bare(words.slice(-4).join(' ')));
        }
      });

      it('keeps each intervention on one page, and a list\'s last intervention with the one before it', () => {
        const flat = pages.map(squash);
        /** The first page at or after `from` whose text holds `text`. */
        const pageOf = (text: string, from: number) => flat.findIndex((p, i) => i >= from && p.includes(squash(text)));
        let checked = 0;
        for (const m of model.mechanisms) {
          const list = m.interventions ?? [];
          if (list.length === 0) continue;
          const start = flat.findIndex((p) => p.includes(squash(m.name[lang])) && p.includes(lang === 'nl' ? 'MECHANISME' : 'MECHANISM'));
          expect(start, m.name[lang]).toBeGreaterThan(1);
          const at = list.map((i) => pageOf(i.text[lang], start));
          list.forEach((i, k) => {
            expect(at[k], i.text[lang]).toBeGreaterThanOrEqual(start);
            // Its basis (the statement it aims at) is printed under its title, on the same page.
            if (i.basis) expect(pageOf(i.basis[lang].slice(0, 50), at[k]!), `${i.text[lang]}: title and basis`).toBe(at[k]);
          });
          if (list.length >= 2) expect(at.at(-1), `${m.name[lang]}: the last two interventions`).toBe(at.at(-2));
          checked++;
        }
        expect(checked).toBeGreaterThanOrEqual(5);
      });
    });

    it(`director summary (${lang}): two pages, no heading at the bottom of one`, async () => {
      const pdf = await renderer.render(await loadReportInput(t.db, roundId, 'director', lang, NOW));
      const words = pdfWords(pdf);
      expect(words.length).toBe(2);
      for (const p of words) {
        const last = bodyLines(p).at(-1);
        expect(last && isHeadingLine(last), last?.text).toBe(false);
      }
    }, 60_000);
  }
});
