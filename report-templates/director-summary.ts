// The director summary: two or three pages for the board. Key figures, the dialogue model with the
// current and desired position of each group, the top priorities and the mechanisms in one table.
// Pure: (result model, options) -> pdfmake document definition.

import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { ResultModel } from '../scans/result-model.js';
import { benchmarkOf, primaryBenchmark } from './charts.js';
import { narrateDifference } from '../scans/scoring/dialogue.js';
import { cite, currentToDesired, differenceColor, fromTo, quadrantLabel, responseTiles } from './client-report.js';
import { compareWithBenchmark } from '../scans/differences.js';
import { dataTable, documentShell, frameFor, h2, keyFigures, num, paragraph, td, th, titleBlock, withHeading, type Frame, type ReportOptions } from './components.js';
import { fmtCount, fmtPct, fmtPoint, fmtScore, fmtScoreDelta } from './format.js';
import { groupColor, quadrantSvg, visiblePoints } from './quadrant.js';
import { SIZE } from './theme.js';

export function buildDirectorSummary(model: ResultModel, options: ReportOptions): TDocumentDefinitions {
  const f = frameFor(model, options);
  const { t, lang, theme } = f;
  const content: Content[] = [];

  // Page 1: title block, key figures, the dialogue model now and desired.
  content.push(titleBlock(f, model, t.directorKicker, t.directorTitle));
  content.push({ text: t.directorLead, style: 'lead' });
  content.push(h2(t.keyFigures));
  content.push(keyFigures(f, responseTiles(f)));

  if (model.dialogue.included && visiblePoints(model.dialogue, ['current', 'desired']).length > 0) {
    content.push(
      ...withHeading(h2(t.quadrantNowDesired), [
        {
          columnGap: 14,
          columns: [
            { width: 300, svg: quadrantSvg(model.dialogue, lang, theme, { frames: ['current', 'desired'], width: 300, height: 290 }) },
            { width: '*', stack: moveLines(f), margin: [0, 20, 0, 0] },
          ],
        },
      ]),
    );
  }

  // Page 2: priorities and the mechanisms.
  content.push({ text: t.topPriorities, style: 'h1', pageBreak: 'before', margin: [0, 0, 0, 8] });
  const priorities = model.priorities.slice(0, 3);
  if (priorities.length === 0) content.push(paragraph(t.noPriorities, 'muted'));
  for (const p of priorities) {
    content.push({
      unbreakable: true,
      margin: [0, 0, 0, 10],
      columns: [
        { width: 24, text: String(p.rank), fontSize: 18, bold: true, color: theme.accentInk },
        {
          width: '*',
          stack: [
            {
              text: [
                { text: p.name[lang], bold: true, fontSize: 10.5 },
                { text: p.score !== null ? `   ${t.scoreOf} ${fmtScore(p.score, lang)}` : '', color: theme.muted, fontSize: SIZE.small },
                { text: p.favourable !== null ? ` · ${fmtPct(p.favourable, lang)} ${t.favourable}` : '', color: theme.muted, fontSize: SIZE.small },
              ],
              margin: [0, 0, 0, 2],
            },
            ...p.reasons.map((r) => ({ text: r.text[lang], style: 'muted' })),
            ...(p.interventions.length > 0
              ? [
                  { text: t.interventions, bold: true, fontSize: SIZE.small, color: theme.accentInk, margin: [0, 4, 0, 1] as [number, number, number, number] },
                  { ul: p.interventions.slice(0, 3).map((i) => ({ text: i.text[lang], style: 'small' })), markerColor: theme.muted },
                ]
              : []),
          ],
        },
      ],
    });
  }

  const bench = primaryBenchmark(model.mechanisms);
  const rows: TableCell[][] = model.mechanisms.map((m) => {
    if (m.suppressed || !m.score) return [td(m.name[lang]), { text: t.suppressedMechanism(model.meta.threshold), style: 'muted', colSpan: 3 }, {}, {}];
    const b = benchmarkOf(m, bench?.sourceId);
    return [
      td(m.name[lang]),
      num(fmtScore(m.score.mean, lang), { bold: true }),
      num(m.favourable !== null ? fmtPct(m.favourable, lang) : t.dash),
      num(b && b.delta !== null ? fmtScoreDelta(b.delta, lang) : t.dash, { color: b && b.delta !== null ? differenceColor(f, compareWithBenchmark(b, m.score)) : theme.muted }),
    ];
  });
  // Seven rows: the table goes with its heading.
  content.push(...withHeading(h2(t.mechanismsAtGlance), [dataTable(f, [th(t.mechanism), th(t.score, 'right'), th(t.favourableCol, 'right'), th(t.vsBenchmark, 'right')], rows, ['*', 50, 60, 70], { zebra: true })]));
  if (bench) {
    const source = model.benchmarkSources.find((s) => s.id === bench.sourceId);
    content.push({ text: `${t.benchmarkUsed(bench.label[lang])}${source ? ` ${cite(source, f)}.` : ''}`, style: 'muted' });
  }
  content.push({ text: t.readFull, style: 'muted', margin: [0, 8, 0, 0] });
  return documentShell(f, t.directorTitle, content);
}

