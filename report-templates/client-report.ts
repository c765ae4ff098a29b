// The consultant's client report: cover, contents, summary, how to read, the seven mechanisms at a
// glance and one page each, the SME checklist, the dialogue model, factors, priorities with an action
// plan, and the method appendix. Pure: (result model, options) -> pdfmake document definition.
//
// Every number printed is a field of the result model, formatted by format.ts. Anonymity: only groups
// the model shows (hidden: false) are named anywhere; hidden groups are skipped without a trace (no
// label, no count, not even how many were hidden).

import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { citeSource, NATIONAL_COMPARISON_CAVEAT, smeSharesApply } from '../scans/benchmarks/published.js';
import { POOL_SOURCE } from '../scans/benchmarks/pool-labels.js';
import { DEFAULT_K } from '../scans/anonymity.js';
import { ANSWER_OPTIONS } from '../scans/instruments/answer-options.js';
import { DIALOGUE_MODEL, getQuadrant, QUADRANT_IDS } from '../scans/instruments/dialogue-model.js';
import { narrateDifference, narrateGroup } from '../scans/scoring/dialogue.js';
import { methodologyFor } from '../scans/methodology.js';
import { comparePartWithWhole, comparePercentageWithValue, compareWithBenchmark, type Difference } from '../scans/differences.js';
import type {
  BenchmarkSource,
  DialogueConversationResult,
  InterventionResult,
  MechanismResult,
  PublishedFigureRef,
  ResultModel,
  SegmentDimensionResult,
} from '../scans/result-model.js';
import type { Language } from '../scans/types.js';
import { benchmarkOf, checklistChart, checklistColor, CONTENT_WIDTH, factorsChart, itemBarsChart, primaryBenchmark, radarChart } from './charts.js';
import {
  callout,
  chapter,
  cover,
  coverBackground,
  dataTable,
  documentShell,
  frameFor,
  h2,
  h3,
  keptList,
  keyFigures,
  legend,
  num,
  paragraph,
  quadrantName,
  subChapter,
  td,
  th,
  type Frame,
  type ReportOptions,
  withHeading,
} from './components.js';
import { EN_DASH, fmtAlpha, fmtCi, fmtCount, fmtDate, fmtPct, fmtPercentileBand, fmtPoint, fmtPp, fmtPublishedPct, fmtScore, fmtScoreDelta } from './format.js';
import { groupColor, quadrantSvg, visiblePoints } from './quadrant.js';
import { SIZE } from './theme.js';
import { extrasChapterCount, extrasChapters } from './modules.js';

export function buildClientReport(model: ResultModel, options: ReportOptions): TDocumentDefinitions {
  const f = frameFor(model, options);
  const { t } = f;
  const content: Content[] = [];
  const chapters: { title: string; build: (n: string) => Content[] }[] = [
    { title: t.summary, build: (n) => summaryChapter(f, n) },
    { title: t.howToRead, build: (n) => howToReadChapter(f, n) },
    { title: t.glance, build: (n) => [...glanceChapter(f, n, options), ...mechanismChapters(f, n, options)] },
  ];
  if (model.checklist.included) chapters.push({ title: t.checklist, build: (n) => checklistChapter(f, n, options) });
  if (model.dialogue.included) chapters.push({ title: t.dialogue, build: (n) => dialogueChapter(f, n) });
  if (model.factors.included) chapters.push({ title: t.factors, build: (n) => factorsChapter(f, n, options) });
  chapters.push({ title: t.priorities, build: (n) => prioritiesChapter(f, n) });
  // Issue 17's chapters (roles, who learns less, modules) come before the appendix, numbered in turn.
  const extrasFirst = chapters.length + 1;
  const extrasCount = options.extras ? extrasChapterCount(options.extras) : 0;
  if (options.extras && extrasCount > 0) {
    const extras = options.extras;
    chapters.push({ title: 'extras', build: () => extrasChapters(f, extras, extrasFirst) });
  }
  chapters.push({ title: t.appendix, build: () => appendixChapter(f, String(extrasFirst + extrasCount)) });

  content.push(...cover(f, t.clientKicker, t.clientTitle));
  content.push({
    pageBreak: 'before',
    toc: {
      title: { text: t.contents, style: 'h1', margin: [0, 0, 0, 14] },
      numberStyle: { fontSize: 9.5, color: f.theme.muted },
    },
  });
  chapters.forEach((c, i) => content.push(...c.build(String(i + 1))));
  return documentShell(f, t.clientTitle, content, coverBackground(f));
}

// --- helpers ---------------------------------------------------------------------------------------

export function visibleMechanisms(model: ResultModel): (MechanismResult & { score: NonNullable<MechanismResult['score']> })[] {
  return model.mechanisms.filter((m): m is MechanismResult & { score: NonNullable<MechanismResult['score']> } => !m.suppressed && m.score !== null);
}

/** "van Defensief naar Preventief" (Roboto has no arrow glyph, and words read better anyway). */
export function fromTo(f: Frame, from: Parameters<typeof getQuadrant>[0], to: Parameters<typeof getQuadrant>[0]): string {
  return f.lang === 'nl' ? `van ${quadrantLabel(from, f.lang)} naar ${quadrantLabel(to, f.lang)}` : `from ${quadrantLabel(from, f.lang)} to ${quadrantLabel(to, f.lang)}`;
}

export function quadrantLabel(id: Parameters<typeof getQuadrant>[0], lang: Language): string {
  return quadrantName(getQuadrant(id).label[lang]);
}

/**
 * The comparison group of other organisations in the words of a client report. The result model names
 * it by its internal source name ("Leercultuurscan platform pool") and describes it with the symbol k;
 * a client reads what it is and the actual minimum instead.
 */
const POOL_WORDS = {
  nl: {
    source: 'Vergelijkingsgroep van andere organisaties die de Leercultuurscan gebruikten',
    population: (k: number) => `Andere organisaties met een afgeronde meting waarin minstens ${k} medewerkers de vragenlijst invulden (per organisatie de laatste meting)`,
  },
  en: {
    source: 'Comparison group of other organisations that used the Leercultuurscan',
    population: (k: number) => `Other organisations with a closed round in which at least ${k} employees completed the questionnaire (the latest round per organisation)`,
  },
} as const;

/** A source's name as the report prints it (the comparison group of organisations in plain words). */
export function sourceName(source: string, lang: Language): string {
  return source === POOL_SOURCE ? POOL_WORDS[lang].source : source;
}

/** A benchmark source's population as the report prints it. */
function populationText(s: Pick<BenchmarkSource, 'kind' | 'population'>, lang: Language): string | null {
  if (s.kind === 'pool') return POOL_WORDS[lang].population(DEFAULT_K);
  return s.population?.[lang] ?? null;
}

/** "Source (year; data 2022)" for a published figure or benchmark source: the product's one citation format. */
export function cite(ref: { source: string; year: number | null; dataYear?: number | null }, f: Frame): string {
  return citeSource({ ...ref, source: sourceName(ref.source, f.lang) }, f.lang);
}

/**
 * The n of a benchmark source as the report prints it: the pool's organisations; for an uploaded
 * benchmark the respondents its figures give (one n, or the range over its figures), or that the upload
 * gave none. Published sources give their n in their population text.
 */
export function sourceCount(f: Frame, s: BenchmarkSource): string {
  const { t, lang, model } = f;
  if (s.kind === 'pool') return s.n === null ? t.dash : t.organisationsCount(fmtCount(s.n, lang));
  if (s.n !== null) return t.respondentsCount(fmtCount(s.n, lang));
  if (s.kind !== 'custom') return t.dash;
  const ns = [...model.mechanisms.flatMap((m) => [...m.benchmarks, ...m.items.flatMap((i) => i.benchmarks)])]
    .filter((b) => b.sourceId === s.id && b.n !== null && b.n > 0)
    .map((b) => b.n!);
  if (ns.length === 0) return lang === 'nl' ? 'niet opgegeven' : 'not given';
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  return t.respondentsCount(lo === hi ? fmtCount(lo, lang) : `${fmtCount(lo, lang)}${EN_DASH}${fmtCount(hi, lang)}`);
}

