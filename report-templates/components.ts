// Building blocks shared by the client report and the director summary: page frame (header, footer,
// cover), headings that feed the table of contents, tables, key-figure tiles and call-outs.

import type { Content, ContentTable, DynamicContent, TableCell, TableLayout, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { ResultModel } from '../scans/result-model.js';
import type { Language } from '../scans/types.js';
import type { ChartRenderer } from './charts.js';
import { fmtDate } from './format.js';
import { stringsFor } from './i18n.js';
import { SIZE, stylesFor, themeFor, type Theme } from './theme.js';

export interface ReportBranding {
  /** The consultancy's name, printed on the cover and in the page header. */
  name: string;
  /** '#rrggbb'; null or invalid -> the neutral default. */
  accentColor?: string | null;
  /** The consultancy's logo as a data URL (image/png or image/jpeg, base64). */
  logoDataUrl?: string | null;
}

export interface ReportOptions {
  lang: Language;
  branding: ReportBranding;
  /** Turns chart specs into pdfmake content (the report service renders them with chart.js). */
  renderChart: ChartRenderer;
  /** The report's date (ISO); defaults to the model's generatedAt, so a template stays pure. */
  date?: string;
  /** Issue 17: the disclosed extra sections (roles, who learns less, modules), when the round has them. */
  extras?: import('./modules.js').ReportExtras;
  /** The organisation's action plan for this round (server/actions); absent or empty: a draft from the priorities. */
  actionPlan?: ReportAction[];
}

/** One action of the plan as a report prints it. */
export interface ReportAction {
  title: string;
  source: 'priority' | 'mechanism';
  mechanismId: string;
  owner: string;
  dueDate: string | null;
  status: 'planned' | 'in_progress' | 'done' | 'dropped';
  itemIds: string[];
  notes: string;
}

/** Page margins in pt: left, top, right, bottom. A4 leaves 483 pt of text width. */
export const PAGE_MARGINS: [number, number, number, number] = [56, 66, 56, 58];

export interface Frame {
  lang: Language;
  theme: Theme;
  t: ReturnType<typeof stringsFor>;
  model: ResultModel;
  branding: ReportBranding;
  date: string;
  actionPlan: ReportAction[];
}

export function frameFor(model: ResultModel, options: ReportOptions): Frame {
  return {
    lang: options.lang,
    theme: themeFor(options.branding.accentColor),
    t: stringsFor(options.lang),
    model,
    branding: options.branding,
    date: options.date ?? model.meta.generatedAt,
    actionPlan: options.actionPlan ?? [],
  };
}

/** Document shell: page size, fonts, styles, header and footer (from page 2), metadata. */
export function documentShell(f: Frame, title: string, content: Content[], background?: TDocumentDefinitions['background']): TDocumentDefinitions {
  const { theme, t, model } = f;
  const header: DynamicContent = (currentPage) => {
    if (currentPage === 1) return null;
    return {
      margin: [PAGE_MARGINS[0], 26, PAGE_MARGINS[2], 0],
      stack: [
        {
          columns: [
            { text: `${model.meta.organisation.name} · ${model.meta.round.name}`, fontSize: SIZE.tiny, color: theme.muted },
            { text: f.branding.name, fontSize: SIZE.tiny, color: theme.accentInk, bold: true, alignment: 'right', width: 'auto' },
          ],
        },
        { canvas: [{ type: 'line', x1: 0, y1: 5, x2: 483, y2: 5, lineWidth: 0.6, lineColor: theme.rule }] },
      ],
    };
  };
  const footer: DynamicContent = (currentPage, pageCount) => {
    if (currentPage === 1) return null;
    return {
      margin: [PAGE_MARGINS[0], 22, PAGE_MARGINS[2], 0],
      columns: [
        { text: model.meta.isDemo ? `${title} · DEMO` : title, fontSize: SIZE.tiny, color: theme.faint },
        { text: t.page(currentPage, pageCount), fontSize: SIZE.tiny, color: theme.muted, alignment: 'right', width: 'auto' },
      ],
    };
  };
  return {
    pageSize: 'A4',
    pageMargins: PAGE_MARGINS,
    info: {
      title: `${title} — ${model.meta.organisation.name}`,
      author: f.branding.name,
      subject: model.meta.round.name,
      creator: 'Leercultuurscan',
      producer: 'Leercultuurscan',
    },
    language: f.lang === 'nl' ? 'nl-NL' : 'en-GB',
    defaultStyle: { font: 'Roboto', fontSize: SIZE.body, color: theme.ink, lineHeight: 1.25 },
    styles: stylesFor(theme),
    header,
    footer,
    ...(background ? { background } : {}),
    content,
  };
}

/** A chapter heading on a new page, listed in the table of contents. */
export function chapter(f: Frame, number: string, title: string, lead?: string, opts: { pageBreak?: boolean } = {}): Content {
  return {
    ...(opts.pageBreak === false ? {} : { pageBreak: 'before' as const }),
    stack: [
      {
        text: `${number}  ${title}`,
        style: 'h1',
        tocItem: true,
        tocStyle: { fontSize: 10, bold: true, color: f.theme.ink },
        tocNumberStyle: { fontSize: 10, bold: true, color: f.theme.ink },
        tocMargin: [0, 7, 0, 0],
      },
      ...(lead ? [{ text: lead, style: 'lead' }] : []),
    ],
  };
}

/** A second-level heading listed in the table of contents (the mechanism pages). */
export function subChapter(f: Frame, kicker: string, title: string, pageBreak = true): Content {
  return {
    ...(pageBreak ? { pageBreak: 'before' as const } : {}),
    stack: [
      { text: kicker, style: 'kicker' },
      {
        text: title,
        style: 'h1',
        tocItem: true,
        tocStyle: { fontSize: 9.5, color: f.theme.muted },
        tocNumberStyle: { fontSize: 9.5, color: f.theme.muted },
        tocMargin: [14, 3, 0, 0],
      },
    ],
  };
}

export function h2(text: string): Content {
  return { text, style: 'h2' };
}

export function h3(text: string): Content {
  return { text, style: 'h3' };
}

/**
 * A heading kept on one page with the start of what it introduces: the heading and the first block
 * form one unbreakable block (pdfmake moves it to the next page when it does not fit), the rest
 * follows and may break. The first block must be well under a page (pdfmake drops whatever of an
 * unbreakable block does not fit on one page).
 */
export function withHeading(heading: Content, body: Content[]): Content[] {
  if (body.length === 0) return [heading];
  return [{ stack: [heading, body[0]!], unbreakable: true }, ...body.slice(1)];
}

/**
 * A bulleted list, optionally under a heading, laid out so that a page break never leaves the heading
 * alone at the bottom of a page, never splits an item, and never leaves the last item alone at the
 * top of one: the heading goes with the first item, the last two items go together. Each item must be
 * short (a few lines).
 */
export function keptList(items: Content[], opts: { heading?: Content; markerColor: string; margin?: [number, number, number, number]; style?: string }): Content {
  const top = opts.margin?.[1] ?? 0;
  const bottom = opts.margin?.[3] ?? 0;
  const whole = (list: Content[], margin: [number, number, number, number]): Content => ({
    ul: list.map((item) => ({ stack: [item], unbreakable: true })),
    markerColor: opts.markerColor,
    margin,
    ...(opts.style ? { style: opts.style } : {}),
  });
  const m = (t: number, b: number): [number, number, number, number] => [opts.margin?.[0] ?? 0, t, opts.margin?.[2] ?? 0, b];
  if (items.length <= 2) return { stack: [...(opts.heading ? [opts.heading] : []), whole(items, m(top, bottom))], unbreakable: true };
  const headCount = opts.heading ? 1 : 0;
  const first = items.slice(0, headCount);
  const middle = items.slice(headCount, items.length - 2);
  const last = items.slice(items.length - 2);
  const parts: Content[] = [];
  if (opts.heading) parts.push({ stack: [opts.heading, whole(first, m(top, 0))], unbreakable: true });
  if (middle.length > 0) parts.push(whole(middle, m(opts.heading ? 0 : top, 0)));
  parts.push({ stack: [whole(last, m(middle.length === 0 && !opts.heading ? top : 0, bottom))], unbreakable: true });
  return { stack: parts };
}

export function paragraph(text: string, style = 'body', margin: [number, number, number, number] = [0, 0, 0, 6]): Content {
  return { text, style, margin };
}

/** The reports' one table look: rule under the head, hairlines between rows, no vertical lines. */
export function tableLayout(theme: Theme, opts: { zebra?: boolean; padding?: number } = {}): TableLayout {
  const pad = opts.padding ?? 3.2;
  return {
    hLineWidth: (i, node) => (i === 0 ? 0 : i === 1 ? 0.9 : i === node.table.body.length ? 0.9 : 0.35),
    vLineWidth: () => 0,
    hLineColor: (i) => (i === 1 ? theme.muted : theme.rule),
    paddingLeft: (i) => (i === 0 ? 0 : 5),
    paddingRight: (i, node) => (i === (node.table.widths?.length ?? 1) - 1 ? 0 : 5),
    paddingTop: () => pad,
    paddingBottom: () => pad,
    fillColor: (row) => (opts.zebra && row > 0 && row % 2 === 0 ? theme.paper : null),
  };
}

/** A data table: header cells, rows of cells, column widths; numbers right-aligned by the caller. */
export function dataTable(f: Frame, head: TableCell[], rows: TableCell[][], widths: (number | string)[], opts: { zebra?: boolean; margin?: [number, number, number, number] } = {}): ContentTable {
  return {
    margin: opts.margin ?? [0, 2, 0, 8],
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths,
      body: [head.map((h) => (typeof h === 'string' ? { text: h, style: 'th' } : h)), ...rows],
    },
    layout: tableLayout(f.theme, { zebra: opts.zebra ?? false }),
  };
}

