// The results dashboard, rendered from the result model (GET /api/v1/rounds/:id/results) and nothing
// else. Numbers are formatted with the reports' own formatters and the mechanism chart uses the
// reports' radar configuration, so the page and the PDF show the same figures the same way.
// Suppressed groups appear only as "hidden", never with a count.
import type { ChartConfiguration } from 'chart.js';
import { primaryBenchmark, radarChart } from '../../../report-templates/charts.js';
import { wrapLabel } from '../../../report-templates/format.js';
import { fmtAlpha, fmtCi, fmtPct, fmtPercentileBand, fmtPp, fmtPublishedPct, fmtScore, fmtScoreDelta } from '../../../report-templates/format.js';
import { themeFor } from '../../../report-templates/theme.js';
import { DEFAULT_K } from '../../../scans/anonymity.js';
import { narrateDifference, narrateGroup } from '../../../scans/scoring/dialogue.js';
import { compareIndependentMeans, comparePartWithWhole, comparePercentageWithValue, compareWithBenchmark, differenceWords, isFinding, type Difference } from '../../../scans/differences.js';
import { citeSource, NATIONAL_COMPARISON_CAVEAT, smeSharesApply } from '../../../scans/benchmarks/published.js';
import type { BenchmarkComparison, InterventionResult, MechanismResult, PerspectiveSide, ResultModel } from '../../../scans/result-model.js';
import { html, jsonData, type SafeHtml } from '../html.js';
import { fmtDate, fmtPublished, type Lang, type TextKey, type Translate } from '../i18n.js';
import { renderQuadrant, type QuadrantMarker } from './quadrant.js';
import { ACTION_TEXT, actionTable, progressTables, type Action, type ActionProgress } from '../pages/actions.js';

export interface DashboardInput {
  model: ResultModel;
  lang: Lang;
  t: Translate;
  accent: string | null;
  reportsAvailable: boolean;
  roundUrl: string;
  /** The previous round's served model (trend intervals); absent when there is none or it cannot be read. */
  previous?: ResultModel | null;
  /** The action plan of this round and how earlier actions' statements moved; absent: no plan section. */
  actions?: { list: Action[]; progress: ActionProgress | null; url: string } | null;
}

const num = (v: number | null | undefined, f: (x: number) => string) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : f(v));

/**
 * A difference as shown: coloured only when it is larger than its uncertainty (scans/differences.ts),
 * with the verdict in words as its title, and a visible word when the group is too small to tell.
 */
export function differenceMark(lang: Lang, text: string, dif: Difference | null, tone: 'signed' | 'gap' = 'signed'): SafeHtml {
  if (!dif) return html`<span>${text}</span>`;
  // A perception gap is a topic either way (never "good"): marked for attention in both directions.
  const cls = tone === 'gap' ? (isFinding(dif) ? 'delta-neg' : '') : dif.verdict === 'higher' ? 'delta-pos' : dif.verdict === 'lower' ? 'delta-neg' : '';
  const words = differenceWords(dif, lang);
  return html`<span class="${cls}" title="${words}" data-verdict="${dif.verdict}">${text}</span>${
    dif.verdict === 'too_small' ? html` <span class="muted small">${lang === 'nl' ? '(te kleine groep om te duiden)' : '(group too small to tell)'}</span>` : ''
  }<span class="visually-hidden">: ${words}</span>`;
}


/** The benchmark shown in the overview: the reports' choice (the source with most means), else the first. */
function primaryComparison(m: MechanismResult, sourceId: string | undefined): BenchmarkComparison | undefined {
  return (sourceId ? m.benchmarks.find((b) => b.sourceId === sourceId) : undefined) ?? m.benchmarks[0];
}

function benchText(lang: Lang, b: BenchmarkComparison | undefined, own: { n: number; mean: number; sd: number | null } | null): SafeHtml {
  if (!b) return html`<span class="muted">–</span>`;
  const value = b.metric === 'mean' ? fmtScore(b.value, lang) : fmtPct(b.value, lang);
  const delta = b.delta === null ? '' : b.metric === 'mean' ? fmtScoreDelta(b.delta, lang) : fmtPp(b.delta, lang);
  return html`${value}${delta ? html` (${differenceMark(lang, delta, compareWithBenchmark(b, own))})` : ''}`;
}

/** Distribution of keyed answers 1..5 as one stacked SVG bar (no inline styles under the CSP). */
export function distributionBar(counts: readonly number[], label: string): SafeHtml {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return html``;
  let x = 0;
  const rects = counts.map((c, i) => {
    const w = (c / total) * 100;
    const r = html`<rect class="${`d${i + 1}`}" x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="10"/>`;
    x += w;
    return r;
  });
  return html`<svg class="dist" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${label}">${rects}</svg>`;
}

function distLabel(lang: Lang, t: Translate, counts: readonly number[]): string {
  const total = counts.reduce((a, b) => a + b, 0);
  const names = lang === 'nl' ? ['helemaal oneens', 'oneens', 'neutraal', 'eens', 'helemaal eens'] : ['strongly disagree', 'disagree', 'neutral', 'agree', 'strongly agree'];
  return `${t('distribution')}: ${counts.map((c, i) => `${names[i]} ${total ? Math.round((c / total) * 100) : 0}%`).join(', ')}`;
}