/** A published share as its source gives it: SEOR (the checklist figures) with one decimal, others whole. */
function figureValue(ref: PublishedFigureRef, f: Frame, decimals = Number.isInteger(ref.value) ? 0 : 1): string {
  const v = fmtPublishedPct(ref.value, decimals, f.lang);
  return ref.approximate ? (f.lang === 'nl' ? `ca. ${v}` : `about ${v}`) : v;
}

/** The visible groups of a segment dimension (hidden ones are dropped entirely). */
function visibleGroups(d: SegmentDimensionResult) {
  return d.groups.filter((g): g is Extract<typeof g, { hidden: false }> => !g.hidden);
}

function employeeForm(model: ResultModel) {
  return model.response.perForm.find((p) => p.form === 'employee');
}

function managementForm(model: ResultModel) {
  return model.response.perForm.find((p) => p.form === 'management');
}

// --- 1 summary -------------------------------------------------------------------------------------

export function responseTiles(f: Frame): { value: string; label: string; note?: string }[] {
  const { model, t, lang } = f;
  const emp = employeeForm(model);
  const mgmt = managementForm(model);
  const anyHidden = model.response.perForm.some((p) => p.belowThreshold);
  const tiles: { value: string; label: string; note?: string }[] = [];
  if (!anyHidden && model.response.rate !== null) {
    tiles.push({
      value: fmtPct(model.response.rate, lang),
      label: t.responseRate,
      // The rate's own counts: personal-link submissions of personal invitations (shared-link responses have no invited count).
      ...(model.response.invited !== null ? { note: `${fmtCount(Math.round((model.response.rate * model.response.invited) / 100), lang)} ${t.ofInvited(fmtCount(model.response.invited, lang))}` } : {}),
    });
  }
  if (emp) {
    tiles.push(
      emp.belowThreshold || emp.submitted === null
        ? { value: t.dash, label: t.employees, note: t.belowThreshold(model.meta.threshold) }
        : {
            value: fmtCount(emp.submitted, lang),
            label: t.employees,
            ...(emp.rate !== null && emp.invited !== null ? { note: `${fmtPct(emp.rate, lang)} ${t.responseRate}, ${t.ofInvited(fmtCount(emp.invited, lang))}` } : {}),
          },
    );
  }
  if (mgmt && (mgmt.submitted !== 0 || mgmt.invited)) {
    tiles.push(
      mgmt.belowThreshold || mgmt.submitted === null
        ? { value: t.dash, label: t.management, note: t.belowThreshold(model.meta.threshold) }
        : {
            value: fmtCount(mgmt.submitted, lang),
            label: t.management,
            ...(mgmt.rate !== null && mgmt.invited !== null ? { note: `${fmtPct(mgmt.rate, lang)} ${t.responseRate}, ${t.ofInvited(fmtCount(mgmt.invited, lang))}` } : {}),
          },
    );
  }
  if (model.checklist.included && model.checklist.answered > 0) {
    tiles.push({ value: `${model.checklist.inPlace}/${model.checklist.total}`, label: t.practicesInPlace });
  }
  return tiles;
}

/** Strongest or weakest mechanisms: name, score and % favourable in aligned columns. */
function mechanismLines(f: Frame, list: (MechanismResult & { score: NonNullable<MechanismResult['score']> })[]): Content {
  return {
    table: {
      widths: ['*', 22, 64],
      body: list.map((m) => [
        { text: m.name[f.lang], bold: true },
        { text: fmtScore(m.score.mean, f.lang), bold: true, color: f.theme.accentInk, alignment: 'right' },
        { text: m.favourable !== null ? `${fmtPct(m.favourable, f.lang)} ${f.t.favourable}` : '', color: f.theme.muted, fontSize: SIZE.small, alignment: 'right', margin: [0, 1, 0, 0] },
      ]),
    },
    layout: { hLineWidth: () => 0, vLineWidth: () => 0, paddingLeft: (i) => (i === 0 ? 0 : 4), paddingRight: (i) => (i === 2 ? 0 : 4), paddingTop: () => 1.5, paddingBottom: () => 3 },
  };
}

function summaryChapter(f: Frame, n: string): Content[] {
  const { model, t, lang, theme } = f;
  const out: Content[] = [chapter(f, n, t.summary, t.summaryLead)];
  out.push(h2(t.response));
  out.push(keyFigures(f, responseTiles(f)));

  const ranked = [...visibleMechanisms(model)].sort((a, b) => b.score.mean - a.score.mean);
  if (ranked.length > 0) {
    const top = ranked.slice(0, Math.min(2, Math.ceil(ranked.length / 2)));
    const bottom = ranked.slice(Math.max(top.length, ranked.length - 2)).reverse();
    // With one visible mechanism there is no "weakest" apart from it (an empty table would not render).
    out.push({
      columnGap: 24,
      columns: [
        { width: '*', stack: [h2(t.strongest), mechanismLines(f, top)] },
        bottom.length > 0 ? { width: '*', stack: [h2(t.weakest), mechanismLines(f, bottom)] } : { width: '*', text: '' },
      ],
    });
  } else {
    out.push(paragraph(t.suppressedMechanism(model.meta.threshold), 'muted'));
  }

  if (model.dialogue.included && model.dialogue.conversation) {
    const groups = model.dialogue.conversation.groups.filter((g) => g.frames.some((x) => x.shares !== null));
    if (groups.length > 0) {
      out.push(h2(t.dialogueMove));
      for (const g of groups) {
        out.push({
          margin: [0, 0, 0, 3],
          columns: [
            { width: 8, canvas: [{ type: 'rect', x: 0, y: 2.5, w: 6, h: 6, color: groupColor(g.group, theme) }] },
            { width: '*', text: [{ text: `${t.groups[g.group]}: `, bold: true }, currentToDesired(f, g)] },
          ],
        });
      }
    }
  } else if (model.dialogue.included) {
    const moves = model.dialogue.groups.filter((g) => g.move !== null);
    if (moves.length > 0) {
      out.push(h2(t.dialogueMove));
      for (const g of moves) {
        const mv = g.move!;
        out.push({
          margin: [0, 0, 0, 3],
          columns: [
            { width: 8, canvas: [{ type: 'rect', x: 0, y: 2.5, w: 6, h: 6, color: groupColor(g.group, theme) }] },
            {
              width: '*',
              text: [
                { text: `${t.groups[g.group]}: `, bold: true },
                mv.quadrantChanged
                  ? fromTo(f, mv.fromQuadrant, mv.toQuadrant)
                  : `${quadrantLabel(mv.fromQuadrant, lang)} (${lang === 'nl' ? 'verschuiving binnen het kwadrant' : 'shift within the quadrant'})`,
              ],
            },
          ],
        });
      }
    }
  }

  out.push(h2(t.topPriorities));
  const priorities = model.priorities.slice(0, 3);
  if (priorities.length === 0) out.push(paragraph(t.noPriorities, 'muted'));
  priorities.forEach((p) => {
    out.push({
      margin: [0, 0, 0, 7],
      unbreakable: true,
      columns: [
        { width: 20, text: String(p.rank), fontSize: 15, bold: true, color: theme.accentInk },
        {
          width: '*',
          stack: [
            {
              text: [
                { text: p.name[lang], bold: true },
                { text: p.score !== null ? `   ${t.scoreOf} ${fmtScore(p.score, lang)}` : '', color: theme.muted, fontSize: SIZE.small },
                { text: p.favourable !== null ? ` · ${fmtPct(p.favourable, lang)} ${t.favourable}` : '', color: theme.muted, fontSize: SIZE.small },
              ],
            },
            ...(p.reasons[0] ? [{ text: p.reasons[0].text[lang], style: 'muted' }] : []),
            ...(p.interventions.length > 0
              ? [
                  { text: t.interventions, bold: true, color: theme.accentInk, style: 'small', margin: [0, 1, 0, 0] as [number, number, number, number] },
                  {
                    ul: p.interventions.slice(0, 3).map((i) => ({ text: [{ text: i.text[lang] }, { text: i.owner ? ` (${t.ownerLabels[i.owner]})` : '', color: theme.muted }], style: 'small' })),
                    markerColor: theme.muted,
                  },
                ]
              : []),
          ],
        },
      ],
    });
  });
  return out;
}

