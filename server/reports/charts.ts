// Renders the templates' chart specs with chart.js (chartjs-node-canvas). One renderer per chart size,
// created on first use and reused for every later report in this thread.
//
// SVG (default): cairo's SVG surface would draw every glyph as an outline path (a radar chart becomes
// ~190 kB of path data, slow for pdfmake's SVG parser, and its text unsearchable). So chart text is
// captured instead of drawn: a small chart.js plugin replaces ctx.fillText for the chart, records text,
// position, font, colour, alignment and the current transform, and the texts are appended to the SVG
// as <text> elements. pdfmake then sets them in the document's own Roboto: real, selectable text,
// identical to the body type, and an SVG of a few kB.
//
// PNG: the same chart rasterised at 2x, for comparison (bench) and as a fallback.

import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { Content } from 'pdfmake/interfaces.js';
import type { ChartSpec } from '../../report-templates/index.js';
import { registerCanvasFonts } from './fonts.js';

export type ChartFormat = 'svg' | 'png';

interface CapturedText {
  text: string;
  x: number;
  /** Alphabetic baseline, whatever textBaseline the chart used. */
  y: number;
  size: number;
  bold: boolean;
  fill: string;
  anchor: 'start' | 'middle' | 'end';
  matrix: [number, number, number, number, number, number];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const r2 = (n: number) => Math.round(n * 100) / 100;

function anchorOf(align: string): CapturedText['anchor'] {
  if (align === 'center') return 'middle';
  if (align === 'right' || align === 'end') return 'end';
  return 'start';
}

/** Offset from a textBaseline to the alphabetic baseline; depends only on font and baseline. */
const baselineShift = new Map<string, number>();

function shiftToAlphabetic(ctx: CanvasRenderingContext2D): number {
  const key = `${ctx.font}|${ctx.textBaseline}`;
  let shift = baselineShift.get(key);
  if (shift === undefined) {
    const baseline = ctx.textBaseline;
    const asDrawn = ctx.measureText('Hg');
    ctx.textBaseline = 'alphabetic';
    const alphabetic = ctx.measureText('Hg');
    ctx.textBaseline = baseline;
    shift = alphabetic.emHeightAscent - asDrawn.emHeightAscent;
    baselineShift.set(key, shift);
  }
  return shift;
}

/**
 * Text metrics by font and text, shared by all charts of this thread. chart.js measures every label
 * of every chart through Pango (slow, and the same item texts, tick labels and names come back in
 * every report); widths only depend on font and text.
 */
const metrics = new Map<string, TextMetrics>();
const METRICS_MAX = 20_000;

function cachedMeasureText(ctx: CanvasRenderingContext2D): void {
  const measure = ctx.measureText.bind(ctx);
  ctx.measureText = (text: string) => {
    const key = `${ctx.font}|${ctx.textBaseline}|${text}`;
    let m = metrics.get(key);
    if (!m) {
      if (metrics.size >= METRICS_MAX) metrics.clear();
      m = measure(text);
      metrics.set(key, m);
    }
    return m;
  };
}

/** A chart.js plugin that records every fillText of one chart instead of drawing it. */
function textCapture(sink: CapturedText[]): Plugin {
  return {
    id: 'lcsTextCapture',
    beforeInit(chart) {
      const ctx = chart.ctx as CanvasRenderingContext2D;
      cachedMeasureText(ctx);
      ctx.fillText = (text: string, x: number, y: number) => {
        const s = String(text);
        if (s.length === 0) return;
        const m = ctx.getTransform();
        const font = ctx.font;
        const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 10);
        sink.push({
          text: s,
          x,
          y: y + shiftToAlphabetic(ctx),
          size,
          bold: /\bbold\b|\b[6-9]00\b/.test(font),
          fill: typeof ctx.fillStyle === 'string' ? ctx.fillStyle : '#000000',
          anchor: anchorOf(ctx.textAlign),
          matrix: [m.a, m.b, m.c, m.d, m.e, m.f],
        });
      };
    },
  };
}

function textElements(texts: CapturedText[]): string {
  return texts
    .map((t) => {
      const [a, b, c, d, e, f] = t.matrix;
      const identity = a === 1 && b === 0 && c === 0 && d === 1 && e === 0 && f === 0;
      const transform = identity ? '' : ` transform="matrix(${r2(a)} ${r2(b)} ${r2(c)} ${r2(d)} ${r2(e)} ${r2(f)})"`;
      return `<text x="${r2(t.x)}" y="${r2(t.y)}"${transform} font-family="Roboto" font-size="${t.size}"${t.bold ? ' font-weight="bold"' : ''} fill="${esc(t.fill)}" text-anchor="${t.anchor}">${esc(t.text)}</text>`;
    })
    .join('');
}

/** Cairo's values that are SVG defaults anyway; dropping them halves what pdfmake's SVG parser reads. */
const DEFAULT_STYLE = /(?:stroke-linecap:butt|stroke-linejoin:miter|stroke-miterlimit:10|fill-opacity:1|stroke-opacity:1|fill-rule:nonzero|stroke:none);/g;

/** Cairo's SVG, lighter: six decimals become two (plenty at print size), default styles go. */
function slimSvg(raw: string): string {
  return raw
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/(\.\d{2})\d+/g, '$1')
    .replace(/style="([^"]*)"/g, (_m, style: string) => `style="${style.replace(/\s+/g, '').replace(DEFAULT_STYLE, '')}"`);
}

export class ChartRenderers {
  private readonly renderers = new Map<string, ChartJSNodeCanvas>();

  constructor(readonly format: ChartFormat = 'svg') {
    registerCanvasFonts();
  }

  /** Number of renderers created so far (one per size and format). */
  get size(): number {
    return this.renderers.size;
  }

  private rendererFor(width: number, height: number): ChartJSNodeCanvas {
    const key = `${width}x${height}`;
    let r = this.renderers.get(key);
    if (!r) {
      r = new ChartJSNodeCanvas({
        width,
        height,
        ...(this.format === 'svg' ? { type: 'svg' as const } : {}),
        chartCallback: (ChartJS) => {
          ChartJS.defaults.font.family = 'Roboto';
          ChartJS.defaults.font.size = 8;
        },
      });
      this.renderers.set(key, r);
    }
    return r;
  }

  /** Renders a spec to pdfmake content of the spec's size. */
  render(spec: ChartSpec): Content {
    const renderer = this.rendererFor(spec.width, spec.height);
    if (this.format === 'png') {
      const config = { ...spec.config, options: { ...spec.config.options, devicePixelRatio: 2 } } as ChartConfiguration;
      const png = renderer.renderToBufferSync(config, 'image/png');
      return { image: `data:image/png;base64,${png.toString('base64')}`, width: spec.width, height: spec.height };
    }
    const texts: CapturedText[] = [];
    const config = { ...spec.config, plugins: [...(spec.config.plugins ?? []), textCapture(texts)] } as ChartConfiguration;
    const raw = renderer.renderToBufferSync(config, 'image/svg+xml' as 'image/png').toString('utf8');
    const svg = slimSvg(raw).replace('</svg>', `${textElements(texts)}</svg>`);
    return { svg, width: spec.width };
  }
}