function distLegend(lang: Lang): SafeHtml {
  const names = lang === 'nl' ? ['Zeer ongunstig', 'Ongunstig', 'Neutraal', 'Gunstig', 'Zeer gunstig'] : ['Very unfavourable', 'Unfavourable', 'Neutral', 'Favourable', 'Very favourable'];
  return html`<ul class="dist-legend" aria-hidden="true">${names.map((n, i) => html`<li><span class="${`swatch d${i + 1}`}"></span>${n}</li>`)}</ul>`;
}

/** The radar of the reports, made responsive and legible on a screen. */
function screenRadar(model: ResultModel, lang: Lang, accent: string | null): ChartConfiguration {
  const spec = radarChart(model.mechanisms, model.perspectives, lang, themeFor(accent));
  const config = spec.config as ChartConfiguration<'radar'>;
  const options = config.options ?? {};
  const r = (options.scales as Record<string, Record<string, unknown>> | undefined)?.r;
  if (r?.pointLabels) (r.pointLabels as Record<string, unknown>).font = { size: 11 };
  if (r?.ticks) (r.ticks as Record<string, unknown>).font = { size: 11 };
  const legend = options.plugins?.legend as Record<string, unknown> | undefined;
  if (legend?.labels) (legend.labels as Record<string, unknown>).font = { size: 12 };
  // Narrower, up to three lines on screen: Chart.js measures the labels but not the longest word,
  // which at 1366 px cut "Ontwikkelingsgerichte organisatie" at the canvas edge.
  config.data.labels = model.mechanisms.map((m) => wrapLabel(m.name[lang], 16, 3));
  // Chart.js does not wrap legend items: the benchmark's long name (shown in full beside the chart)
  // ran off the canvas. The legend says "Benchmark".
  config.data.datasets = config.data.datasets.map((ds, i) => (i >= 2 || (i === 1 && !model.perspectives.available) ? { ...ds, label: 'Benchmark' } : ds));
  return {
    ...config,
    // The client script swaps in these short labels when the chart is narrow (phones); the table beside
    // the chart numbers the mechanisms the same way.
    _shortLabels: model.mechanisms.map((_m, i) => String(i + 1)),
    _shortDatasetLabels: config.data.datasets.map((ds, i) => (i >= 2 || (i === 1 && !model.perspectives.available) ? 'Benchmark' : ds.label)),
    options: {
      ...options,
      responsive: true,
      maintainAspectRatio: false,
      devicePixelRatio: undefined,
      font: { size: 12 },
      layout: { padding: { left: 32, right: 36, top: 6, bottom: 6 } },
      plugins: { ...options.plugins, tooltip: { enabled: true } },
    },
  } as ChartConfiguration;
}

function section(id: string, title: string, lead: string | null, body: SafeHtml): SafeHtml {
  return html`<section class="section dash-section" id="${id}" aria-labelledby="${`${id}-title`}">
    <h2 id="${`${id}-title`}">${title}</h2>
    ${lead ? html`<p class="section-lead">${lead}</p>` : ''}
    ${body}
  </section>`;
}