/** "van Defensief naar Preventief", or which side has no shared picture, from the conversation view. */
export function currentToDesired(f: Frame, g: DialogueConversationResult['groups'][number]): string {
  const { t, lang } = f;
  const name = (frame: 'current' | 'desired') => {
    const x = g.frames.find((fr) => fr.frame === frame);
    if (!x || !x.shares) return null;
    return x.shared ? quadrantLabel(x.shared, lang) : t.noSharedPicture;
  };
  const cur = name('current');
  const des = name('desired');
  if (cur && des) return lang === 'nl' ? `nu ${cur}, gewenst ${des}` : `now ${cur}, desired ${des}`;
  return cur ? `${t.frames.current}: ${cur}` : des ? `${t.frames.desired}: ${des}` : t.dash;
}

// --- 2 how to read ------------------------------------------------------------------------------------

function howToReadChapter(f: Frame, n: string): Content[] {
  const { model, t, lang, theme } = f;
  const out: Content[] = [chapter(f, n, t.howToRead, t.howToReadLead)];
  out.push(h2(t.answerScale));
  out.push(paragraph(t.answerScaleText));
  out.push({
    margin: [0, 2, 0, 10],
    columns: ANSWER_OPTIONS.map((o) => ({
      width: '*',
      stack: [
        { canvas: [{ type: 'rect', x: 0, y: 0, w: 86, h: 6, color: theme.scale[o.value - 1]! }] },
        { text: String(o.value), bold: true, margin: [0, 3, 0, 0] },
        { text: o.label[lang], style: 'muted' },
      ],
    })),
  });
  const defs: [string, string][] = [
    [t.scoreTitle, t.scoreText],
    [t.favourableTitle, t.favourableText],
    [t.ciTitle, t.ciText],
    [t.alphaTitle, t.alphaText],
    [t.thresholdTitle, t.thresholdText(model.meta.threshold)],
  ];
  out.push({
    margin: [0, 4, 0, 8],
    table: {
      widths: [110, '*'],
      body: defs.map(([k, v]) => [
        { text: k, bold: true, color: theme.accentInk },
        { text: v },
      ]),
    },
    layout: { hLineWidth: (i, node) => (i === 0 || i === node.table.body.length ? 0 : 0.35), vLineWidth: () => 0, hLineColor: () => theme.rule, paddingLeft: () => 0, paddingRight: () => 8, paddingTop: () => 5, paddingBottom: () => 5 },
  });
  out.push(h2(t.benchmarksTitle));
  out.push(paragraph(t.benchmarksText));
  out.push(benchmarkSourcesTable(f, model.benchmarkSources));
  return out;
}

