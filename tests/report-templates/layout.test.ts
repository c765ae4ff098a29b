// The text layout of the rendered reports (issue 18, item 6): quadrant labels whole and inside their
// quadrant, statement texts whole in the item charts, no bar label crossed by the 50% line, the
// module chapters before the appendix, and the client-facing words (comparison group, distance,
// negative alpha, an uploaded benchmark's n). Read back from the PDF with pdftotext (-bbox for
// positions); the fixture model of tests/fixtures, changed per test where it lacks the case.
import { beforeAll, describe, expect, it } from 'vitest';
import { wrapToWidth, textWidth } from '../../report-templates/text-width.js';
import type { ResultModel } from '../../scans/result-model.js';
import { ReportRenderer, type RenderInput } from '../../server/reports/render.js';
import { fixtureResultModel } from '../fixtures/result-model.js';
import { pdfPagesText, pdfText, squash } from '../fixtures/pdf.js';
import { pdfWords, type PageWords, type Word } from './pdf-layout.js';

const branding = { name: 'Bloei & Groei Adviseurs', accentColor: '#7a2e5c', logo: null, logoMime: null };
let renderer: ReportRenderer;
beforeAll(() => {
  renderer = new ReportRenderer();
});
const input = (model: ResultModel, extra: Partial<RenderInput> = {}): RenderInput => ({ type: 'client', lang: 'nl', model, branding, date: '2026-10-12T10:00:00.000Z', ...extra });

/** Text with line breaks after a slash undone ("economische/ ecologische" -> "economische/ecologische"). */
const joined = (text: string) => squash(text).replace(/\/ /g, '/');

const QUADRANT = {
  nl: { reactive: 'REACTIEF', offensive: ['Offensief', 'economische/ecologische groei bevorderen'], preventive: ['Preventief', 'persoonlijke groei bevorderen'] },
  en: { reactive: 'REACTIVE', offensive: ['Offensive', 'promote economic/ecological growth'], preventive: ['Preventive', 'promote personal growth'] },
} as const;

/**
 * The words of a quadrant label: its name, and every word of its description in the lines under it
 * (within 40 pt), wherever pdftotext puts them in reading order. Null when a word is missing.
 */
function labelWords(page: PageWords, name: string, description: string): Word[] | null {
  const parts = (w: Word) => w.text.split('/').filter(Boolean);
  for (const head of page.words.filter((w) => w.text === name)) {
    const near = page.words.filter((w) => w !== head && w.yMin >= head.yMax - 1 && w.yMin <= head.yMax + 40 && Math.abs(w.xMin - head.xMin) < 160);
    const found: Word[] = [head];
    const wanted = description.split(/[\s/]+/).filter(Boolean);
    const pool = [...near];
    // The nearest word of that text: both bottom quadrants' descriptions end in "groei bevorderen".
    const distance = (w: Word) => Math.hypot(w.xMin - head.xMin, w.yMin - head.yMin);
    const ok = wanted.every((x) => {
      const matches = pool.filter((w) => parts(w).includes(x)).sort((a, b) => distance(a) - distance(b));
      const i = matches.length > 0 ? pool.indexOf(matches[0]!) : -1;
      if (i < 0) return false;
      found.push(pool[i]!);
      if (parts(pool[i]!).length <= 1) pool.splice(i, 1);
      return true;
    });
    if (ok) return found;
  }
  return null;
}

/** The words of `phrase` in a row, as pdftotext reads them. */
function phraseWords(page: PageWords, phrase: string): Word[] | null {
  const want = phrase.split(/\s+/).filter(Boolean);
  for (let i = 0; i + want.length <= page.words.length; i++) {
    if (want.every((x, k) => page.words[i + k]!.text === x)) return page.words.slice(i, i + want.length);
  }
  return null;
}

describe('the dialogue quadrant', () => {
  for (const lang of ['nl', 'en'] as const) {
    for (const type of ['client', 'director'] as const) {
      it(`${type} report (${lang}): every quadrant's name and description are printed whole, inside their quadrant`, async () => {
        const pdf = await renderer.render(input(fixtureResultModel(), { type, lang }));
        const q = QUADRANT[lang];
        const pages = pdfWords(pdf);
        const page = pages.find((p) => p.words.some((w) => w.text === q.reactive));
        expect(page, 'the page with the quadrant').toBeDefined();
        // The vertical axis runs through the middle of the "REACTIEF" label above the square.
        const axis = page!.words.find((w) => w.text === q.reactive)!;
        const middle = (axis.xMin + axis.xMax) / 2;
        for (const [side, [name, description]] of [['left', q.offensive], ['right', q.preventive]] as const) {
          const words = labelWords(page!, name, description);
          expect(words, `"${name}: ${description}" whole on the page`).not.toBeNull();
          for (const w of words!) {
            if (side === 'left') expect(w.xMax, `"${w.text}" left of the axis`).toBeLessThan(middle - 2);
            else expect(w.xMin, `"${w.text}" right of the axis`).toBeGreaterThan(middle + 2);
          }
        }
        expect(pdfText(pdf)).not.toContain('…');
      });
    }
  }

  it('wraps a description to the measured width, at spaces or after a slash, without dropping a word', () => {
    const lines = wrapToWidth('economische/ecologische groei bevorderen', 74, 7.5);
    expect(lines.join(' ').replace(/\/ /g, '/')).toBe('economische/ecologische groei bevorderen');
    for (const l of lines) expect(textWidth(l, 7.5)).toBeLessThanOrEqual(74);
    expect(lines[0]).toBe('economische/');
  });
});

