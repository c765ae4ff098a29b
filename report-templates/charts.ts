// Chart.js configurations for the reports, built from the result model. Pure: a chart is described as
// a ChartSpec (size + configuration); the report service renders it (chartjs-node-canvas, SVG) and
// hands back pdfmake content through the ChartRenderer the templates receive.
//
// Chart sizes are in pt and drawn 1:1, so an 8 px chart font prints at 8 pt like the body text. The
// set of sizes is small and fixed (the renderers are created once per size and reused).

import type { ChartConfiguration, Plugin } from 'chart.js';
import type { Content } from 'pdfmake/interfaces.js';
import type { ChecklistResult, FactorsResult, MechanismResult, Perspectives, BenchmarkComparison } from '../scans/result-model.js';
import type { Language } from '../scans/types.js';
import { fmtPct, fmtPublishedPct, wrapLabel } from './format.js';
import { stringsFor } from './i18n.js';
import type { Theme } from './theme.js';
import { wrapToWidth } from './text-width.js';

/** Full text width of an A4 page with the reports' margins, in pt. */
export const CONTENT_WIDTH = 483;

export interface ChartSpec {
  /** Stable id for logs and tests ("radar", "items-leadership", ...). */
  id: string;
  /** Drawing size in pt (= chart pixels). */
  width: number;
  height: number;
  config: ChartConfiguration;
}

/** Turns a chart spec into pdfmake content (an `svg` or `image` node of the spec's size). */
export type ChartRenderer = (spec: ChartSpec) => Content;

const FONT = 'Roboto';

function baseOptions(theme: Theme) {
  return {
    animation: false as const,
    responsive: false,
    devicePixelRatio: 1,
    font: { family: FONT, size: 8 },
    color: theme.ink,
  };
}

// --- radar: the seven mechanisms at a glance ----------------------------------------------------

/** The benchmark the overview compares with: the source that covers most mechanisms with a mean. */
/** The x axis of a diverging stacked bar: -100%..100% with the zero line drawn stronger. */
function divergingPercentAxis(theme: Theme) {
  return {
    stacked: true,
    min: -100,
    max: 100,
    ticks: { stepSize: 25, font: { size: 7 }, color: theme.faint, callback: (v: string | number) => `${Math.abs(Number(v))}%` },
    grid: {
      color: (c: { tick?: { value: number } }) => (c.tick?.value === 0 ? theme.muted : theme.rule),
      lineWidth: (c: { tick?: { value: number } }) => (c.tick?.value === 0 ? 1 : 0.5),
      drawTicks: false,
    },
    border: { display: false },
  };
}

export function primaryBenchmark(mechanisms: readonly MechanismResult[]): { sourceId: string; label: { nl: string; en: string } } | null {
  const counts = new Map<string, { n: number; label: { nl: string; en: string }; kindRank: number }>();
  const rank = { custom: 0, pool: 1, published: 2 } as const;
  for (const m of mechanisms) {
    for (const b of m.benchmarks) {
      if (b.metric !== 'mean') continue;
      const c = counts.get(b.sourceId) ?? { n: 0, label: b.label, kindRank: rank[b.kind] };
      c.n += 1;
      counts.set(b.sourceId, c);
    }
  }
  let best: [string, { n: number; label: { nl: string; en: string }; kindRank: number }] | undefined;
  for (const entry of counts) {
    if (!best || entry[1].n > best[1].n || (entry[1].n === best[1].n && entry[1].kindRank < best[1].kindRank)) best = entry;
  }
  return best ? { sourceId: best[0], label: best[1].label } : null;
}

export function benchmarkOf(m: MechanismResult, sourceId: string | undefined): BenchmarkComparison | undefined {
  return sourceId === undefined ? undefined : m.benchmarks.find((b) => b.sourceId === sourceId && b.metric === 'mean');
}

