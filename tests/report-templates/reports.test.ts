// The report templates rendered to PDF (through the report service's in-thread renderer) from the
// hand-made result model in tests/fixtures, read back with pdftotext. Figures are checked against the
// model's fields, written out here independently of report-templates/format.ts.
import { createCanvas } from 'canvas';
import pdfmake from 'pdfmake';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClientReport, buildDirectorSummary, type ChartSpec } from '../../report-templates/index.js';
import { ResultModelSchema, type ResultModel } from '../../scans/result-model.js';
import { configurePdfmake, ReportRenderer, type RenderInput } from '../../server/reports/render.js';
import { fixtureResultModel, FIXTURE_ORGANISATION, minimalResultModel, SUPPRESSED_GROUP_LABELS } from '../fixtures/result-model.js';
import { pdfFonts, pdfPageCount, pdfPagesText, pdfText, squash } from '../fixtures/pdf.js';

const MINUS = '\u2212';
const score = (x: number, lang: 'nl' | 'en' = 'nl') => {
  const s = (Math.round(x * 10 + 1e-9) / 10).toFixed(1);
  return lang === 'nl' ? s.replace('.', ',') : s;
};
const pct = (x: number) => `${Math.round(x + 1e-9)}%`;

// A small PNG drawn with node-canvas, enough to prove a logo is embedded.
function smallPng(): Buffer {
  const c = createCanvas(40, 20);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#7a2e5c';
  ctx.fillRect(0, 0, 40, 20);
  return c.toBuffer('image/png');
}

const branding = { name: 'Bloei & Groei Adviseurs', accentColor: '#7a2e5c', logo: null, logoMime: null };
let renderer: ReportRenderer;

function input(model: ResultModel, extra: Partial<RenderInput> = {}): RenderInput {
  return { type: 'client', lang: 'nl', model, branding, date: '2026-10-12T10:00:00.000Z', ...extra };
}

beforeAll(() => {
  renderer = new ReportRenderer();
});