describe('the item charts', () => {
  it('print every statement in full, however long, beside its bar', async () => {
    const model = fixtureResultModel();
    const long =
      'Als ik een nieuwe taak krijg, weet ik bij wie ik terecht kan voor uitleg, voor feedback op wat ik heb gedaan en voor een gesprek over wat ik er de volgende keer anders aan zou willen doen, ook als dat buiten mijn eigen team is';
    model.mechanisms[0]!.items[2]!.text = { nl: long, en: long };
    const pdf = await renderer.render(input(model));
    const pages = pdfPagesText(pdf).map(joined);
    model.mechanisms.forEach((m, i) => {
      const page = pages.find((p) => p.includes(`3.${i + 1} ${m.name.nl}`) && p.includes('MECHANISME'));
      expect(page, m.name.nl).toBeDefined();
      m.items.forEach((it, k) => expect(page, `statement ${k + 1} of ${m.name.nl}`).toContain(squash(`${k + 1}. ${it.text.nl}${it.reverse ? ' (o)' : ''}`)));
    });
    expect(pdfText(pdf)).not.toContain('…');
  });
});

describe('bar labels and reference lines', () => {
  for (const lang of ['nl', 'en'] as const) {
    it(`no share in the checklist chart is crossed by its 50% line (${lang})`, async () => {
      const pdf = await renderer.render(input(fixtureResultModel(), { lang }));
      const pages = pdfWords(pdf);
      const share = lang === 'nl' ? /^\d+,\d%$/ : /^\d+\.\d%$/;
      // The checklist page: its axis ticks and the shares with one decimal (45,0%).
      const page = pages.find((p) => p.words.some((w) => w.text === '50%') && p.words.filter((w) => share.test(w.text)).length >= 5);
      expect(page).toBeDefined();
      const tick = page!.words.filter((w) => w.text === '50%').at(-1)!;
      const line = (tick.xMin + tick.xMax) / 2;
      const labels = page!.words.filter((w) => share.test(w.text) && w.yMax < tick.yMin);
      expect(labels.map((w) => w.text)).toContain(lang === 'nl' ? '45,0%' : '45.0%');
      for (const w of labels) expect(w.xMax < line - 1 || w.xMin > line + 1, `${w.text} at ${w.xMin.toFixed(1)}–${w.xMax.toFixed(1)}, line at ${line.toFixed(1)}`).toBe(true);
    });
  }
});