export function th(text: string, align: 'left' | 'right' | 'center' = 'left'): TableCell {
  return { text, style: 'th', alignment: align };
}

export function td(text: string, opts: { bold?: boolean; color?: string; align?: 'left' | 'right' | 'center' } = {}): TableCell {
  return { text, style: 'td', alignment: opts.align ?? 'left', ...(opts.bold ? { bold: true } : {}), ...(opts.color ? { color: opts.color } : {}) };
}

export function num(text: string, opts: { bold?: boolean; color?: string } = {}): TableCell {
  return td(text, { ...opts, align: 'right' });
}

/** A row of key-figure tiles: big number, label underneath, light accent background. */
export function keyFigures(f: Frame, tiles: { value: string; label: string; note?: string }[], opts: { compact?: boolean } = {}): Content {
  const pad = opts.compact ? 5 : 8;
  return {
    margin: opts.compact ? [0, 0, 0, 8] : [0, 4, 0, 12],
    table: {
      widths: tiles.map(() => '*'),
      body: [
        tiles.map((tile) => ({
          fillColor: f.theme.accentTint,
          margin: [pad + 2, pad, pad, pad],
          stack: [
            { text: tile.value, style: 'figure', ...(opts.compact ? { fontSize: 16 } : {}) },
            { text: tile.label, style: 'figureLabel', margin: [0, 2, 0, 0] },
            ...(tile.note ? [{ text: tile.note, fontSize: SIZE.tiny, color: f.theme.faint, margin: [0, 1, 0, 0] as [number, number, number, number] }] : []),
          ],
        })),
      ],
    },
    layout: {
      hLineWidth: () => 0,
      vLineWidth: (i, node) => (i === 0 || i === (node.table.widths?.length ?? 0) ? 0 : 6),
      vLineColor: () => '#ffffff',
      paddingLeft: () => 0,
      paddingRight: () => 0,
      paddingTop: () => 0,
      paddingBottom: () => 0,
    },
  };
}