/** The benchmark sources, one row per source (a publication quoted for several figures is one row). */
function benchmarkSourcesTable(f: Frame, sources: BenchmarkSource[]): Content {
  const { t, lang } = f;
  if (sources.length === 0) return paragraph(t.noBenchmark, 'muted');
  const groups = new Map<string, BenchmarkSource[]>();
  for (const s of sources) {
    const key = `${s.kind}|${s.source}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const rows: TableCell[][] = [...groups.values()].map((list) => {
    const first = list[0]!;
    const populations = [...new Set(list.map((s) => populationText(s, lang)).filter((p): p is string => !!p))];
    const labels = list.map((s) => s.label[lang]);
    const years = [...new Set(list.map((s) => `${s.year === null ? t.noYear : String(s.year)}${s.dataYear ? ` (${t.dataYear(s.dataYear)})` : ''}`))];
    return [
      {
        stack: [
          { text: list.length === 1 ? first.label[lang] : first.source, bold: true, style: 'td' },
          { text: `${t.benchmarkKind[first.kind]} · ${list.length === 1 ? sourceName(first.source, lang) : list.length <= 3 ? labels.join('; ') : t.figuresCount(list.length)}`, style: 'muted' },
        ],
      },
      td(years.join(', ')),
      td(populations.length ? populations.join('; ') : t.dash),
      num(sourceCount(f, first)),
    ];
  });
  return dataTable(f, [th(t.sourceLabel), th(t.yearLabel), th(t.populationLabel), th('n', 'right')], rows, ['*', 62, 140, 66]);
}

// --- 3 at a glance --------------------------------------------------------------------------------------

function glanceChapter(f: Frame, n: string, options: ReportOptions): Content[] {
  const { model, t, lang, theme } = f;
  const out: Content[] = [chapter(f, n, t.glance, t.glanceLead)];
  const bench = primaryBenchmark(model.mechanisms);
  out.push({ alignment: 'center', margin: [0, 0, 0, 8], stack: [options.renderChart(radarChart(model.mechanisms, model.perspectives, lang, theme))] });
  const trend = model.trend.previousRound ? model.trend : null;
  const head: TableCell[] = [th(t.mechanism), th(t.score, 'right'), th(t.ci, 'right'), th(t.favourableCol, 'right'), th(t.vsBenchmark, 'right'), th(t.alpha, 'right')];
  const widths: (number | string)[] = ['*', 30, 48, 44, 52, 28];
  if (trend) {
    head.push(th(t.change, 'right'));
    widths.push(54);
  }
  const rows: TableCell[][] = model.mechanisms.map((m) => {
    if (m.suppressed || !m.score) {
      return [td(m.name[lang], { bold: true }), { text: t.suppressedMechanism(model.meta.threshold), style: 'muted', colSpan: head.length - 1 }, ...head.slice(2).map(() => ({}))];
    }
    const b = benchmarkOf(m, bench?.sourceId);
    const row: TableCell[] = [
      td(m.name[lang], { bold: true }),
      num(fmtScore(m.score.mean, lang), { bold: true }),
      num(m.score.ciLow !== null && m.score.ciHigh !== null ? fmtCi(m.score.ciLow, m.score.ciHigh, lang) : t.dash, { color: theme.muted }),
      num(m.favourable !== null ? fmtPct(m.favourable, lang) : t.dash),
      num(b && b.delta !== null ? fmtScoreDelta(b.delta, lang) : t.dash, { color: b && b.delta !== null ? differenceColor(f, compareWithBenchmark(b, m.score)) : theme.muted }),
      num(m.alpha && m.alpha.value !== null ? fmtAlpha(m.alpha.value, lang) : t.dash, { color: theme.muted }),
    ];
    if (trend) {
      const p = trend.mechanisms.find((x) => x.mechanismId === m.mechanismId);
      row.push(num(p && p.changeMean !== null ? fmtScoreDelta(p.changeMean, lang) : t.dash, { color: theme.muted }));
    }
    return row;
  });
  out.push(dataTable(f, head, rows, widths, { zebra: true }));
  const notes: string[] = [];
  if (bench) {
    const source = model.benchmarkSources.find((s) => s.id === bench.sourceId);
    const count = source ? sourceCount(f, source) : t.dash;
    notes.push(`${t.benchmarkUsed(bench.label[lang])}${source ? ` ${cite(source, f)}${count !== t.dash ? `; ${count}` : ''}.` : ''}`);
  } else {
    notes.push(t.noBenchmark);
  }
  notes.push(differencesNote(lang));
  const negative = negativeAlphaNote(f);
  if (negative) notes.push(negative);
  if (trend?.previousRound) notes.push(t.trendNote(`${trend.previousRound.name}${trend.previousRound.closedAt ? ` (${fmtDate(trend.previousRound.closedAt, lang)})` : ''}`));
  out.push({ text: notes.join(' '), style: 'muted' });
  return out;
}

/** Why a negative Cronbach's alpha is printed, naming its scales; null when no shown alpha is negative. */
export function negativeAlphaNote(f: Frame): string | null {
  const names = visibleMechanisms(f.model).filter((m) => m.alpha && m.alpha.value !== null && m.alpha.value < 0).map((m) => m.name[f.lang]);
  return names.length > 0 ? f.t.negativeAlpha(names.join(', ')) : null;
}

/** A difference's colour: good or bad only when it is larger than its uncertainty (scans/differences.ts), else muted. */
export function differenceColor(f: Frame, d: Difference | null): string {
  return d?.verdict === 'higher' ? f.theme.good : d?.verdict === 'lower' ? f.theme.bad : f.theme.muted;
}

/** The note under a table whose differences are coloured by their verdict. */
export function differencesNote(lang: Language): string {
  return lang === 'nl'
    ? 'Een verschil is alleen groen of rood als het groter is dan de onzekerheid (95%-interval van het verschil; zie de methode); grijs betekent: niet van toeval te onderscheiden of de groep is te klein om het te zeggen.'
    : 'A difference is green or red only when it is larger than its uncertainty (95% interval of the difference; see the method); grey means: not distinguishable from chance, or the group is too small to tell.';
}

// --- 4 mechanisms ------------------------------------------------------------------------------------

function mechanismChapters(f: Frame, n: string, options: ReportOptions): Content[] {
  const { lang, model } = f;
  const out: Content[] = [];
  model.mechanisms.forEach((m, i) => {
    const kicker = lang === 'nl' ? `MECHANISME ${i + 1} VAN ${model.mechanisms.length}` : `MECHANISM ${i + 1} OF ${model.mechanisms.length}`;
    // The first mechanism starts on the page after the overview; the others follow on from the one
    // before (a fixed page per mechanism left pages nearly empty wherever one ran a little over a page).
    // A mechanism's opening (title, key figures and the statement chart) is kept on one page.
    const heading = subChapter(f, kicker, `${n}.${i + 1}  ${m.name[lang]}`, i === 0);
    const { opening, openingHeight, rest } = mechanismPage(f, m, options);
    const block: Content[] = [i === 0 ? heading : { stack: [{ canvas: [{ type: 'line', x1: 0, y1: 0, x2: CONTENT_WIDTH, y2: 0, lineWidth: 0.8, lineColor: f.theme.rule }], margin: [0, 14, 0, 12] }, heading] }, ...opening];
    out.push(openingHeight + (i === 0 ? 0 : 30) <= OPENING_MAX_HEIGHT ? { stack: block, unbreakable: true } : { stack: block });
    out.push(...rest);
  });
  return out;
}

/**
 * The tallest mechanism opening that is kept on one page, in pt (an A4 text area is 718 pt). pdfmake
 * cannot place an unbreakable block taller than a page, so a taller opening is left to break.
 */
const OPENING_MAX_HEIGHT = 640;

/** A conservative height estimate of text in pt: lines of about `charsPerLine` characters. */
function textHeight(text: string, charsPerLine: number, lineHeight: number): number {
  return Math.ceil(text.length / charsPerLine) * lineHeight;
}

function mechanismPage(f: Frame, m: MechanismResult, options: ReportOptions): { opening: Content[]; openingHeight: number; rest: Content[] } {
  const { t, lang, model, theme } = f;
  const opening: Content[] = [];
  const out: Content[] = [];
  // Kicker, title and margins; the description in body text (about 95 characters a line).
  let openingHeight = 60 + textHeight(m.description[lang], 95, 12.4) + 8;
  opening.push({ text: m.description[lang], style: 'body', margin: [0, 0, 0, 8] });
  if (m.suppressed || !m.score) {
    opening.push(paragraph(t.suppressedMechanism(model.meta.threshold), 'muted'));
    return { opening, openingHeight: openingHeight + 24, rest: out };
  }
  const p = model.perspectives.available ? (model.perspectives.mechanisms.find((x) => x.mechanismId === m.mechanismId) ?? null) : null;
  const mgmt = p && !p.management.suppressed ? p.management : null;
  const bench = primaryBenchmark(model.mechanisms);
  const b = benchmarkOf(m, bench?.sourceId);

  // Key figures: employees, management (the second perspective), benchmark, reliability.
  const tiles: { value: string; label: string; note?: string }[] = [
    {
      value: fmtScore(m.score.mean, lang),
      label: `${t.score} · ${m.band ? t.band[m.band] : ''}`,
      ...(m.score.ciLow !== null && m.score.ciHigh !== null ? { note: `${t.ci} ${fmtCi(m.score.ciLow, m.score.ciHigh, lang)} · n = ${fmtCount(m.score.n, lang)}` } : {}),
    },
    { value: m.favourable !== null ? fmtPct(m.favourable, lang) : t.dash, label: t.favourableCol },
  ];
  if (mgmt && mgmt.score) {
    const gap = p!.gap;
    tiles.push({
      value: fmtScore(mgmt.score.mean, lang),
      label: t.management,
      note: [mgmt.favourable !== null ? `${fmtPct(mgmt.favourable, lang)} ${t.favourable}` : null, gap.favourable !== null ? fmtPp(gap.favourable, lang) : null]
        .filter(Boolean)
        .join(' · '),
    });
  }
  if (b) tiles.push({ value: fmtScore(b.value, lang), label: t.benchmark, ...(b.delta !== null ? { note: `${t.gap.toLowerCase()} ${fmtScoreDelta(b.delta, lang)}` } : {}) });
  if (m.alpha && m.alpha.value !== null) {
    const note = `n = ${fmtCount(m.alpha.n, lang)}${m.alpha.value < 0 ? ` · ${t.negativeAlphaShort}` : ''}`;
    tiles.push({ value: fmtAlpha(m.alpha.value, lang), label: `Cronbach's ${t.alpha}`, note });
  }
  opening.push(keyFigures(f, tiles, { compact: true }));

  // The items: distribution, and % favourable of employees and management side by side.
  opening.push(h3(t.items));
  const chart = itemBarsChart(m, p, lang, theme);
  opening.push({ stack: [options.renderChart(chart)], margin: [0, 0, 0, 2] });
  const perspectiveNote = !model.perspectives.available ? managementHiddenOrAbsent(f) : p && p.management.suppressed ? t.managementHidden : '';
  const note = [t.itemsNote, perspectiveNote ? ` ${perspectiveNote}` : '', segmentLinesNote(f)].join('');
  opening.push({ text: note, style: 'tiny', margin: [0, 0, 0, 2] });
  // Tiles (up to three lines under the figure), the heading, the chart and its note (tiny type).
  openingHeight += 80 + 24 + chart.height + 2 + textHeight(note, 150, 9) + 2;
  if (m.itemSummary) out.push(paragraph(m.itemSummary[lang], 'small', [0, 2, 0, 4]));

  // Groups that may be shown.
  const segmentLines = model.segments
    .map((d) => {
      const groups = visibleGroups(d)
        .map((g) => ({ g, s: g.mechanisms.find((x) => x.mechanismId === m.mechanismId)?.score ?? null }))
        .filter((x) => x.s !== null);
      if (groups.length === 0) return null;
      return {
        margin: [0, 0, 0, 2] as [number, number, number, number],
        text: [
          { text: `${d.label[lang]}  `, bold: true },
          ...groups.flatMap((x, i) => {
            // A group is marked higher or lower than the organisation only beyond the uncertainty.
            const d = m.score ? comparePartWithWhole(x.s!, m.score) : null;
            const mark = d?.verdict === 'higher' ? (lang === 'nl' ? ' hoger' : ' higher') : d?.verdict === 'lower' ? (lang === 'nl' ? ' lager' : ' lower') : '';
            return [
              { text: `${i > 0 ? '   ·   ' : ''}${x.g.label[lang]}: ` },
              { text: fmtScore(x.s!.mean, lang), bold: true, color: theme.accentInk },
              { text: ` (${fmtCount(x.g.n, lang)})`, color: theme.faint },
              ...(mark ? [{ text: mark, bold: true, color: differenceColor(f, d) }] : []),
            ];
          }),
        ],
        fontSize: 7.5,
      } as Content;
    })
    .filter((x): x is Content => x !== null);
  if (segmentLines.length > 0) out.push(...withHeading(h3(t.segments), segmentLines));

  // Published figures mapped to items (both perspectives), and the pool position.
  const rows: TableCell[][] = [];
  const refs = new Map<string, string[]>();
  m.items.forEach((it, i) => {
    const pi = p?.items.find((x) => x.itemId === it.itemId);
    const sides: { who: string; own: number; ref: PublishedFigureRef; delta: number | null; n: number | null }[] = [];
    if (it.published && it.favourable !== null && !it.suppressed) sides.push({ who: t.employeesShort, own: it.favourable, ref: it.published, delta: it.publishedDelta, n: it.score?.n ?? it.distribution?.valid ?? null });
    if (pi && !pi.management.suppressed && pi.management.published && pi.management.favourable !== null) {
      sides.push({ who: t.managementShort, own: pi.management.favourable, ref: pi.management.published, delta: pi.management.publishedDelta, n: pi.management.score?.n ?? null });
    }
    for (const x of sides) {
      rows.push([
        td(`${i + 1} · ${x.who}`),
        num(fmtPct(x.own, lang), { bold: true }),
        num(figureValue(x.ref, f)),
        num(fmtPp(x.delta ?? x.own - x.ref.value, lang), { color: differenceColor(f, x.n !== null ? comparePercentageWithValue({ percentage: x.own, n: x.n }, x.ref.value) : null) }),
        td(x.ref.description[lang]),
      ]);
      refs.set(cite(x.ref, f), [...new Set([...(refs.get(cite(x.ref, f)) ?? []), ...(x.ref.population ? [x.ref.population[lang]] : [])])]);
    }
  });
  const rank = m.percentiles.overall;
  const comparison: Content[] = [];
  if (rows.length > 0) {
    comparison.push(dataTable(f, [th(t.statement), th(t.here, 'right'), th(t.figure, 'right'), th(t.gap, 'right'), th(t.whatAndSource)], rows, [74, 34, 44, 40, '*'], { margin: [0, 0, 0, 2] }));
    comparison.push({
      text: [...[...refs].map(([source, populations]) => `${t.sourceLabel}: ${source}${populations.length ? ` (${populations.join('; ')})` : ''}.`), NATIONAL_COMPARISON_CAVEAT[lang]].join(' '),
      style: 'tiny',
      margin: [0, 0, 0, 3],
    });
  }
  if (rank.shown) comparison.push({ text: t.percentileLine(fmtPercentileBand(rank, lang), fmtCount(rank.groupSize, lang)), style: 'small' });
  // The comparison table has at most two rows per statement: small enough to keep with its heading.
  if (comparison.length > 0) out.push(...withHeading(h3(t.comparison), comparison));

  if (m.advice) out.push(callout(f, `${t.advice}${m.band ? ` · ${t.band[m.band]}` : ''}`, { text: m.advice[lang], style: 'small' }));
  if (m.interventions) {
    if (m.interventions.length === 0) out.push(...withHeading(h3(t.interventionsFor), [paragraph(t.noRelevantInterventions, 'muted')]));
    else out.push(interventionList(f, m.interventions, { details: false, heading: h3(t.interventionsFor) }));
  }
  return { opening, openingHeight, rest: out };
}