function mechanismsSection(d: DashboardInput, benchSourceId: string | undefined): SafeHtml {
  const { model, lang, t } = d;
  const chart = screenRadar(model, lang, d.accent);
  // Columns without any figure in this round are left out rather than shown as a row of dashes.
  const withBench = model.mechanisms.some((m) => m.benchmarks.length > 0);
  const withPool = model.mechanisms.some((m) => m.percentiles.overall.shown);
  const cols = 3 + (withBench ? 1 : 0) + (withPool ? 1 : 0);
  const benchLabel = model.mechanisms.flatMap((m) => m.benchmarks).find((b) => b.sourceId === benchSourceId)?.label[lang];
  const rows = model.mechanisms.map((m) => {
    if (m.suppressed || !m.score) {
      return html`<tr><th scope="row"><span class="mech-num">${model.mechanisms.indexOf(m) + 1}.</span> ${m.name[lang]}</th><td colspan="${cols}" class="muted">${t('suppressedMechanism')}</td></tr>`;
    }
    const b = primaryComparison(m, benchSourceId);
    const pool = m.percentiles.overall;
    return html`<tr>
      <th scope="row"><span class="mech-num">${model.mechanisms.indexOf(m) + 1}.</span> ${m.name[lang]}</th>
      <td class="num" data-label="${t('score')}"><strong>${fmtScore(m.score.mean, lang)}</strong>${m.score.ciLow !== null && m.score.ciHigh !== null ? html`<br><span class="muted small">${fmtCi(m.score.ciLow, m.score.ciHigh, lang)}</span>` : ''}</td>
      <td class="num" data-label="${t('favourable')}">${num(m.favourable, (v) => fmtPct(v, lang))}</td>
      ${withBench ? html`<td class="num" data-label="${t('benchmark')}">${benchText(lang, b, m.score)}${b && b.sourceId !== benchSourceId ? html`<br><span class="muted small">${b.label[lang]}</span>` : ''}</td>` : ''}
      ${withPool ? html`<td class="num" data-label="${t('percentileShort')}">${pool.shown ? html`<span title="${fmtPercentileBand(pool, lang)}">${pool.from}\u2013${pool.to}</span>` : html`<span class="muted">–</span>`}</td>` : ''}
      <td class="num" data-label="${t('alpha')}">${m.alpha?.value !== null && m.alpha?.value !== undefined ? html`${fmtAlpha(m.alpha.value, lang)}${m.alpha.value < 0 ? html`<span class="muted small alpha-note"> ${t('alphaNegative')}</span>` : ''}` : '–'}</td>
    </tr>`;
  });
  return section(
    'mechanisms',
    t('mechanisms'),
    t('mechanismsLead'),
    html`<div class="grid grid-2 mech-overview">
      <div class="card">
        <div class="chart-box chart-tall"><canvas data-chart="chart-radar" role="img" aria-label="${t('scoreChartTitle')}"></canvas></div>
        <script type="application/json" id="chart-radar">${jsonData(chart)}</script>
      </div>
      <div><div class="table-wrap" tabindex="0"><table class="table-compact stack-sm stack-inline">
        <caption class="visually-hidden">${t('mechanisms')}</caption>
        <thead><tr><th scope="col">${t('mechanism')}</th><th scope="col" class="num">${t('score')}</th><th scope="col" class="num">${t('favourable')}</th>${withBench ? html`<th scope="col" class="num">${t('benchmark')}</th>` : ''}${withPool ? html`<th scope="col" class="num">${t('percentileShort')}</th>` : ''}<th scope="col" class="num"><abbr title="${t('alphaLong')}">${t('alpha')}</abbr></th></tr></thead>
        <tbody>${rows}</tbody>
      </table></div>
      ${withBench && benchLabel ? html`<p class="muted small table-note">${t('benchmark')}: ${benchLabel}${withPool ? html` · ${t('percentileShort')}: ${t('poolNote')}` : ''}</p>` : ''}
    </div></div>`,
  );
}

function itemsSection(d: DashboardInput): SafeHtml {
  const { model, lang, t } = d;
  return section(
    'items',
    t('items'),
    t('itemsLead'),
    html`${distLegend(lang)}${model.mechanisms.map(
      (m, mi) => html`<details class="card mech-card"${mi === 0 ? html` open` : ''}>
        <summary><span class="mech-summary-name">${m.name[lang]}</span> <span class="muted small">${m.score && !m.suppressed ? `${t('score')} ${fmtScore(m.score.mean, lang)} · ${t('favourable').toLowerCase()} ${num(m.favourable, (v) => fmtPct(v, lang))}` : t('suppressedMechanism')}</span></summary>
        ${m.description ? html`<p class="muted small mech-desc">${m.description[lang]}</p>` : ''}
        <div class="table-wrap" tabindex="0"><table class="items-table stack-sm">
          <caption class="visually-hidden">${m.name[lang]}: ${t('items')}</caption>
          <thead><tr><th scope="col">${t('item')}</th><th scope="col">${t('distribution')}</th><th scope="col" class="num">${t('score')}</th><th scope="col" class="num">${t('favourable')}</th><th scope="col" class="num">${t('publishedFigure')}</th></tr></thead>
          <tbody>${m.items.map(
            (it) => html`<tr>
              <td class="cell-main">${it.text[lang]}${it.reverse ? html` <span class="badge" title="${t('reversedItem')}">${t('reversedShort')}</span>` : ''}</td>
              ${
                it.suppressed || !it.distribution
                  ? html`<td colspan="3" class="muted small">${t('hidden')}</td>`
                  : html`<td class="cell-dist">${distributionBar(it.distribution.counts, distLabel(lang, t, it.distribution.counts))}</td>
                     <td class="num" data-label="${t('score')}">${num(it.score?.mean, (v) => fmtScore(v, lang))}</td>
                     <td class="num" data-label="${t('favourable')}">${num(it.favourable, (v) => fmtPct(v, lang))}</td>`
              }
              <td class="num" data-label="${t('publishedFigure')}">${
                it.published
                  ? html`${fmtPublished(lang, it.published.value)}${it.publishedDelta !== null && it.favourable !== null ? html` (${differenceMark(lang, fmtPp(it.publishedDelta, lang), it.score ? comparePercentageWithValue({ percentage: it.favourable, n: it.score.n }, it.published.value) : null)})` : ''}<br><span class="muted small">${citeSource(it.published, lang)}. ${NATIONAL_COMPARISON_CAVEAT[lang]}</span>`
                  : html`<span class="muted">–</span>`
              }</td>
            </tr>`,
          )}</tbody>
        </table></div>
        ${m.itemSummary ? html`<p class="small">${m.itemSummary[lang]}</p>` : ''}
        ${m.advice ? html`<p class="advice"><strong>${t('advice')}${m.band ? ` · ${t(`band_${m.band}` as TextKey)}` : ''}:</strong> ${m.advice[lang]}</p>` : ''}
        ${m.interventions && m.interventions.length > 0 ? html`<details><summary>${t('interventionsFor')}</summary>${interventionItems(d, m.interventions)}</details>` : ''}
      </details>`,
    )}`,
  );
}