/** A boxed note with an accent rule on the left (advice, key messages). */
export function callout(f: Frame, title: string, body: Content): Content {
  return {
    unbreakable: true,
    margin: [0, 6, 0, 8],
    table: {
      widths: [3, '*'],
      body: [
        [
          { text: '', fillColor: f.theme.accent },
          {
            fillColor: f.theme.accentTint,
            margin: [10, 6, 10, 7],
            stack: [{ text: title, bold: true, fontSize: SIZE.small + 0.5, color: f.theme.accentInk, margin: [0, 0, 0, 2] }, body],
          },
        ],
      ],
    },
    layout: { hLineWidth: () => 0, vLineWidth: () => 0, paddingLeft: () => 0, paddingRight: () => 0, paddingTop: () => 0, paddingBottom: () => 0 },
  };
}

/** A small coloured square with a label, for legends built in pdfmake. */
export function legend(f: Frame, items: { color: string; label: string }[]): Content {
  return {
    margin: [0, 0, 0, 4],
    columns: [
      ...items.map((it) => ({
        width: 'auto' as const,
        columns: [
          { width: 9, canvas: [{ type: 'rect' as const, x: 0, y: 1.5, w: 8, h: 8, color: it.color }] },
          { width: 'auto' as const, text: it.label, fontSize: SIZE.small, color: f.theme.muted, margin: [2, 0, 12, 0] as [number, number, number, number] },
        ],
      })),
      { width: '*', text: '' },
    ],
  };
}

/** The period of a round, "14 september 2026 – 5 oktober 2026", or what is known of it. */
export function roundPeriod(model: ResultModel, lang: Language): string | null {
  const from = model.meta.round.openedAt ?? model.meta.round.opensAt;
  const to = model.meta.round.closedAt ?? model.meta.round.closesAt;
  if (from && to) return `${fmtDate(from, lang)} – ${fmtDate(to, lang)}`;
  if (to) return fmtDate(to, lang);
  return null;
}

/** Height of the accent band at the top of the cover, in pt. */
const COVER_BAND = 280;