export function radarChart(mechanisms: readonly MechanismResult[], perspectives: Perspectives, lang: Language, theme: Theme, size = { width: 400, height: 300 }): ChartSpec {
  const t = stringsFor(lang);
  const bench = primaryBenchmark(mechanisms);
  const labels = mechanisms.map((m) => wrapLabel(m.name[lang], 22, 2));
  const employees = mechanisms.map((m) => (m.suppressed || !m.score ? null : m.score.mean));
  const datasets: ChartConfiguration<'radar'>['data']['datasets'] = [
    {
      label: t.radarOrganisation,
      data: employees,
      borderColor: theme.accent,
      backgroundColor: hexAlpha(theme.accent, 0.16),
      borderWidth: 2,
      pointRadius: 2.5,
      pointBackgroundColor: theme.accent,
      fill: true,
    },
  ];
  if (perspectives.available) {
    const mgmt = mechanisms.map((m) => {
      const p = perspectives.mechanisms.find((x) => x.mechanismId === m.mechanismId);
      return p && !p.management.suppressed && p.management.score ? p.management.score.mean : null;
    });
    if (mgmt.some((v) => v !== null)) {
      datasets.push({
        label: t.radarManagement,
        data: mgmt,
        borderColor: theme.series2,
        backgroundColor: 'rgba(0,0,0,0)',
        borderWidth: 1.6,
        pointRadius: 2,
        pointBackgroundColor: theme.series2,
        fill: false,
      });
    }
  }
  if (bench) {
    datasets.push({
      label: bench.label[lang],
      data: mechanisms.map((m) => benchmarkOf(m, bench.sourceId)?.value ?? null),
      borderColor: theme.series3,
      backgroundColor: 'rgba(0,0,0,0)',
      borderWidth: 1.4,
      borderDash: [4, 3],
      pointRadius: 0,
      fill: false,
    });
  }
  const config: ChartConfiguration<'radar'> = {
    type: 'radar',
    data: { labels, datasets },
    options: {
      ...baseOptions(theme),
      spanGaps: false,
      layout: { padding: { top: 2, bottom: 2 } },
      scales: {
        r: {
          min: 1,
          max: 5,
          ticks: { stepSize: 1, font: { size: 7 }, color: theme.faint, backdropColor: 'rgba(255,255,255,0.85)', backdropPadding: 1 },
          grid: { color: theme.rule },
          angleLines: { color: theme.rule },
          pointLabels: { font: { size: 8, family: FONT }, color: theme.ink, padding: 6 },
        },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, font: { size: 8, family: FONT }, color: theme.ink, padding: 10 } },
        tooltip: { enabled: false },
      },
    },
  };
  return { id: 'radar', width: size.width, height: size.height, config: config as ChartConfiguration };
}

// --- diverging stacked bars: the items of one mechanism -------------------------------------------

/** Chart height: a row per item, tall enough for its wrapped label (9 pt per line). */
export function itemChartHeight(labels: readonly (readonly string[])[]): number {
  const lines = Math.max(1, ...labels.map((l) => l.length));
  return 38 + labels.length * Math.max(22, lines * 9 + 5);
}

/** Width of the statement labels left of the item bars, in pt (the label is wrapped, never cut). */
export const ITEM_LABEL_WIDTH = 178;

export function itemLabel(index: number, text: string, reverse: boolean, lang: Language): string[] {
  const t = stringsFor(lang);
  return wrapToWidth(`${index + 1}. ${text}${reverse ? ` ${t.reversedMark}` : ''}`, ITEM_LABEL_WIDTH, 7.5);
}

/**
 * The items of one mechanism as diverging stacked bars (unfavourable left, favourable right), with the
 * % favourable of employees and, when shown, of management in two columns on the right.
 */