function side(lang: Lang, s: Extract<PerspectiveSide, { suppressed: false }>): SafeHtml {
  return html`<td class="num">${num(s.score?.mean, (v) => fmtScore(v, lang))}</td><td class="num">${num(s.favourable, (v) => fmtPct(v, lang))}</td>`;
}

function perspectivesSection(d: DashboardInput): SafeHtml {
  const { model, lang, t } = d;
  if (!model.perspectives.available) return section('perspectives', t('perspectives'), t('perspectivesLead'), html`<p class="empty">${t('perspectivesUnavailable')}</p>`);
  const sideCells = (s: PerspectiveSide) => (s.suppressed ? html`<td class="num muted small" colspan="2">${t('hidden')}</td>` : side(lang, s));
  return section(
    'perspectives',
    t('perspectives'),
    t('perspectivesLead'),
    html`<div class="table-wrap" tabindex="0"><table class="perspectives-table key-col">
      <caption class="visually-hidden">${t('perspectives')}</caption>
      <thead>
        <tr><th scope="col" rowspan="2">${t('mechanism')}</th><th scope="colgroup" colspan="2" class="num">${t('employees')}</th><th scope="colgroup" colspan="2" class="num">${t('management')}</th><th scope="col" rowspan="2" class="num">${t('gap')}</th></tr>
        <tr><th scope="col" class="num">${t('score')}</th><th scope="col" class="num">${t('favourable')}</th><th scope="col" class="num">${t('score')}</th><th scope="col" class="num">${t('favourable')}</th></tr>
      </thead>
      <tbody>${model.perspectives.mechanisms.map(
        (p) => html`<tr><th scope="row">${p.name[lang]}</th>${sideCells(p.employee)}${sideCells(p.management)}
          <td class="num">${p.gap.mean !== null ? differenceMark(lang, fmtScoreDelta(p.gap.mean, lang), !p.management.suppressed && !p.employee.suppressed && p.management.score && p.employee.score ? compareIndependentMeans(p.management.score, p.employee.score) : null, 'gap') : '–'}${p.gap.favourable !== null ? html`<br><span class="muted small">${fmtPp(p.gap.favourable, lang)}</span>` : ''}</td></tr>`,
      )}</tbody>
    </table></div>`,
  );
}

function heatClass(mean: number | null): string {
  if (mean === null) return 'cell-hidden';
  if (mean < 2.75) return 'heat-1';
  if (mean < 3.25) return 'heat-2';
  if (mean < 3.6) return 'heat-3';
  if (mean < 4.0) return 'heat-4';
  return 'heat-5';
}

/**
 * A group's difference with the organisation in a heatmap cell: an arrow only when it is larger than
 * its uncertainty (group against the rest of the organisation), the verdict in words for screen readers and as title.
 */
function heatDifference(d: DashboardInput, dimension: string, key: string, mechanismId: string | undefined, delta: number | null): SafeHtml {
  if (delta === null || !mechanismId) return html``;
  const { model, lang } = d;
  const group = model.segments.find((x) => x.dimension === dimension)?.groups.find((g) => g.key === key);
  const part = group && !group.hidden ? group.mechanisms.find((x) => x.mechanismId === mechanismId)?.score : null;
  const whole = model.mechanisms.find((x) => x.mechanismId === mechanismId)?.score;
  if (!part || !whole) return html`<span class="visually-hidden"> (${fmtScoreDelta(delta, lang)})</span>`;
  const dif = comparePartWithWhole(part, whole);
  const words = differenceWords(dif, lang);
  const arrow = dif.verdict === 'higher' ? '▲' : dif.verdict === 'lower' ? '▼' : '';
  return html`${arrow ? html` <span class="heat-mark" aria-hidden="true" title="${words}" data-verdict="${dif.verdict}">${arrow}</span>` : html`<span hidden data-verdict="${dif.verdict}"></span>`}<span class="visually-hidden"> (${fmtScoreDelta(delta, lang)}: ${words})</span>`;
}