describe('client report (Dutch, full fixture)', () => {
  const model = fixtureResultModel();
  let pdf: Buffer;
  let pages: string[];

  beforeAll(async () => {
    pdf = await renderer.render(input(model));
    pages = pdfPagesText(pdf).map(squash);
  });

  it('has a cover, a contents page whose page numbers are right, and "pagina x van y" on every page after the cover', () => {
    const count = pdfPageCount(pdf);
    expect(count).toBeGreaterThanOrEqual(24);
    expect(count).toBeLessThanOrEqual(34);
    expect(pages[0]).toContain('Leercultuur in beeld');
    expect(pages[0]).toContain(FIXTURE_ORGANISATION);
    expect(pages[0]).toContain('Opgesteld door Bloei & Groei Adviseurs');
    expect(pages[1]).toContain('Inhoud');
    for (let p = 2; p <= count; p++) expect(pages[p - 1]).toContain(`Pagina ${p} van ${count}`);
    expect(pages[0]).not.toContain('Pagina 1');
    // Contents lines end in the page number; the heading must be on that page.
    const toc = pdfPagesText(pdf, { layout: true })[1]!.split('\n');
    const entries = toc.map((l) => /^\s*(\S.*?)\s{2,}(\d+)\s*$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    expect(entries.length).toBeGreaterThanOrEqual(14);
    for (const [, title, page] of entries) expect(pages[Number(page) - 1], `"${title}" on page ${page}`).toContain(squash(title!));
  });

  it('prints each mechanism score and % favourable on its own page and in the overview', () => {
    const layout = pdfText(pdf, { layout: true }).split('\n');
    model.mechanisms.forEach((m, i) => {
      const page = pages.find((p) => p.includes(`3.${i + 1} ${m.name.nl}`) && p.includes('MECHANISME'));
      expect(page, m.name.nl).toBeDefined();
      expect(page).toContain(score(m.score!.mean));
      expect(page).toContain(pct(m.favourable!));
      expect(page).toContain(m.description.nl.slice(0, 40));
      // Each item's % favourable is printed by its bar (chart text is real text).
      for (const it of m.items) expect(page).toContain(pct(it.favourable!));
      // The overview row starts with the name (a long name may wrap: its first words suffice).
      const row = layout.find((l) => l.trimStart().startsWith(m.name.nl.slice(0, 24)) && l.includes('%'));
      expect(row, `overview row ${m.name.nl}`).toBeDefined();
      expect(row).toContain(score(m.score!.mean));
      expect(row).toContain(pct(m.favourable!));
    });
  });

  it('prints the published figures with their source, and the SME shares with one decimal', () => {
    const text = squash(pdfText(pdf));
    expect(text).toContain('TNO / SER (2023). Leercultuurmonitor 2023');
    expect(text).toContain('23,7%');
    expect(text).toContain('45,0%');
    const workContent = model.mechanisms.find((m) => m.mechanismId === 'work_content')!;
    const wc2 = workContent.items[1]!;
    const delta = Math.round(wc2.publishedDelta!);
    expect(text).toContain(`${delta < 0 ? MINUS : '+'}${Math.abs(delta)} pp`);
  });

  it('keeps Dutch characters and never prints a placeholder', () => {
    const text = pdfText(pdf);
    for (const word of ['Zorgcoöperatie', 'Cliëntenservice', 'één', 'naïef']) expect(text).toContain(word);
    for (const bad of ['NaN', 'undefined', 'null', '[object']) expect(text).not.toContain(bad);
  });

  it('never shows a suppressed group: no label, anywhere', () => {
    const text = squash(pdfText(pdf));
    for (const label of SUPPRESSED_GROUP_LABELS) expect(text).not.toContain(label);
    // The visible groups of the same dimension are there.
    expect(text).toContain('Verpleging');
    expect(text).toContain('25 tot en met 34');
  });

  it('embeds Roboto as its only font', () => {
    const fonts = pdfFonts(pdf);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''))).toEqual(expect.arrayContaining(['Roboto-Regular', 'Roboto-Medium']));
    for (const f of fonts) {
      expect(f.embedded).toBe(true);
      expect(f.subset).toBe(true);
      expect(f.name).toContain('Roboto');
    }
  });

  it('shows the dialogue model moves and the checklist count from the model', () => {
    const text = squash(pdfText(pdf));
    expect(text).toContain(`De organisatie heeft ${model.checklist.inPlace} van de ${model.checklist.total} onderdelen`);
    expect(text).toContain('Directie: van Defensief naar Preventief');
    const hrMove = model.dialogue.groups.find((g) => g.group === 'hr')!.move!;
    expect(text).toContain(`HR: van Curatief naar Preventief (afstand ${Math.round(hrMove.distance)} punten op assen van −100 tot +100)`);
  });
});

describe('client report variants', () => {
  it('writes English with decimal points when asked', async () => {
    const model = fixtureResultModel();
    const text = squash(pdfText(await renderer.render(input(model, { lang: 'en' }))));
    expect(text).toContain('Learning culture in focus');
    expect(text).toContain('How to read this report');
    expect(text).toContain('Page 3 of');
    expect(text).toContain(score(model.mechanisms[0]!.score!.mean, 'en'));
    for (const label of SUPPRESSED_GROUP_LABELS) expect(text).not.toContain(label);
  });

  it('leaves out modules the round did not use and never prints the count of a form under the threshold', async () => {
    const model = minimalResultModel();
    const pdf = await renderer.render(input(model));
    const text = squash(pdfText(pdf));
    const contents = squash(pdfPagesText(pdf)[1]!);
    expect(contents).toContain('Prioriteiten');
    for (const chapter of ['Beleid voor leren en ontwikkelen', 'Het LLO-dialoogmodel', 'Stimulerende en belemmerende factoren']) expect(contents).not.toContain(chapter);
    expect(text).toContain('minder dan 5 respondenten: geen cijfers');
    expect(pdfPageCount(pdf)).toBeLessThan(pdfPageCount(await renderer.render(input(fixtureResultModel()))));
  });

  it('shows a suppressed mechanism without any figure', async () => {
    const model = fixtureResultModel();
    const m = model.mechanisms[6]!;
    Object.assign(m, { suppressed: true, score: null, favourable: null, distribution: null, alpha: null, band: null, advice: null });
    m.items = m.items.map((it) => ({ ...it, suppressed: true, score: null, favourable: null, distribution: null, publishedDelta: null, benchmarks: [] }));
    const text = squash(pdfText(await renderer.render(input(ResultModelSchema.parse(model)))));
    expect(text).toContain(`${m.name.nl} Te weinig antwoorden (minder dan 5)`);
  });

  it('embeds a consultancy logo, and ignores bytes that are not the image they claim to be', async () => {
    const model = fixtureResultModel();
    const withLogo = await renderer.render(input(model, { type: 'director', branding: { ...branding, logo: smallPng(), logoMime: 'image/png' } }));
    expect(withLogo.toString('latin1')).toContain('/Subtype /Image');
    // Right magic bytes, broken body: the report is still made, with the name instead of the logo.
    const truncated = smallPng().subarray(0, 60);
    const broken = await renderer.render(input(model, { type: 'director', branding: { ...branding, logo: truncated, logoMime: 'image/png' } }));
    expect(broken.toString('latin1')).not.toContain('/Subtype /Image');
    expect(squash(pdfText(broken))).toContain('Bloei & Groei Adviseurs');
  });
});