export function itemBarsChart(m: MechanismResult, management: Perspectives['mechanisms'][number] | null, lang: Language, theme: Theme): ChartSpec {
  const labels = m.items.map((it, i) => itemLabel(i, it.text[lang], it.reverse, lang));
  const share = (it: MechanismResult['items'][number], k: number): number => {
    if (it.suppressed || !it.distribution || it.distribution.valid === 0) return 0;
    return (it.distribution.counts[k]! / it.distribution.valid) * 100;
  };
  const names = lang === 'nl' ? ['Zeer ongunstig', 'Ongunstig', 'Neutraal', 'Gunstig', 'Zeer gunstig'] : ['Very unfavourable', 'Unfavourable', 'Neutral', 'Favourable', 'Very favourable'];
  const ds = (label: string, k: number, sign: 1 | -1, half = false) => ({
    label,
    data: m.items.map((it) => sign * share(it, k) * (half ? 0.5 : 1)),
    backgroundColor: theme.scale[k],
    borderWidth: 0,
    stack: 's',
    maxBarThickness: 15,
    categoryPercentage: 0.72,
    barPercentage: 1,
  });
  // Stacking starts at zero in dataset order: neutral halves first, then outwards.
  const datasets = [
    ds(names[2]!, 2, -1, true),
    ds(`${names[2]!} `, 2, 1, true),
    ds(names[1]!, 1, -1),
    ds(names[3]!, 3, 1),
    ds(names[0]!, 0, -1),
    ds(names[4]!, 4, 1),
  ];
  const t = stringsFor(lang);
  const favLabels = m.items.map((it) => (it.suppressed || it.favourable === null ? t.dash : fmtPct(it.favourable, lang)));
  const mgmtLabels =
    management && !management.management.suppressed
      ? m.items.map((it) => {
          const p = management.items.find((x) => x.itemId === it.itemId);
          return p && !p.management.suppressed && p.management.favourable !== null ? fmtPct(p.management.favourable, lang) : t.dash;
        })
      : null;
  const columns = [{ header: t.employeesShort, texts: favLabels, color: theme.ink, bold: true }];
  if (mgmtLabels) columns.push({ header: t.managementShort, texts: mgmtLabels, color: theme.series2, bold: true });
  const legendOrder = [names[0], names[1], names[2], names[3], names[4]];
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels, datasets },
    options: {
      ...baseOptions(theme),
      indexAxis: 'y',
      layout: { padding: { right: mgmtLabels ? 100 : 48, top: 6 } },
      scales: {
        x: divergingPercentAxis(theme),
        y: {
          stacked: true,
          ticks: { font: { size: 7.5, family: FONT }, color: theme.ink, autoSkip: false, crossAlign: 'far' },
          grid: { display: false },
          border: { display: false },
        },
      },
      plugins: {
        legend: {
          position: 'top',
          align: 'end',
          labels: {
            boxWidth: 9,
            boxHeight: 9,
            font: { size: 7.5, family: FONT },
            color: theme.muted,
            padding: 8,
            filter: (item) => !item.text.endsWith(' '),
            sort: (a, b) => legendOrder.indexOf(a.text) - legendOrder.indexOf(b.text),
          },
        },
        tooltip: { enabled: false },
      },
    },
    plugins: [rightColumns('favourable', columns, theme.muted)],
  };
  return { id: `items-${m.mechanismId}`, width: CONTENT_WIDTH, height: itemChartHeight(labels), config: config as ChartConfiguration };
}

/** Columns of texts right of the chart area, one per category, under a small header (% favourable). */
function rightColumns(id: string, columns: { header: string; texts: string[]; color: string; bold: boolean }[], headerColor: string): Plugin<'bar'> {
  return {
    id,
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const y = scales.y;
      if (!y) return;
      ctx.save();
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      columns.forEach((col, c) => {
        const x = chartArea.right + 44 + c * 52;
        ctx.font = `bold 6.5px ${FONT}`;
        ctx.fillStyle = headerColor;
        ctx.fillText(col.header, x, chartArea.top - 4);
        ctx.font = `${col.bold ? 'bold ' : ''}8px ${FONT}`;
        ctx.fillStyle = col.color;
        col.texts.forEach((text, i) => ctx.fillText(text, x, y.getPixelForValue(i)));
      });
      ctx.restore();
    },
  };
}

// --- SME checklist: share of SMEs per practice, coloured by the organisation's answer ----------------

export function checklistColor(answer: 'yes' | 'no' | 'dont_know' | null, theme: Theme): string {
  switch (answer) {
    case 'yes':
      return theme.accent;
    case 'no':
      return '#c9cfd4';
    case 'dont_know':
      return '#e6c08f';
    default:
      return '#e6e9ec';
  }
}

/** The checklist chart's reference line: half of the SMEs. */
export const CHECKLIST_REFERENCE = 50;

export function checklistChart(checklist: ChecklistResult, lang: Language, theme: Theme): ChartSpec {
  const labels = checklist.practices.map((p) => wrapToWidth(p.published.description[lang], ITEM_LABEL_WIDTH, 7.5));
  const values = checklist.practices.map((p) => p.published.value);
  const texts = checklist.practices.map((p) => fmtPublishedPct(p.published.value, 1, lang));
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: stringsFor(lang).checklistShare,
          data: values,
          backgroundColor: checklist.practices.map((p) => checklistColor(p.answer, theme)),
          borderWidth: 0,
          maxBarThickness: 14,
          categoryPercentage: 0.75,
          barPercentage: 1,
        },
      ],
    },
    options: {
      ...baseOptions(theme),
      indexAxis: 'y',
      layout: { padding: { right: 6 } },
      scales: {
        x: {
          min: 0,
          max: 100,
          ticks: { stepSize: 25, font: { size: 7 }, color: theme.faint, callback: (v) => `${Number(v)}%` },
          grid: { color: (c) => (c.tick?.value === CHECKLIST_REFERENCE ? theme.muted : theme.rule), lineWidth: (c) => (c.tick?.value === CHECKLIST_REFERENCE ? 1 : 0.5), drawTicks: false },
          border: { display: false },
        },
        y: { ticks: { font: { size: 7.5, family: FONT }, color: theme.ink, autoSkip: false }, grid: { display: false }, border: { display: false } },
      },
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
    },
    plugins: [barEndLabels('shareLabels', texts, theme.ink, checklist.practices.map((p) => (checklistColor(p.answer, theme) === theme.accent ? theme.onAccent : theme.ink)), [CHECKLIST_REFERENCE])],
  };
  const lines = Math.max(1, ...labels.map((l) => l.length));
  return { id: 'checklist', width: CONTENT_WIDTH, height: 40 + checklist.practices.length * Math.max(28, lines * 9 + 6), config: config as ChartConfiguration };
}