function heatmapSection(d: DashboardInput): SafeHtml {
  const { model, lang, t } = d;
  const mechs = model.heatmap.mechanismIds.map((id) => model.mechanisms.find((m) => m.mechanismId === id)!);
  const dims = [...new Set(model.heatmap.rows.map((r) => r.dimension))];
  if (model.heatmap.rows.length === 0) return section('heatmap', t('heatmap'), t('heatmapLead'), html`<p class="empty">${t('noGroups')}</p>`);
  return section(
    'heatmap',
    t('heatmap'),
    t('heatmapLead'),
    html`<div class="table-wrap" tabindex="0"><table class="heatmap key-col">
      <caption class="visually-hidden">${t('heatmap')}</caption>
      <thead><tr><th scope="col">${t('group')}</th>${mechs.map((m, i) => html`<th scope="col" class="heat-head"><span class="heat-num" aria-hidden="true">${i + 1}</span> ${m?.name[lang] ?? ''}</th>`)}</tr></thead>
      ${dims.map(
        (dim) => html`<tbody>
        <tr class="dim-row"><th scope="colgroup" colspan="${mechs.length + 1}"><span class="dim-label">${t(`dimension_${dim}` as TextKey)}</span></th></tr>
        ${model.heatmap.rows
          .filter((r) => r.dimension === dim)
          .map((r) =>
            r.hidden
              ? html`<tr class="row-hidden"><th scope="row">${r.label[lang]}</th><td colspan="${mechs.length}" class="cell cell-hidden">${t('hiddenGroup')}</td></tr>`
              : html`<tr><th scope="row">${r.label[lang]}</th>${mechs.map((m) => {
                  const c = r.cells.find((x) => x.mechanismId === m?.mechanismId);
                  const mean = c?.mean ?? null;
                  return mean === null
                    ? html`<td class="cell cell-hidden">${t('hidden')}</td>`
                    : html`<td class="${`cell ${heatClass(mean)}`}">${fmtScore(mean, lang)}${heatDifference(d, r.dimension, r.key, m?.mechanismId, c?.deltaFromOverall ?? null)}</td>`;
                })}</tr>`,
          )}
      </tbody>`,
      )}
    </table></div>
    <ul class="heat-legend">
      <li><span class="swatch heat-1"></span>&lt; 2,75</li><li><span class="swatch heat-2"></span>2,75–3,25</li><li><span class="swatch heat-3"></span>3,25–3,6</li><li><span class="swatch heat-4"></span>3,6–4,0</li><li><span class="swatch heat-5"></span>≥ 4,0</li>
      <li><span class="swatch heat-hidden"></span>${t('hiddenGroup')}</li>
    </ul>
    <p class="muted small heat-note">${lang === 'nl' ? '▲ ▼ duidelijk hoger of lager dan de rest van de organisatie (groter dan de onzekerheid); zonder pijl is een verschil niet van ruis te onderscheiden.' : '▲ ▼ clearly higher or lower than the rest of the organisation (larger than the uncertainty); without an arrow a difference cannot be told from noise.'}</p>`,
  );
}

function checklistSection(d: DashboardInput): SafeHtml {
  const { model, lang, t } = d;
  const c = model.checklist;
  if (!c.included) return html``;
  return section(
    'checklist',
    t('checklistResult'),
    t('inPlaceOf', { n: c.inPlace, total: c.total }),
    html`<div class="table-wrap" tabindex="0"><table class="stack-sm">
      <caption class="visually-hidden">${t('checklistResult')}</caption>
      <thead><tr><th scope="col">${t('practice')}</th><th scope="col">${t('organisation')}</th><th scope="col" class="num">${t('shareSmes')}</th></tr></thead>
      <tbody>${c.practices.map(
        (p) => html`<tr><td class="cell-main">${p.text[lang]}</td><td class="${`answer-${p.answer ?? 'none'}`}" data-label="${t('organisation')}">${p.answer ? t(`answer_${p.answer}` as TextKey) : t('notAnswered')}</td><td class="num" data-label="${t('shareSmes')}">${fmtPublishedPct(p.published.value, 1, lang)}</td></tr>`,
      )}</tbody>
    </table></div>
    ${smeSharesApply(model.meta.organisation.sizeClass) ? '' : html`<p class="note">${t('checklistLargeOrganisation')}</p>`}
    ${c.practices[0] ? html`<p class="muted small">${t('source')}: ${citeSource(c.practices[0].published, lang)} · ${c.practices[0].published.population?.[lang] ?? ''}. ${t('checklistCaveat')}</p>` : ''}`,
  );
}