/** Interventions with their reason, owner and source; `details` adds the first step and the statement to watch. */
function interventionList(f: Frame, list: InterventionResult[], opts: { details: boolean; heading?: Content }): Content {
  const { t, lang, theme } = f;
  return keptList(
    list.map((i) => ({
      stack: [
        { text: [{ text: i.text[lang], bold: true }, { text: i.owner ? `  ${t.owner}: ${t.ownerLabels[i.owner]}` : '', color: theme.muted }], style: 'small' },
        ...(i.basis ? [{ text: i.basis[lang], style: 'tiny' }] : []),
        ...(opts.details && i.firstStep ? [{ text: [{ text: `${t.firstStep}: `, bold: true }, i.firstStep[lang]], style: 'tiny' }] : []),
        ...(i.source ? [{ text: `${t.basedOn}: ${i.source}`, style: 'tiny', color: theme.faint }] : []),
      ],
      margin: [0, 0, 0, 3] as [number, number, number, number],
    })),
    { markerColor: theme.muted, margin: [0, 1, 0, 2], ...(opts.heading ? { heading: opts.heading } : {}) },
  );
}

function segmentLinesNote(f: Frame): string {
  return f.model.segments.length > 0 ? ` ${f.t.segmentsNote}` : '';
}

function managementHiddenOrAbsent(f: Frame): string {
  const mgmt = managementForm(f.model);
  return mgmt && mgmt.belowThreshold && mgmt.submitted !== 0 ? f.t.managementHidden : f.t.noManagement;
}

// --- 5 SME checklist ----------------------------------------------------------------------------------

function checklistChapter(f: Frame, n: string, options: ReportOptions): Content[] {
  const { model, t, lang, theme } = f;
  const c = model.checklist;
  const out: Content[] = [chapter(f, n, t.checklist, c.answered === 0 ? t.checklistEmpty : t.checklistLead(String(c.inPlace), String(c.total)))];
  const present = new Set(c.practices.map((p) => p.answer ?? 'none'));
  const entries = (['yes', 'no', 'dont_know', 'none'] as const)
    .filter((a) => present.has(a))
    .map((a) => ({ color: checklistColor(a === 'none' ? null : a, theme), label: t.checklistAnswer[a] }));
  out.push(legend(f, entries));
  out.push({ stack: [options.renderChart(checklistChart(c, lang, theme))], margin: [0, 0, 0, 6] });
  // The shares describe SMEs; for an organisation of 250 or more they are context, not a standard to
  // be ahead of or behind.
  const comparable = smeSharesApply(model.meta.organisation.sizeClass);
  const ahead = comparable ? c.practices.filter((p) => p.answer === 'yes' && p.published.value < 50) : [];
  const behind = comparable ? c.practices.filter((p) => p.answer === 'no' && p.published.value > 50) : [];
  if (!comparable) out.push(callout(f, t.checklistLargeTitle, { text: t.checklistLarge, style: 'small' }));
  const list = (title: string, items: typeof c.practices): Content | null =>
    items.length === 0
      ? null
      : {
          margin: [0, 4, 0, 4] as [number, number, number, number],
          stack: [
            keptList(
              items.map((p) => ({ text: `${p.text[lang]} (${lang === 'nl' ? 'mkb' : 'SMEs'}: ${figureValue(p.published, f, 1)})`, style: 'small' })),
              { heading: { text: title, bold: true, fontSize: SIZE.small, color: theme.accentInk, margin: [0, 0, 0, 2] }, markerColor: theme.accent },
            ),
          ],
        };
  const a = list(t.checklistAhead, ahead);
  const b = list(t.checklistBehind, behind);
  if (a) out.push(a);
  if (b) out.push(b);
  const source = c.practices[0]?.published;
  if (source) out.push({ text: `${t.checklistSource(cite(source, f))}. ${t.populationLabel}: ${source.population ? source.population[lang] : t.dash}. ${t.checklistCaveat}`, style: 'muted', margin: [0, 6, 0, 0] });
  return out;
}

// --- 6 dialogue model --------------------------------------------------------------------------------