/** The cover page's background: an accent band at the top and a thin rule at the bottom. */
/** The coloured title block that opens the short reports (director summary, department report). */
export function titleBlock(f: Frame, model: ResultModel, kicker: string, title: string): Content {
  const { lang, theme } = f;
  const period = roundPeriod(model, lang);
  return {
    margin: [0, -20, 0, 14],
    table: {
      widths: ['*'],
      body: [
        [
          {
            fillColor: theme.accent,
            margin: [16, 14, 16, 14],
            stack: [
              {
                columns: [
                  { text: kicker, fontSize: 8, bold: true, color: theme.onAccent },
                  f.branding.logoDataUrl
                    ? { width: 'auto', table: { body: [[{ image: f.branding.logoDataUrl, fit: [90, 30], fillColor: '#ffffff', margin: [4, 3, 4, 3] }]] }, layout: 'noBorders' }
                    : { width: 'auto', text: f.branding.name, fontSize: 9, bold: true, color: theme.onAccent },
                ],
              },
              { text: title, fontSize: 20, bold: true, color: theme.onAccent, margin: [0, 6, 0, 2] },
              { text: model.meta.organisation.name, fontSize: 12, color: theme.onAccent },
              { text: [model.meta.round.name, period ? ` · ${period}` : '', ` · ${fmtDate(f.date, lang)}`].join(''), fontSize: SIZE.small, color: theme.onAccent, margin: [0, 3, 0, 0] },
              ...(model.meta.isDemo ? [{ text: f.t.demo, fontSize: SIZE.small, bold: true, color: theme.onAccent, margin: [0, 6, 0, 0] as [number, number, number, number] }] : []),
            ],
          },
        ],
      ],
    },
    layout: 'noBorders',
  };
}

export function coverBackground(f: Frame): TDocumentDefinitions['background'] {
  return (currentPage, pageSize) => {
    if (currentPage !== 1) return null;
    return {
      canvas: [
        { type: 'rect', x: 0, y: 0, w: pageSize.width, h: COVER_BAND, color: f.theme.accent },
        { type: 'rect', x: 0, y: COVER_BAND, w: pageSize.width, h: 5, color: f.theme.accentSoft },
        { type: 'rect', x: 56, y: pageSize.height - 190, w: 483, h: 0.8, color: f.theme.rule },
      ],
    };
  };
}

/** The cover: branding, title, organisation, round and date. */
export function cover(f: Frame, kicker: string, title: string): Content[] {
  const { t, model, theme, lang } = f;
  const period = roundPeriod(model, lang);
  const logo: Content = f.branding.logoDataUrl
    ? {
        table: {
          widths: ['auto'],
          body: [[{ image: f.branding.logoDataUrl, fit: [150, 52], fillColor: '#ffffff', margin: [8, 6, 8, 6] }]],
        },
        layout: 'noBorders',
      }
    : { text: f.branding.name, fontSize: 15, bold: true, color: theme.onAccent };
  const info: [string, string][] = [
    [t.round, model.meta.round.name],
    ...(period ? ([[t.period, period]] as [string, string][]) : []),
    [t.reportDate, fmtDate(f.date, lang)],
    [t.language, t.lang],
  ];
  return [
    { margin: [0, -26, 0, 0], columns: [logo, { width: '*', text: '' }] },
    {
      absolutePosition: { x: PAGE_MARGINS[0], y: 168 },
      stack: [
        { text: kicker, fontSize: 8.5, bold: true, color: theme.onAccent, margin: [0, 0, 0, 6] },
        { text: title, fontSize: SIZE.display, bold: true, color: theme.onAccent, lineHeight: 1.05 },
      ],
    },
    {
      absolutePosition: { x: PAGE_MARGINS[0], y: COVER_BAND + 44 },
      stack: [
        { text: model.meta.organisation.name, fontSize: 18, bold: true, color: theme.accentInk, margin: [0, 0, 0, 5] },
        { text: model.meta.round.name, fontSize: 11.5, color: theme.muted },
        ...(model.meta.isDemo
          ? [
              {
                margin: [0, 16, 0, 0] as [number, number, number, number],
                table: { widths: ['auto'], body: [[{ text: t.demo, bold: true, fontSize: 9, color: '#ffffff', fillColor: theme.bad, margin: [6, 3, 6, 3] as [number, number, number, number] }]] },
                layout: 'noBorders',
              },
            ]
          : []),
      ],
    },
    {
      absolutePosition: { x: PAGE_MARGINS[0], y: 842 - 178 },
      stack: [
        { text: t.preparedBy(f.branding.name), bold: true, fontSize: 9.5, color: theme.accentInk, margin: [0, 0, 0, 8] },
        {
          table: {
            widths: [90, 390],
            body: info.map(([k, v]) => [
              { text: k, fontSize: SIZE.small, color: theme.faint },
              { text: v, fontSize: SIZE.small, color: theme.ink },
            ]),
          },
          layout: { hLineWidth: () => 0, vLineWidth: () => 0, paddingLeft: () => 0, paddingRight: () => 0, paddingTop: () => 1.5, paddingBottom: () => 1.5 },
        },
      ],
    },
  ];
}

/** Splits "Defensief: tekorten opheffen" into the short name. */
export function quadrantName(label: string): string {
  return label.split(':')[0]!.trim();
}