function dialogueSection(d: DashboardInput): SafeHtml {
  const { model, lang, t } = d;
  if (!model.dialogue.included) return html``;
  const markers: QuadrantMarker[] = [];
  const arrows: Array<[string, string, string]> = [];
  const frameShort: Record<string, string> = lang === 'nl' ? { past: 'V', current: 'H', desired: 'G' } : { past: 'P', current: 'C', desired: 'D' };
  const rows: SafeHtml[] = [];
  for (const g of model.dialogue.groups) {
    const visible = g.frames.filter((f) => f.summary && !f.suppressed);
    for (const f of visible) {
      markers.push({
        key: `${g.group}-${f.frame}`,
        frame: f.frame,
        x: f.summary!.mean.x,
        y: f.summary!.mean.y,
        kind: 'group',
        tone: g.group,
        short: frameShort[f.frame]!,
        label: `${t(`group_${g.group}` as TextKey)}, ${t(`frame_${f.frame}` as TextKey)}: ${f.summary!.quadrant}`,
      });
    }
    for (const [a, b] of [['past', 'current'], ['current', 'desired']] as const) {
      if (visible.some((f) => f.frame === a) && visible.some((f) => f.frame === b)) arrows.push([`${g.group}-${a}`, `${g.group}-${b}`, g.group]);
    }
    const cell = (frame: 'past' | 'current' | 'desired') => {
      const f = g.frames.find((x) => x.frame === frame);
      const label = t(`frame_${frame}` as TextKey);
      if (!f || (!f.summary && !f.suppressed)) return html`<td class="muted" data-label="${label}">–</td>`;
      if (f.suppressed || !f.summary) return html`<td class="muted small" data-label="${label}">${t('hidden')}</td>`;
      // The quadrant of the placements (shared picture), never that of a split group's mean point.
      const picture = model.dialogue.conversation?.groups.find((x) => x.group === g.group)?.frames.find((x) => x.frame === frame);
      const name = picture ? (picture.shared ? t(`quadrant_${picture.shared}` as TextKey) : t('noSharedPicture')) : t(`quadrant_${f.summary.quadrant}` as TextKey);
      return html`<td data-label="${label}">${name} <span class="muted small nowrap">(n = ${f.summary.n})</span></td>`;
    };
    rows.push(html`<tr><th scope="row"><span class="${`dot tone-${g.group}`}" aria-hidden="true"></span> ${t(`group_${g.group}` as TextKey)}</th>${cell('past')}${cell('current')}${cell('desired')}</tr>`);
  }
  return section(
    'dialogue',
    t('dialogueModel'),
    t('dialogueResultsLead'),
    html`<div class="grid grid-2 dialogue-overview">
      <div class="card">${renderQuadrant({ lang, id: 'results-quadrant', title: t('quadrantPicture'), markers, arrows })}
        <ul class="legend-list">${model.dialogue.groups.map((g) => html`<li><span class="${`dot tone-${g.group}`}" aria-hidden="true"></span>${t(`group_${g.group}` as TextKey)}</li>`)}
          <li class="muted">${lang === 'nl' ? 'V = verleden, H = huidig, G = gewenst' : 'P = past, C = current, D = desired'}</li></ul>
      </div>
      <div class="table-wrap" tabindex="0"><table class="stack-sm">
        <caption class="visually-hidden">${t('dialogueModel')}</caption>
        <thead><tr><th scope="col">${t('group')}</th><th scope="col">${t('frame_past')}</th><th scope="col">${t('frame_current')}</th><th scope="col">${t('frame_desired')}</th></tr></thead>
        <tbody>${rows}</tbody>
      </table></div>
    </div>
    ${dialogueStory(d)}
    <p><a class="btn btn-secondary" href="${`${d.roundUrl}/dialogue-session`}">${t('facilitatorPage')}</a></p>`,
  );
}

/** The story per group and where groups differ most, from the conversation view of the model. */
export function dialogueStory(d: Pick<DashboardInput, 'model' | 'lang' | 't'>): SafeHtml {
  const { model, lang, t } = d;
  const c = model.dialogue.conversation;
  if (!c) return html``;
  const most = narrateDifference(c, lang);
  return html`<h3>${t('dialogueStory')}</h3>
    <ul class="dialogue-story">${c.groups.map((g) => html`<li><span class="${`dot tone-${g.group}`}" aria-hidden="true"></span> ${narrateGroup(g, lang)}</li>`)}</ul>
    ${most ? html`<p><strong>${t('differMost')}:</strong> ${most}</p>` : ''}
    <p class="muted small">${t('dialogueRules', { share: c.rules.sharedPictureShare, band: c.rules.borderBand })}</p>`;
}

function prioritiesSection(d: DashboardInput): SafeHtml {
  const { model, lang, t } = d;
  if (model.priorities.length === 0) return html``;
  return section(
    'priorities',
    t('priorities'),
    t('prioritiesLead'),
    html`<ol class="priority-list">${model.priorities.slice(0, 3).map(
      (p) => html`<li class="priority"><h3><span class="rank" aria-hidden="true">${p.rank}</span> ${p.name[lang]}</h3>
        <ul class="reasons">${p.reasons.map((r) => html`<li>${r.text[lang]}</li>`)}</ul>
        ${p.interventions.length ? html`<details><summary>${t('interventions')}</summary>${interventionItems(d, p.interventions)}</details>` : ''}
      </li>`,
    )}</ol>`,
  );
}

/** Interventions with owner, reason, first step and source, as the report shows them. */
function interventionItems(d: DashboardInput, list: readonly InterventionResult[]): SafeHtml {
  const { lang, t } = d;
  return html`<ul class="interventions">${list.map(
    (i) => html`<li><strong>${i.text[lang]}</strong>${i.owner ? html` <span class="muted small">· ${t(`owner_${i.owner}` as TextKey)}</span>` : ''}
      ${i.basis ? html`<br><span class="small">${i.basis[lang]}</span>` : ''}
      ${i.firstStep ? html`<br><span class="small"><strong>${t('firstStep')}:</strong> ${i.firstStep[lang]}</span>` : ''}
      ${i.source ? html`<br><span class="muted small">${t('basedOn')}: ${i.source}</span>` : ''}</li>`,
  )}</ul>`;
}