describe('chapter order and client-facing words', () => {
  it('the extra chapters (roles, who learns less, modules) come before the appendix, numbered in turn', async () => {
    const extras = {
      roles: { groups: [{ group: 'hr', label: { nl: 'HR', en: 'HR' }, hidden: false, n: 6, mechanisms: [{ mechanismId: 'self_direction', mean: 3.4 }] }] },
      learnsLess: { groups: [] },
      motivation: { included: false, groups: [] },
      learningMix: { included: false, groups: [] },
      open: { included: false, minimum: 10, groups: [] },
    } as unknown as NonNullable<RenderInput['extras']>;
    const pdf = await renderer.render(input(fixtureResultModel(), { extras }));
    const pages = pdfPagesText(pdf).map(squash);
    const roles = pages.findIndex((p, i) => i > 1 && p.includes('Perspectieven per rol'));
    const appendix = pages.findIndex((p, i) => i > 1 && /\d+ Bijlage/.test(p));
    expect(roles).toBeGreaterThan(1);
    expect(appendix).toBeGreaterThan(roles);
    const rolesNumber = Number(/(\d+) Perspectieven per rol/.exec(pages[roles]!)![1]);
    expect(pages[appendix]).toContain(`${rolesNumber + 1} Bijlage`);
    // The contents page lists them in the same order.
    expect(pages[1]!.indexOf('Perspectieven per rol')).toBeLessThan(pages[1]!.indexOf('Bijlage'));
  });

  for (const lang of ['nl', 'en'] as const) {
    it(`names the comparison group of organisations in plain words with its minimum and size (${lang})`, async () => {
      const model = fixtureResultModel();
      const pool = model.benchmarkSources.find((s) => s.kind === 'pool')!;
      expect(pool).toBeDefined();
      for (const type of ['client', 'director'] as const) {
        const text = squash(pdfText(await renderer.render(input(model, { type, lang }))));
        expect(text).not.toMatch(/platform pool/i);
        expect(text).not.toMatch(/\b(minstens k medewerkers|at least k employees)\b/);
        expect(text).toContain(lang === 'nl' ? 'andere organisaties die de Leercultuurscan gebruikten' : 'other organisations that used the Leercultuurscan');
        if (type === 'client') {
          expect(text).toContain(lang === 'nl' ? 'minstens 5 medewerkers' : 'at least 5 employees');
          expect(text).toContain(`${pool.n} ${lang === 'nl' ? 'organisaties' : 'organisations'}`);
        }
      }
    });
  }

  it('explains a negative Cronbach\'s alpha where it is shown', async () => {
    const model = fixtureResultModel();
    const m = model.mechanisms[1]!;
    m.alpha = { ...m.alpha!, value: -0.12 };
    for (const lang of ['nl', 'en'] as const) {
      const pages = pdfPagesText(await renderer.render(input(model, { lang }))).map(squash);
      const mechanismPage = pages.find((p) => p.includes(`3.2 ${m.name[lang]}`) && p.includes(lang === 'nl' ? 'MECHANISME' : 'MECHANISM'))!;
      expect(mechanismPage).toContain('\u22120,12'.replace(',', lang === 'nl' ? ',' : '.'));
      expect(mechanismPage).toContain(lang === 'nl' ? 'negatief: de uitspraken hangen niet samen' : 'negative: the statements do not hang together');
      const explained = pages.filter((p) => p.includes(lang === 'nl' ? `Een negatieve betrouwbaarheid (${m.name.nl})` : `A negative reliability (${m.name.en})`));
      // Under the overview table and in the appendix's reliability table.
      expect(explained.length).toBeGreaterThanOrEqual(2);
    }
  });

  it("gives an uploaded benchmark's n from its figures, or says the upload gave none", async () => {
    const model = fixtureResultModel();
    const id = 'custom:set-1';
    model.benchmarkSources.push({ id, kind: 'custom', label: { nl: 'Zorgbenchmark 2025', en: 'Care benchmark 2025' }, source: 'Eigen onderzoek Bloei & Groei', year: 2025, dataYear: null, population: null, n: null });
    const withN = structuredClone(model);
    withN.mechanisms[0]!.benchmarks.push({ kind: 'custom', sourceId: id, label: { nl: 'Zorgbenchmark 2025', en: 'Care benchmark 2025' }, metric: 'mean', value: 3.5, own: 3.7, delta: 0.2, source: 'Eigen onderzoek Bloei & Groei', year: 2025, population: null, n: 1240, figureId: null });
    withN.mechanisms[1]!.benchmarks.push({ kind: 'custom', sourceId: id, label: { nl: 'Zorgbenchmark 2025', en: 'Care benchmark 2025' }, metric: 'mean', value: 3.2, own: 3.4, delta: 0.2, source: 'Eigen onderzoek Bloei & Groei', year: 2025, population: null, n: 980, figureId: null });
    // The n column of the sources table (its text may wrap within the cell).
    const said = (pdf: Buffer, phrase: string) => pdfWords(pdf).some((page) => phraseWords(page, phrase) !== null);
    const given = await renderer.render(input(withN));
    expect(said(given, '980\u20131.240 respondenten')).toBe(true);
    expect(said(given, 'niet opgegeven')).toBe(false);
    const none = await renderer.render(input(model));
    expect(said(none, 'niet opgegeven')).toBe(true);
  });

  it('gives the distance between two groups in the client report with its unit', async () => {
    const model = fixtureResultModel();
    delete (model.dialogue as { conversation?: unknown }).conversation;
    expect(model.dialogue.disagreements.length).toBeGreaterThan(0);
    const text = squash(pdfText(await renderer.render(input(model))));
    const pair = /(?:Directie|HR|Medewerkers|Adviseur) en (?:directie|Directie|HR|Medewerkers|Adviseur) (\d+)\b( punten)?/g;
    const found = [...text.matchAll(pair)];
    expect(found.length).toBeGreaterThan(0);
    for (const m of found) expect(m[0], 'a distance without its unit').toMatch(/punten$/);
  });

  it('gives the distance of a move in the director summary with its unit', async () => {
    const model = fixtureResultModel();
    delete (model.dialogue as { conversation?: unknown }).conversation;
    const text = squash(pdfText(await renderer.render(input(model, { type: 'director' }))));
    expect(text).toMatch(/afstand \d+ punten \(assen −100 tot \+100\)/);
    expect(text).not.toMatch(/afstand \d+\b(?! punten)/);
  });
});