function dialogueChapter(f: Frame, n: string): Content[] {
  const { model, t, lang, theme } = f;
  const d = model.dialogue;
  const out: Content[] = [chapter(f, n, t.dialogue, t.dialogueLead)];
  const groups = visiblePoints(d, ['past', 'current', 'desired']);
  if (groups.length === 0) {
    out.push(paragraph(t.notIncluded, 'muted'));
    return out;
  }
  out.push({ svg: quadrantSvg(d, lang, theme, { height: 322 }), width: CONTENT_WIDTH, margin: [0, 0, 0, 0] });
  out.push({ text: DIALOGUE_MODEL.source, style: 'tiny', alignment: 'center', margin: [0, 0, 0, 2] });

  if (d.conversation) out.push(...conversationBlocks(f, d.conversation));
  else {
  const visible = new Set(groups.map((g) => g.group));
  const moves: Content[] = [];
  for (const g of d.groups) {
    if (!g.move || !visible.has(g.group)) continue;
    const mv = g.move;
    const current = g.frames.find((x) => x.frame === 'current')?.summary;
    const line = mv.quadrantChanged
      ? t.moveLine(t.groups[g.group], quadrantLabel(mv.fromQuadrant, lang), quadrantLabel(mv.toQuadrant, lang), fmtPoint(mv.distance, lang))
      : t.moveSame(t.groups[g.group], quadrantLabel(mv.fromQuadrant, lang), fmtPoint(mv.distance, lang));
    moves.push({
      margin: [0, 0, 0, 3],
      columns: [
        { width: 9, canvas: [{ type: 'rect', x: 0, y: 2.5, w: 6, h: 6, color: groupColor(g.group, theme) }] },
        { width: '*', text: [{ text: line }, { text: current ? `  ${t.placedBy(fmtCount(current.n, lang))}` : '', color: theme.faint, fontSize: SIZE.small }] },
      ],
    });
  }
  out.push(...withHeading(h2(t.moveTitle), moves));

  const dis = d.disagreements.filter((x) => visible.has(x.groupA) && visible.has(x.groupB));
  if (dis.length === 0) out.push(...withHeading(h2(t.disagreementTitle), [paragraph(t.noDisagreements, 'muted')]));
  else {
    // One line per time frame: every pair of groups with the distance between their mean points.
    const frames = (['past', 'current', 'desired'] as const).filter((fr) => dis.some((x) => x.frame === fr));
    out.push(
      keptList(
        frames.map((fr) => ({
          text: [
            { text: `${t.frames[fr]}: `, bold: true },
            dis
              .filter((x) => x.frame === fr)
              .map((x) => t.disagreementPair(t.groups[x.groupA], t.groups[x.groupB], fmtPoint(x.distance, lang), x.sameQuadrant))
              .join('  ·  '),
          ],
          style: 'small',
        })),
        { heading: h2(t.disagreementTitle), markerColor: theme.accent, margin: [0, 0, 0, 4] },
      ),
    );
    out.push({ text: t.disagreementNote, style: 'tiny', margin: [0, 0, 0, 4] });
  }
  }
  out.push(...withHeading(h2(t.dialogueMeaningTitle), t.dialogueMeaning.map((p) => paragraph(p, 'small', [0, 0, 0, 4]))));
  return out;
}

/** The story per group, the spread of placements over the quadrants, and where groups differ most. */
function conversationBlocks(f: Frame, c: DialogueConversationResult): Content[] {
  const { t, lang, theme } = f;
  const stories: Content[] = [];
  for (const g of c.groups) {
    stories.push({
      margin: [0, 0, 0, 3],
      columns: [
        { width: 9, canvas: [{ type: 'rect', x: 0, y: 2.5, w: 6, h: 6, color: groupColor(g.group, theme) }] },
        { width: '*', text: narrateGroup(g, lang), style: 'small' },
      ],
    });
  }
  const out: Content[] = withHeading(h2(t.conversationTitle), stories);
  const rows: TableCell[][] = [];
  for (const g of c.groups) {
    g.frames.forEach((fr, i) => {
      const group = td(i === 0 ? t.groups[g.group] : '', { bold: true });
      if (fr.suppressed || !fr.shares) {
        rows.push([group, td(t.frames[fr.frame]), { text: t.tooFewPlacements, style: 'muted', colSpan: 8 }, {}, {}, {}, {}, {}, {}, {}]);
        return;
      }
      rows.push([
        group,
        td(t.frames[fr.frame]),
        num(fr.n === null ? t.dash : fmtCount(fr.n, lang)),
        ...QUADRANT_IDS.map((q) => num(fmtPct(fr.shares![q], lang), { bold: fr.shared === q })),
        num(fr.onBorder === null ? t.dash : fmtPct(fr.onBorder, lang)),
        num(fr.spread === null ? t.dash : `${fmtPoint(fr.spread, lang)}`),
        td(fr.shared ? quadrantLabel(fr.shared, lang) : t.noSharedPicture, { color: fr.shared ? theme.ink : theme.bad }),
      ]);
    });
  }
  // At most four groups of three frames: a small table, kept with its heading.
  out.push(
    ...withHeading(h3(t.pictureTitle), [dataTable(
      f,
      [th(t.pictureCols.group), th(t.pictureCols.frame), th(t.pictureCols.n, 'right'), ...QUADRANT_IDS.map((q) => th(quadrantLabel(q, lang), 'right')), th(t.pictureCols.border, 'right'), th(t.pictureCols.spread, 'right'), th(t.pictureCols.picture)],
      rows,
      [58, 44, 20, 44, 44, 40, 48, 40, 40, '*'],
      { margin: [0, 0, 0, 2] },
    )]),
  );
  out.push({ text: t.pictureRules(c.rules.borderBand, c.rules.sharedPictureShare), style: 'tiny', margin: [0, 0, 0, 4] });
  const most = narrateDifference(c, lang);
  if (!most) out.push(...withHeading(h3(t.differMostTitle), [paragraph(t.noDisagreements, 'muted')]));
  else {
    out.push(...withHeading(h3(t.differMostTitle), [paragraph(most, 'small', [0, 0, 0, 2])]));
    const others = c.differences.slice(1, 4).map((x) => `${t.frames[x.frame]}: ${t.groups[x.groupA]} – ${t.groups[x.groupB]} ${fmtPct(x.difference, lang)}`);
    if (others.length) out.push({ text: others.join('  ·  '), style: 'tiny', margin: [0, 0, 0, 2] });
    out.push({ text: t.differenceNote, style: 'tiny', margin: [0, 0, 0, 4] });
  }
  return out;
}

// --- 7 factors ---------------------------------------------------------------------------------------

function factorsChapter(f: Frame, n: string, options: ReportOptions): Content[] {
  const { model, t, lang, theme } = f;
  const fx = model.factors;
  const out: Content[] = [chapter(f, n, t.factors, t.factorsLead)];
  const spec = fx.suppressed ? null : factorsChart(fx, lang, theme);
  if (!spec) {
    out.push(paragraph(t.factorsSuppressed(model.meta.threshold), 'muted'));
    return out;
  }
  if (fx.respondents !== null) out.push({ text: t.respondentsCount(fmtCount(fx.respondents, lang)), style: 'muted', margin: [0, 0, 0, 4] });
  out.push({ stack: [options.renderChart(spec)], margin: [0, 0, 0, 8] });
  const byId = new Map(fx.groups.flatMap((g) => g.factors).map((x) => [x.factorId, x]));
  const list = (ids: string[], pick: 'stimulating' | 'hindering') =>
    ids
      .map((id) => byId.get(id))
      .filter((x): x is NonNullable<typeof x> => x !== undefined && x[pick] !== null)
      .map((x) => ({ text: [{ text: x.label[lang] }, { text: `  ${fmtPct(x[pick]!, lang)}`, bold: true, color: theme.accentInk }], style: 'small' }));
  out.push({
    unbreakable: true,
    columnGap: 24,
    columns: [
      { width: '*', stack: [h3(t.topStimulating), { ol: list(fx.topStimulating, 'stimulating'), markerColor: theme.muted }] },
      { width: '*', stack: [h3(t.topHindering), { ol: list(fx.topHindering, 'hindering'), markerColor: theme.muted }] },
    ],
  });
  return out;
}

// --- 8 priorities and action plan ----------------------------------------------------------------------