/** This round against the previous one on a mechanism (Welch; two rounds treated as independent groups, which is conservative when people answer both). */
function trendDifference(d: DashboardInput, mechanismId: string): Difference | null {
  const now = d.model.mechanisms.find((x) => x.mechanismId === mechanismId);
  const before = d.previous?.mechanisms.find((x) => x.mechanismId === mechanismId);
  if (!now?.score || !before?.score || now.suppressed || before.suppressed) return null;
  return compareIndependentMeans(now.score, before.score);
}

/** The action plan with its status (read-only here; changed on the action-plan page) and earlier actions' movement. */
function actionsSection(d: DashboardInput): SafeHtml {
  if (!d.actions) return html``;
  const L = ACTION_TEXT[d.lang];
  const { list, progress, url } = d.actions;
  return section(
    'actions',
    L.title,
    L.lead,
    html`${actionTable({ actions: list, model: d.model, lang: d.lang })}
      ${progress && progress.actions.length > 0 ? html`<h3>${L.progress}</h3><p class="muted small">${L.progressLead}</p>${progressTables(progress, d.lang)}` : ''}
      <p><a href="${url}">${L.title} →</a></p>`,
  );
}

function trendSection(d: DashboardInput): SafeHtml {
  const { model, lang, t } = d;
  const prev = model.trend.previousRound;
  if (!prev) return section('trend', t('trend'), null, html`<p class="empty">${t('noTrend')}</p>`);
  return section(
    'trend',
    t('trend'),
    t('trendSince', { round: prev.name }),
    html`<div class="table-wrap" tabindex="0"><table class="key-col">
      <caption class="visually-hidden">${t('trend')}</caption>
      <thead><tr><th scope="col">${t('mechanism')}</th><th scope="col" class="num">${t('previous')}</th><th scope="col" class="num">${t('current')}</th><th scope="col" class="num">${t('change')}</th></tr></thead>
      <tbody>${model.trend.mechanisms.map((m) => {
        const name = model.mechanisms.find((x) => x.mechanismId === m.mechanismId)?.name[lang] ?? m.mechanismId;
        return html`<tr><th scope="row">${name}</th><td class="num">${num(m.previousMean, (v) => fmtScore(v, lang))}</td><td class="num">${num(m.currentMean, (v) => fmtScore(v, lang))}</td><td class="num">${m.changeMean === null ? '–' : differenceMark(lang, fmtScoreDelta(m.changeMean, lang), trendDifference(d, m.mechanismId))}</td></tr>`;
      })}</tbody>
    </table></div>`,
  );
}

/** The pool in plain words: who is in it (with the actual threshold) and how many organisations. */
const POOL_WORDS = {
  source: { nl: 'Andere organisaties die de Leercultuurscan gebruiken', en: 'Other organisations using the Leercultuurscan' },
  population: {
    nl: (k: number) => `Elke organisatie telt mee met haar meest recente afgeronde meting, als minstens ${k} medewerkers (of de hogere drempel van die meting) de vragenlijst invulden`,
    en: (k: number) => `Each organisation counts with its most recent closed round, when at least ${k} employees (or that round's higher threshold) completed the questionnaire`,
  },
  organisations: { nl: (n: number) => `${n} ${n === 1 ? 'organisatie' : 'organisaties'}`, en: (n: number) => `${n} ${n === 1 ? 'organisation' : 'organisations'}` },
} as const;

/**
 * The respondent counts of an uploaded set: the source's own n when all its values share one ("n = 120"),
 * else the range over the figures this model quotes from it ("n = 80–450", also for releases stored
 * before the source carried its n), or words when none.
 */
function uploadedN(model: ResultModel, s: ResultModel['benchmarkSources'][number], lang: Lang): string {
  const ns =
    s.n !== null
      ? [s.n]
      : [...model.mechanisms.flatMap((m) => [...m.benchmarks, ...m.items.flatMap((i) => i.benchmarks)])]
          .filter((b) => b.sourceId === s.id)
          .map((b) => b.n)
          .filter((n): n is number => n !== null && Number.isFinite(n));
  if (ns.length === 0) return lang === 'nl' ? 'aantal respondenten niet opgegeven in het bestand' : 'number of respondents not given in the file';
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  const range = lo === hi ? `${lo}` : `${lo}–${hi}`;
  return lang === 'nl' ? `n = ${range} respondenten (uit het bestand)` : `n = ${range} respondents (from the file)`;
}

function sourceHead(model: ResultModel, s: ResultModel['benchmarkSources'][number], lang: Lang): string {
  if (s.kind === 'pool') {
    const year = s.year !== null ? ` (${s.year})` : '';
    return `${POOL_WORDS.source[lang]}${year} · ${POOL_WORDS.population[lang](DEFAULT_K)}${s.n !== null ? ` · ${POOL_WORDS.organisations[lang](s.n)}` : ''}`;
  }
  const n = s.kind === 'custom' ? uploadedN(model, s, lang) : s.n !== null ? `n = ${s.n}` : '';
  return `${citeSource(s, lang)}${s.population ? ` · ${s.population[lang]}` : ''}${n ? ` · ${n}` : ''}`;
}