function moveLines(f: Frame): Content[] {
  const { model, t, lang, theme } = f;
  const out: Content[] = [];
  const c = model.dialogue.conversation;
  if (c) {
    // From the conversation view: a split group is never given the quadrant of its mean point.
    for (const g of c.groups.filter((x) => x.frames.some((fr) => fr.shares !== null))) {
      out.push({
        margin: [0, 0, 0, 6],
        columns: [
          { width: 9, canvas: [{ type: 'rect', x: 0, y: 2.5, w: 6, h: 6, color: groupColor(g.group, theme) }] },
          { width: '*', stack: [{ text: t.groups[g.group], bold: true }, { text: currentToDesired(f, g), style: 'small' }] },
        ],
      });
    }
    const most = narrateDifference(c, lang);
    if (most) out.push({ stack: [{ text: t.differMostTitle, bold: true, fontSize: SIZE.small, color: theme.accentInk, margin: [0, 4, 0, 2] }, { text: most, style: 'small' }] });
    return out;
  }
  const visible = new Set(visiblePoints(model.dialogue, ['current', 'desired']).map((g) => g.group));
  for (const g of model.dialogue.groups) {
    if (!g.move || !visible.has(g.group)) continue;
    const mv = g.move;
    const current = g.frames.find((x) => x.frame === 'current')?.summary;
    out.push({
      margin: [0, 0, 0, 8],
      stack: [
        {
          columns: [
            { width: 9, canvas: [{ type: 'rect', x: 0, y: 2.5, w: 6, h: 6, color: groupColor(g.group, theme) }] },
            { width: '*', text: t.groups[g.group], bold: true },
          ],
        },
        {
          text: mv.quadrantChanged
            ? fromTo(f, mv.fromQuadrant, mv.toQuadrant)
            : `${quadrantLabel(mv.fromQuadrant, lang)} (${lang === 'nl' ? 'binnen het kwadrant' : 'within the quadrant'})`,
          style: 'small',
          margin: [9, 1, 0, 0],
        },
        {
          text: `${t.distanceUnit(fmtPoint(mv.distance, lang))}${current ? ` · ${t.placedBy(fmtCount(current.n, lang))}` : ''}`,
          style: 'tiny',
          margin: [9, 1, 0, 0],
        },
      ],
    });
  }
  const dis = model.dialogue.disagreements.filter((x) => x.frame !== 'past' && visible.has(x.groupA) && visible.has(x.groupB) && !x.sameQuadrant);
  if (dis.length > 0) {
    out.push({ text: t.disagreementTitle, bold: true, fontSize: SIZE.small, color: theme.accentInk, margin: [0, 4, 0, 2] });
    for (const x of dis) {
      out.push({ text: t.disagreementLine(t.frames[x.frame], t.groups[x.groupA], t.groups[x.groupB], fmtPoint(x.distance, lang), x.sameQuadrant), style: 'small', margin: [0, 0, 0, 2] });
    }
  }
  return out;
}