function prioritiesChapter(f: Frame, n: string): Content[] {
  const { model, t, lang, theme } = f;
  const out: Content[] = [chapter(f, n, t.priorities, t.prioritiesLead)];
  if (model.priorities.length === 0) out.push(paragraph(t.noPriorities, 'muted'));
  for (const p of model.priorities) {
    out.push({
      unbreakable: true,
      margin: [0, 4, 0, 10],
      columns: [
        { width: 26, text: String(p.rank), fontSize: 20, bold: true, color: theme.accentInk },
        {
          width: '*',
          stack: [
            {
              text: [
                { text: p.name[lang], bold: true, fontSize: 11 },
                { text: p.score !== null ? `    ${t.scoreOf} ${fmtScore(p.score, lang)}` : '', color: theme.muted, fontSize: SIZE.small },
                { text: p.favourable !== null ? ` · ${fmtPct(p.favourable, lang)} ${t.favourable}` : '', color: theme.muted, fontSize: SIZE.small },
              ],
              margin: [0, 0, 0, 3],
            },
            ...(p.reasons.length > 0
              ? [
                  { text: t.why, bold: true, fontSize: SIZE.small, color: theme.accentInk },
                  { ul: p.reasons.map((r) => ({ text: r.text[lang], style: 'small' })), markerColor: theme.muted, margin: [0, 1, 0, 4] as [number, number, number, number] },
                ]
              : []),
            ...(p.interventions.length > 0
              ? [
                  { text: t.interventions, bold: true, fontSize: SIZE.small, color: theme.accentInk },
                  interventionList(f, p.interventions.slice(0, 3), { details: true }),
                  ...(p.interventions.length > 3
                    ? [{ text: [{ text: `${t.alsoRelevant}: `, bold: true }, p.interventions.slice(3).map((i) => i.text[lang]).join('; ')], style: 'tiny', margin: [0, 0, 0, 2] as [number, number, number, number] }]
                    : []),
                ]
              : []),
          ],
        },
      ],
    });
  }

  out.push({ text: t.actionPlan, style: 'h1', pageBreak: 'before', tocItem: true, tocStyle: { fontSize: 9.5, color: theme.muted }, tocNumberStyle: { fontSize: 9.5, color: theme.muted }, tocMargin: [14, 3, 0, 0] });
  if (f.actionPlan.length > 0) {
    out.push(...actionPlanTable(f));
    return out;
  }
  out.push({ text: t.actionPlanLead, style: 'lead' });
  // No plan recorded yet: pre-filled from the top three priorities and their top three interventions;
  // blank rows for the client's own actions.
  const rows: TableCell[][] = [];
  for (const p of model.priorities.slice(0, 3)) {
    p.interventions.slice(0, 3).forEach((i, n) => {
      rows.push([
        { text: n === 0 ? `${p.rank}. ${p.name[lang]}` : '', bold: true, style: 'td' },
        { stack: [{ text: i.text[lang], bold: true, fontSize: SIZE.small }, ...(i.firstStep ? [{ text: i.firstStep[lang], style: 'tiny' }] : [])] },
        { text: i.owner ? t.ownerLabels[i.owner] : '', style: 'td' },
        { text: i.firstStep ? t.thisMonth : '', style: 'tiny' },
        { text: i.watchItemText ? t.watchNext(i.watchItemText[lang].replace(/\.$/, '')) : '', style: 'tiny' },
      ]);
    });
  }
  for (let blank = 0; blank < 2; blank++) rows.push([{ text: '', style: 'td' }, '', '', '', '']);
  out.push({
    table: {
      headerRows: 1,
      dontBreakRows: true,
      // Wide enough for the longest mechanism name and owner ("Ontwikkelingsgerichte", "Leidinggevende") unbroken.
      widths: [96, '*', 66, 44, 100],
      heights: (row: number) => (row === 0 ? 'auto' : 40),
      body: [t.actionCols.map((c) => ({ text: c, style: 'th', color: theme.onAccent, fillColor: theme.accent, margin: [2, 2, 2, 2] })), ...rows],
    },
    layout: actionTableLayout(theme),
  });
  return out;
}

/** The ruled grid of the action-plan tables (the draft and the recorded plan). */
function actionTableLayout(theme: Frame['theme']) {
  return {
    hLineWidth: () => 0.6,
    vLineWidth: () => 0.6,
    hLineColor: () => theme.rule,
    vLineColor: () => theme.rule,
    paddingLeft: () => 5,
    paddingRight: () => 5,
    paddingTop: () => 4,
    paddingBottom: () => 4,
  };
}

const PLAN_TEXT = {
  nl: {
    lead: 'Het actieplan zoals het in de werkplek is vastgelegd: per actie het mechanisme of de prioriteit waar ze uit voortkomt, de eigenaar, de datum en de status. Bij de volgende meting ziet u hoe de gekozen stellingen bewogen.',
    cols: ['Aanleiding', 'Actie', 'Wie', 'Wanneer', 'Status'],
    priority: 'prioriteit',
    mechanism: 'mechanisme',
    status: { planned: 'Gepland', in_progress: 'Bezig', done: 'Klaar', dropped: 'Vervallen' },
    items: 'Stellingen',
  },
  en: {
    lead: 'The action plan as recorded in the workspace: per action the mechanism or priority it answers, the owner, the date and the status. The next round shows how the chosen statements moved.',
    cols: ['Starting point', 'Action', 'Who', 'When', 'Status'],
    priority: 'priority',
    mechanism: 'mechanism',
    status: { planned: 'Planned', in_progress: 'In progress', done: 'Done', dropped: 'Dropped' },
    items: 'Statements',
  },
} as const;

/** The recorded action plan as a table, in the order it was made. */
function actionPlanTable(f: Frame): Content[] {
  const { model, lang, theme } = f;
  const P = PLAN_TEXT[lang];
  const itemText = (id: string) => model.mechanisms.flatMap((m) => m.items).find((i) => i.itemId === id)?.text[lang] ?? id;
  // A due date is a calendar day (YYYY-MM-DD); noon UTC is that same day in Amsterdam.
  const date = (d: string | null) => (d ? fmtDate(`${d}T12:00:00Z`, lang) : f.t.dash);
  const rows: TableCell[][] = f.actionPlan.map((a) => [
    {
      stack: [
        { text: model.mechanisms.find((m) => m.mechanismId === a.mechanismId)?.name[lang] ?? a.mechanismId, bold: true, fontSize: SIZE.small },
        { text: a.source === 'priority' ? P.priority : P.mechanism, style: 'tiny', color: theme.muted },
      ],
    },
    {
      stack: [
        { text: a.title, bold: true, fontSize: SIZE.small },
        ...(a.itemIds.length > 0 ? [{ text: `${P.items}: ${a.itemIds.map(itemText).join('; ')}`, style: 'tiny' }] : []),
        ...(a.notes ? [{ text: a.notes, style: 'tiny', color: theme.muted }] : []),
      ],
    },
    { text: a.owner, style: 'td' },
    { text: date(a.dueDate), style: 'tiny' },
    { text: P.status[a.status], style: 'td', bold: a.status === 'done' },
  ]);
  return [
    { text: P.lead, style: 'lead' },
    {
      table: {
        headerRows: 1,
        dontBreakRows: true,
        widths: [88, '*', 70, 56, 56],
        body: [P.cols.map((c) => ({ text: c, style: 'th', color: theme.onAccent, fillColor: theme.accent, margin: [2, 2, 2, 2] })), ...rows],
      },
      layout: actionTableLayout(theme),
    },
  ];
}

// --- 9 appendix -------------------------------------------------------------------------------------