function sourcesSection(d: DashboardInput): SafeHtml {
  const { model, lang, t } = d;
  // One line per source and population, with the figures quoted from it.
  const groups = new Map<string, { head: string; labels: string[] }>();
  for (const s of model.benchmarkSources) {
    const head = sourceHead(model, s, lang);
    const g = groups.get(head) ?? { head, labels: [] };
    g.labels.push(s.label[lang]);
    groups.set(head, g);
  }
  return section(
    'sources',
    t('sources'),
    null,
    html`<ul class="source-list">${[...groups.values()].map((g) => html`<li><strong>${g.head}</strong><br><span>${g.labels.join('; ')}</span></li>`)}</ul>
    <h3>${t('anonymity')}</h3>
    <ul class="source-list">${model.anonymity.notes.map((n) => html`<li>${n.text[lang]}</li>`)}</ul>`,
  );
}

export function dashboard(d: DashboardInput): SafeHtml {
  const { model, lang, t } = d;
  const r = model.response;
  const mgmt = r.perForm.find((f) => f.form === 'management');
  const emp = r.perForm.find((f) => f.form === 'employee');
  const primary = primaryBenchmark(model.mechanisms);
  const bench = primary ? model.mechanisms.flatMap((m) => m.benchmarks).find((b) => b.sourceId === primary.sourceId) : model.mechanisms.flatMap((m) => m.benchmarks)[0];
  const links: Array<[string, string]> = [
    ['mechanisms', t('mechanisms')],
    ['items', t('items')],
    ['perspectives', t('perspectives')],
    ['heatmap', t('heatmapShort')],
  ];
  if (model.checklist.included) links.push(['checklist', t('checklist')]);
  if (model.dialogue.included) links.push(['dialogue', t('dialogueModel')]);
  if (model.priorities.length) links.push(['priorities', t('priorities')]);
  if (d.actions) links.push(['actions', ACTION_TEXT[lang].title]);
  links.push(['trend', t('trend')], ['sources', t('sources')]);
  const pdf = (type: 'client' | 'director', l: Lang) => `/api/v1/rounds/${model.meta.round.id}/reports/${type}.pdf?lang=${l}`;
  return html`<div class="page-head">
      <div><p class="eyebrow">${model.meta.organisation.name}</p><h1>${t('resultsFor')}: ${model.meta.round.name}</h1>
      <p class="muted small">${t('generatedAt')} ${fmtDate(lang, model.meta.generatedAt)} · ${t('threshold')} ${model.meta.threshold}${model.meta.benchmarkSet ? ` · ${t('benchmarkSet')}: ${model.meta.benchmarkSet.name}` : ''}</p></div>
      <div class="actions report-links">
        ${
          d.reportsAvailable
            ? html`<a class="btn btn-primary" href="${pdf('client', lang)}" download data-testid="client-pdf">${t('clientReport')}</a>
              <a class="btn btn-secondary" href="${pdf('director', lang)}" download>${t('directorSummary')}</a>`
            : ''
        }
        <a class="btn btn-quiet" href="${`/api/v1/rounds/${model.meta.round.id}/results.csv?lang=${lang}`}" download>${t('downloadCsv')}</a>
        <a class="btn btn-quiet" href="${`/api/v1/rounds/${model.meta.round.id}/results.xlsx?lang=${lang}`}" download data-testid="results-xlsx">${lang === 'nl' ? 'Resultaten als Excel' : 'Results as Excel'}</a>
      </div>
    </div>
    <div class="summary-stats">
      <div class="stat"><span class="label">${t('employees')}</span><strong>${emp?.submitted ?? r.submitted}</strong><span class="muted small">${t('respondents')}</span></div>
      <div class="stat"><span class="label">${t('management')}</span><strong>${mgmt ? (mgmt.belowThreshold ? `< ${model.meta.threshold}` : mgmt.submitted) : 0}</strong><span class="muted small">${t('respondents')}</span></div>
      <div class="stat"><span class="label">${t('responseRates')}</span><strong>${r.rate !== null ? fmtPct(r.rate, lang) : '–'}</strong><span class="muted small">${r.invited !== null ? `${r.invited} ${t('invited').toLowerCase()}` : t('sharedOnly')}</span></div>
      ${bench ? html`<div class="stat"><span class="label">${t('benchmark')}</span><strong class="stat-text">${bench.label[lang]}</strong></div>` : ''}
    </div>
    ${model.meta.isDemo ? html`<p class="notice notice-warn">${t('demoResults')}</p>` : ''}
    <nav aria-label="${t('resultsNav')}"><ul class="tabs-nav">${links.map(([id, label]) => html`<li><a href="${`#${id}`}">${label}</a></li>`)}</ul></nav>
    ${mechanismsSection(d, bench?.sourceId)}
    ${prioritiesSection(d)}
    ${itemsSection(d)}
    ${perspectivesSection(d)}
    ${heatmapSection(d)}
    ${checklistSection(d)}
    ${dialogueSection(d)}
    ${actionsSection(d)}
    ${trendSection(d)}
    ${sourcesSection(d)}`;
}