describe('director summary', () => {
  it('fits in two or three pages with key figures, the quadrant and the top priorities', async () => {
    const model = fixtureResultModel();
    const pdf = await renderer.render(input(model, { type: 'director' }));
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(3);
    const text = squash(pdfText(pdf));
    expect(text).toContain('Samenvatting voor de directie');
    expect(text).toContain(pct(model.response.rate!));
    for (const p of model.priorities.slice(0, 3)) expect(text).toContain(p.name.nl);
    for (const q of ['Defensief', 'Offensief', 'Curatief', 'Preventief', 'REACTIEF', 'PROACTIEF']) expect(text).toContain(q);
    for (const label of SUPPRESSED_GROUP_LABELS) expect(text).not.toContain(label);
  });
});

describe('templates without rendering', () => {
  it('hand no suppressed group to any chart (labels, legends, data) or anywhere else in the document', () => {
    const model = fixtureResultModel();
    const specs: ChartSpec[] = [];
    const options = {
      lang: 'nl' as const,
      branding: { name: 'X' },
      renderChart: (spec: ChartSpec) => {
        specs.push(spec);
        return { text: '' };
      },
    };
    const docs = [buildClientReport(model, options), buildDirectorSummary(model, options), buildClientReport(model, { ...options, lang: 'en' })];
    expect(specs.map((s) => s.id)).toEqual(expect.arrayContaining(['radar', 'checklist', 'factors', ...model.mechanisms.map((m) => `items-${m.mechanismId}`)]));
    const serialised = JSON.stringify([docs.map((d) => d.content), specs.map((s) => s.config)]);
    for (const label of SUPPRESSED_GROUP_LABELS) expect(serialised).not.toContain(label);
  });

  it('are pure: the same model and options give the same document', () => {
    const model = fixtureResultModel();
    const options = { lang: 'nl' as const, branding: { name: 'X' }, renderChart: () => ({ text: '' }) };
    expect(JSON.stringify(buildClientReport(model, options).content)).toBe(JSON.stringify(buildClientReport(fixtureResultModel(), options).content));
  });
});

describe('report service', () => {
  it('creates one chart renderer per size and reuses it for the next report', async () => {
    const before = renderer.charts.size;
    expect(before).toBeGreaterThan(0);
    await renderer.render(input(fixtureResultModel()));
    expect(renderer.charts.size).toBe(before);
  });

  it('refuses remote URLs and local files other than the fonts', async () => {
    configurePdfmake();
    const remote = pdfmake.createPdf({ content: [{ image: 'https://example.com/logo.png' }] }).getBuffer();
    await expect(remote).rejects.toThrow(/denied/i);
    const local = pdfmake.createPdf({ content: [{ image: '/etc/hostname' }] }).getBuffer();
    await expect(local).rejects.toThrow(/denied/i);
  });
});