function appendixChapter(f: Frame, n: string): Content[] {
  const { model, t, lang, theme } = f;
  const out: Content[] = [chapter(f, n, t.appendix, t.appendixLead)];

  // Counts and response. A form under the threshold shows no count at all.
  const anyHidden = model.response.perForm.some((p) => p.belowThreshold);
  const formName = (form: 'employee' | 'management') => (form === 'employee' ? t.employees : t.management);
  const rows: TableCell[][] = model.response.perForm.map((p) =>
    p.belowThreshold || p.submitted === null
      ? [td(formName(p.form)), num(p.invited !== null ? fmtCount(p.invited, lang) : t.dash), { text: t.belowThreshold(model.meta.threshold), style: 'muted', colSpan: 2, alignment: 'right' }, {}]
      : [td(formName(p.form)), num(p.invited !== null ? fmtCount(p.invited, lang) : t.dash), num(fmtCount(p.submitted, lang)), num(p.rate !== null ? fmtPct(p.rate, lang) : t.dash)],
  );
  if (!anyHidden && model.response.submitted !== null) {
    rows.push([
      td(t.total, { bold: true }),
      num(model.response.invited !== null ? fmtCount(model.response.invited, lang) : t.dash, { bold: true }),
      num(fmtCount(model.response.submitted, lang), { bold: true }),
      num(model.response.rate !== null ? fmtPct(model.response.rate, lang) : t.dash, { bold: true }),
    ]);
  }
  out.push(...withHeading(h2(t.counts), [dataTable(f, [th(t.form), th(t.invited, 'right'), th(t.submitted, 'right'), th(t.rate, 'right')], rows, ['*', 70, 70, 60])]));

  const segRows: TableCell[][] = [];
  for (const d of model.response.perSegment) {
    const groups = d.groups.filter((g): g is Extract<typeof g, { hidden: false }> => !g.hidden);
    if (groups.length === 0) continue;
    const label = model.segments.find((s) => s.dimension === d.dimension)?.label[lang] ?? d.dimension;
    groups.forEach((g, i) =>
      segRows.push([
        td(i === 0 ? label : '', { bold: true }),
        td(g.label[lang]),
        num(fmtCount(g.submitted, lang)),
        num(g.rate !== null ? fmtPct(g.rate, lang) : t.dash),
      ]),
    );
  }
  if (segRows.length > 0) {
    const table = dataTable(f, [th(lang === 'nl' ? 'Indeling' : 'Breakdown'), th(t.group), th(t.submitted, 'right'), th(t.rate, 'right')], segRows, [80, '*', 60, 60]);
    const note: Content = { text: t.hiddenGroupsNote, style: 'tiny', margin: [0, -4, 0, 6] };
    // A row is about 16 pt: up to 30 rows the table goes with its heading; a longer one may start on the heading's page.
    out.push(...(segRows.length <= 30 ? withHeading(h3(t.responseBySegment), [table, note]) : [h3(t.responseBySegment), table, note]));
  }

  // The scan has no open questions, so the appendix promises no open answers.
  out.push(keptList([t.thresholdLine(model.meta.threshold)], { heading: h2(t.thresholds), style: 'small', markerColor: theme.accent }));

  out.push(
    ...withHeading(h2(t.reliability), [dataTable(
      f,
      [th(t.mechanism), th(t.itemCount, 'right'), th(`Cronbach's ${t.alpha}`, 'right'), th(lang === 'nl' ? '95%-interval' : '95% interval', 'right'), th(t.alphaN, 'right')],
      model.mechanisms.map((m) => [
        td(m.name[lang]),
        num(String(m.items.length)),
        num(m.alpha && m.alpha.value !== null ? fmtAlpha(m.alpha.value, lang) : t.dash),
        num(m.alpha?.interval ? `${fmtAlpha(m.alpha.interval.lower, lang)} – ${fmtAlpha(m.alpha.interval.upper, lang)}` : t.dash),
        num(m.alpha ? fmtCount(m.alpha.n, lang) : t.dash),
      ]),
      ['*', 50, 70, 80, 60],
    )]),
  );
  const negative = negativeAlphaNote(f);
  if (negative) out.push({ text: negative, style: 'tiny', margin: [0, -4, 0, 6] });
  // Statements that hang together weakly with the rest of their scale (item-rest correlation under .20).
  const flagged = model.mechanisms.flatMap((m) => (m.alpha?.items ?? []).filter((i) => i.flagged).map((i) => ({ m, i })));
  out.push({
    text:
      flagged.length === 0
        ? lang === 'nl'
          ? 'Geen uitspraak heeft een item-restcorrelatie onder 0,20.'
          : 'No statement has an item-rest correlation under 0.20.'
        : `${lang === 'nl' ? 'Item-restcorrelatie onder 0,20 (mogelijk anders gelezen dan bedoeld)' : 'Item-rest correlation under 0.20 (possibly read differently than intended)'}: ${flagged
            .map(({ m, i }) => `${m.items.find((x) => x.itemId === i.itemId)?.text[lang] ?? i.itemId} (${fmtAlpha(i.itemRest ?? 0, lang)})`)
            .join('; ')}`,
    style: 'tiny',
    margin: [0, -4, 0, 6],
  });

  out.push({ text: t.itemList, style: 'h2', pageBreak: 'before' });
  out.push({ text: t.itemListNote, style: 'muted', margin: [0, 0, 0, 4] });
  for (const m of model.mechanisms) {
    out.push({
      unbreakable: true,
      stack: [
        h3(m.name[lang]),
        dataTable(
          f,
          [th('#'), th(t.statement)],
          m.items.map((it, i) => [td(`${i + 1}`, { color: theme.muted }), td(`${it.text[lang]}${it.reverse ? ` ${t.reversedMark}` : ''}`)]),
          [16, '*'],
          { margin: [0, 0, 0, 4] },
        ),
      ],
    });
  }

  out.push({ text: t.sources, style: 'h2', pageBreak: 'before' });
  const sourceLines = new Set<string>();
  for (const s of model.benchmarkSources) sourceLines.add(cite(s, f));
  for (const m of model.mechanisms) for (const it of m.items) if (it.published) sourceLines.add(cite(it.published, f));
  for (const p of model.checklist.practices) sourceLines.add(cite(p.published, f));
  if (model.dialogue.included) sourceLines.add(DIALOGUE_MODEL.source);
  out.push(keptList([...sourceLines].map((s) => ({ text: s, style: 'small' })), { markerColor: theme.accent, margin: [0, 0, 0, 8] }));

  const notes = model.anonymity.notes.filter((x) => x.code !== 'groups_hidden' && x.code !== 'complementary_suppression');
  const extra: string[] = [];
  if (model.meta.source === 'snapshot') extra.push(t.snapshot);
  if (model.meta.segmentFilter) extra.push(t.segmentFilter(model.meta.segmentFilter.label[lang]));
  if (notes.length + extra.length > 0) {
    out.push(keptList([...extra, ...notes.map((x) => x.text[lang])].map((s) => ({ text: s, style: 'small' })), { heading: h2(t.notes), markerColor: theme.accent, margin: [0, 0, 0, 8] }));
  }
  out.push({ text: t.generatedAt(fmtDate(model.meta.generatedAt, lang)), style: 'tiny', margin: [0, 0, 0, 0] });

  out.push({ text: t.method, style: 'h2', pageBreak: 'before' });
  for (const section of methodologyFor(lang)) {
    const blocks: Content[] = [];
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'paragraph':
          blocks.push(paragraph(block.text, 'small', [0, 0, 0, 4]));
          break;
        case 'list':
          blocks.push(keptList(block.items.map((i) => ({ text: i, style: 'small' })), { markerColor: theme.muted, margin: [0, 0, 0, 4] }));
          break;
        case 'formula':
          blocks.push({
            margin: [0, 1, 0, 5],
            table: { widths: ['*'], body: [[{ text: block.text, fontSize: SIZE.small, color: theme.ink, fillColor: theme.paper, margin: [6, 3, 6, 3] }]] },
            layout: 'noBorders',
          });
          break;
        case 'table': {
          // Short columns (numbers, shares) take their width; text columns share the rest.
          const widths = block.header.map((h, c) => (Math.max(h.length, ...block.rows.map((r) => (r[c] ?? '').length)) <= 14 ? 'auto' : '*'));
          blocks.push(dataTable(f, block.header.map((h) => th(h)), block.rows.map((r) => r.map((c) => td(c))), widths, { margin: [0, 0, 0, 6] }));
          break;
        }
      }
    }
    // The section's title goes with its first block (a paragraph, list, formula or short table).
    out.push({ stack: withHeading(h3(section.title), blocks) });
  }
  return out;
}