/**
 * Writes each bar's value just past its end (inside the bar, in `insideColors`, when it would leave the
 * chart). A label that would cross one of the reference lines at `references` (x values) goes inside
 * its bar's end instead (or, for a bar too short for it, just past the line): the line never runs
 * through a figure.
 */
export function barEndLabels(id: string, texts: string[], color: string, insideColors: string[], references: readonly number[] = []): Plugin<'bar'> {
  return {
    id,
    afterDatasetsDraw(chart) {
      const { ctx, chartArea } = chart;
      const meta = chart.getDatasetMeta(0);
      const xScale = chart.scales.x;
      const lines = xScale ? references.map((v) => xScale.getPixelForValue(v)) : [];
      ctx.save();
      ctx.font = `bold 7.5px ${FONT}`;
      ctx.textBaseline = 'middle';
      meta.data.forEach((bar, i) => {
        const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
        const text = texts[i] ?? '';
        const width = ctx.measureText(text).width;
        const crosses = (from: number) => lines.some((line) => from - LINE_CLEARANCE < line && from + width + LINE_CLEARANCE > line);
        // Past the bar's end; inside its end when that would leave the chart or cross a reference line
        // (and the bar is long enough); else just past the line.
        let inside = x + 34 > chartArea.right;
        let start = inside ? x - 4 - width : x + 4;
        if (!inside && crosses(start)) {
          if (x - 4 - width >= chartArea.left + 2 && !crosses(x - 4 - width)) {
            inside = true;
            start = x - 4 - width;
          } else start = Math.max(...lines.filter((line) => line >= start - LINE_CLEARANCE)) + LINE_CLEARANCE;
        }
        ctx.fillStyle = inside ? (insideColors[i] ?? color) : color;
        ctx.textAlign = 'left';
        ctx.fillText(text, start, y);
      });
      ctx.restore();
    },
  };
}

/** Space kept between a reference line and a label moved clear of it, in pt. */
const LINE_CLEARANCE = 3;

// --- factors: share stimulating (right) and hindering (left) per factor ------------------------------

export function factorsChart(factors: FactorsResult, lang: Language, theme: Theme): ChartSpec | null {
  const t = stringsFor(lang);
  const rows = factors.groups
    .flatMap((g) => g.factors)
    .filter((f) => f.mean !== null && f.stimulating !== null && f.hindering !== null)
    .sort((a, b) => (b.mean ?? 0) - (a.mean ?? 0));
  if (rows.length === 0) return null;
  const labels = rows.map((f) => f.label[lang]);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: t.hindering, data: rows.map((f) => -(f.hindering ?? 0)), backgroundColor: theme.scale[1], borderWidth: 0, stack: 's', maxBarThickness: 9, categoryPercentage: 0.8, barPercentage: 1 },
        { label: t.stimulating, data: rows.map((f) => f.stimulating ?? 0), backgroundColor: theme.scale[3], borderWidth: 0, stack: 's', maxBarThickness: 9, categoryPercentage: 0.8, barPercentage: 1 },
      ],
    },
    options: {
      ...baseOptions(theme),
      indexAxis: 'y',
      layout: { padding: { right: 4 } },
      scales: {
        x: divergingPercentAxis(theme),
        y: { stacked: true, ticks: { font: { size: 7.5, family: FONT }, color: theme.ink, autoSkip: false }, grid: { display: false }, border: { display: false } },
      },
      plugins: {
        legend: { position: 'top', align: 'end', labels: { boxWidth: 9, boxHeight: 9, font: { size: 7.5, family: FONT }, color: theme.muted } },
        tooltip: { enabled: false },
      },
    },
  };
  return { id: 'factors', width: CONTENT_WIDTH, height: 50 + rows.length * 15, config: config as ChartConfiguration };
}

/** "#rrggbb" + alpha as an rgba() string. */
export function hexAlpha(color: string, alpha: number): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  return `rgba(${r},${g},${b},${alpha})`;
}
