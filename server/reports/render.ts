// Renders one report to PDF bytes in the current thread: template -> pdfmake document -> PDF. The
// worker threads run this; the CLI and the bench may run it directly. Owns pdfmake's configuration:
// the Roboto fonts, and access policies that deny every URL and every local file except those fonts.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import QRCode from 'qrcode';
import { buildPoster, type PosterInput } from '../../report-templates/poster.js';
import { buildReport, type ReportBranding, type ReportType } from '../../report-templates/index.js';
import type { ReportAction } from '../../report-templates/components.js';
import type { ResultModel } from '../../scans/result-model.js';
import type { Language } from '../../scans/types.js';
import { ChartRenderers, type ChartFormat } from './charts.js';
import { isAllowedLocalFile, ROBOTO } from './fonts.js';

export interface BrandingInput {
  name: string;
  accentColor: string | null;
  /** Logo bytes as stored (consultancies.logo), or null. */
  logo: Uint8Array | null;
  logoMime: string | null;
}

export interface RenderInput {
  type: ReportType;
  lang: Language;
  model: ResultModel;
  branding: BrandingInput;
  /** ISO date printed as the report date; default: the model's generatedAt. */
  date?: string;
  /** Issue 17: the round's disclosed extra sections, printed in the client report. */
  extras?: import('../../report-templates/modules.js').ReportExtras;
  /** The organisation's action plan for the round (client report). */
  actionPlan?: ReportAction[];
}

/**
 * The prototype patches below target pdfmake 0.3.11 and pdfkit 0.19.1, pinned exactly in package.json.
 * Each one checks that what it replaces exists and throws otherwise (an upgrade that renames a method
 * must not leave a patch silently doing nothing), and counts its calls in PATCH_CALLS, so a test can
 * prove that every patch is on the path of a real render.
 */
export const PATCH_CALLS = { styleLookup: 0, wordLayouts: 0, noEmptyPages: 0, batchedWrites: 0, svgDimensions: 0 };
export type PdfPatch = keyof typeof PATCH_CALLS;

/** The method `name` of `proto` for patch `patch`; throws when pdfmake or pdfkit no longer has it. */
export function patchTarget<F>(patch: PdfPatch, owner: string, proto: object | undefined, name: string): F {
  const fn = proto ? (proto as Record<string, unknown>)[name] : undefined;
  if (typeof fn !== 'function') {
    throw new Error(`pdfmake patch ${patch}: ${owner}.prototype.${name} is missing; pdfmake/pdfkit changed (pinned: see server/reports/render.ts)`);
  }
  return fn as F;
}

let pdfmakeConfigured = false;

type StyleValue = Record<string, unknown> & { extends?: unknown };
interface StyleStack {
  styleOverrides: (string | Record<string, unknown>)[];
  styleDictionary: Record<string, StyleValue | undefined>;
  defaultStyle?: Record<string, unknown>;
  getProperty(property: string): unknown;
}

/**
 * pdfmake resolves every text property by walking the whole style stack, allocating a closure and a
 * Set for each named style it meets; in a text-heavy report that is a large share of the render time
 * and most of its garbage. This is the same walk without the allocations. Styles that use `extends`
 * (ours do not) still go through pdfmake's own code.
 */
function fasterStyleLookup(): void {
  const requireFromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake'));
  const { default: StyleContextStack } = requireFromPdfmake('./StyleContextStack.js') as { default: { prototype: StyleStack & { lcsFast?: boolean } } };
  const proto = StyleContextStack?.prototype;
  if (proto?.lcsFast) return;
  const original = patchTarget<StyleStack['getProperty']>('styleLookup', 'StyleContextStack', proto, 'getProperty');
  proto.getProperty = function (this: StyleStack, property: string): unknown {
    PATCH_CALLS.styleLookup++;
    const overrides = this.styleOverrides;
    if (overrides) {
      for (let i = overrides.length - 1; i >= 0; i--) {
        const item = overrides[i]!;
        if (typeof item === 'string') {
          const style = this.styleDictionary[item];
          if (!style) continue;
          if (style.extends !== undefined) return original.call(this, property);
          const value = style[property];
          if (value !== undefined && value !== null) return value;
        } else {
          const value = item[property];
          if (value !== undefined && value !== null) return value;
        }
      }
    }
    return this.defaultStyle && this.defaultStyle[property];
  };
  proto.lcsFast = true;
}

/** Word layouts kept across documents, per font: at most this many words per font. */
const LAYOUT_CACHE_MAX = 50_000;

interface LayoutRun {
  glyphs: unknown[];
  positions: unknown[];
  advanceWidth: number;
}

/**
 * pdfkit shapes every word with fontkit (kerning, ligatures) and caches the result per document, so
 * each new report starts cold and spends most of its time re-shaping the same vocabulary. The runs
 * depend only on the font file and the word (pdfkit copies positions before changing them), so one
 * cache per font, shared by all documents of this thread, is safe. pdfkit does not export its
 * EmbeddedFont class; it is taken from a throw-away document that loads Roboto.
 */
function shareWordLayouts(): void {
  const requireFromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake'));
  const PDFKitDocument = requireFromPdfmake('pdfkit') as new (opts: object) => { font(src: string): { _font: object } };
  const probe = new PDFKitDocument({ autoFirstPage: false }).font(ROBOTO.normal)._font as {
    constructor: { prototype: { layoutCached(text: string): LayoutRun; layoutRun(text: string): LayoutRun } };
  };
  const proto = probe.constructor.prototype;
  if ((proto as { lcsShared?: boolean }).lcsShared) return;
  patchTarget('wordLayouts', 'EmbeddedFont', proto, 'layoutCached');
  patchTarget('wordLayouts', 'EmbeddedFont', proto, 'layoutRun');
  const caches = new Map<string, Map<string, LayoutRun>>();
  proto.layoutCached = function (this: { name: string; layoutRun(text: string): LayoutRun }, text: string): LayoutRun {
    PATCH_CALLS.wordLayouts++;
    let cache = caches.get(this.name);
    if (!cache) caches.set(this.name, (cache = new Map()));
    let run = cache.get(text);
    if (!run) {
      if (cache.size >= LAYOUT_CACHE_MAX) cache.clear();
      run = this.layoutRun(text);
      cache.set(text, run);
    }
    return run;
  };
  (proto as { lcsShared?: boolean }).lcsShared = true;
}

/** Fonts and access policies, once per thread and before the first render. */
export function configurePdfmake(): void {
  if (pdfmakeConfigured) return;
  pdfmake.setFonts({ Roboto: { ...ROBOTO } });
  // Reports need no network: every http(s) URL (image, font, attachment) is refused.
  pdfmake.setUrlAccessPolicy(() => false);
  // Local files: only the Roboto files. Logos and charts arrive as data URLs and SVG strings.
  pdfmake.setLocalAccessPolicy((path) => isAllowedLocalFile(path));
  shareWordLayouts();
  fasterStyleLookup();
  noEmptyPages();
  batchedStreamWrites();
  directSvgDimensions();
  pdfmakeConfigured = true;
}

interface LayoutNode {
  pageBreak?: string;
}
interface LayoutContext {
  y: number;
  pageMargins: { top: number };
  getCurrentPage(): { items: unknown[] } | undefined;
}

/**
 * pdfmake moves to a new page when an element's bottom margin does not fit, and a following
 * `pageBreak: 'before'` then adds another: an empty page between chapters whenever a chapter ends
 * near the bottom. A page break before a node on a still-empty page is skipped here.
 */
function noEmptyPages(): void {
  const requireFromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake'));
  const { default: LayoutBuilder } = requireFromPdfmake('./LayoutBuilder.js') as {
    default: { prototype: { processNode(node: LayoutNode, ...rest: unknown[]): unknown; writer: { context(): LayoutContext }; lcsNoEmpty?: boolean } };
  };
  const proto = LayoutBuilder?.prototype;
  if (proto?.lcsNoEmpty) return;
  const original = patchTarget<typeof proto.processNode>('noEmptyPages', 'LayoutBuilder', proto, 'processNode');
  proto.processNode = function (this: typeof proto, node: LayoutNode, ...rest: unknown[]): unknown {
    PATCH_CALLS.noEmptyPages++;
    if (node.pageBreak === 'before') {
      const ctx = this.writer.context();
      const page = ctx.getCurrentPage();
      if (page && page.items.length === 0 && ctx.y <= ctx.pageMargins.top + 0.5) {
        node.pageBreak = undefined;
        try {
          return original.call(this, node, ...rest);
        } finally {
          node.pageBreak = 'before';
        }
      }
    }
    return original.call(this, node, ...rest);
  };
  proto.lcsNoEmpty = true;
}

interface PdfReference {
  compress: boolean;
  data: { Length?: number; Filter?: string };
  lcsText?: string[];
  write(chunk: unknown): void;
  finalize(): void;
  lcsFlush(): void;
}

/**
 * pdfkit turns every content-stream operator into its own small Buffer as it is written (tens of
 * thousands per report). Here strings are collected and converted once, when the object is
 * finalised; the bytes written are the same (each string chunk followed by a newline).
 */
function batchedStreamWrites(): void {
  const requireFromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake'));
  const PDFKitDocument = requireFromPdfmake('pdfkit') as new (opts: object) => { ref(data?: object): PdfReference };
  const proto = Object.getPrototypeOf(new PDFKitDocument({ autoFirstPage: false }).ref({})) as PdfReference & { lcsBatched?: boolean };
  if (proto.lcsBatched) return;
  const write = patchTarget<PdfReference['write']>('batchedWrites', 'PDFReference', proto, 'write');
  const finalize = patchTarget<PdfReference['finalize']>('batchedWrites', 'PDFReference', proto, 'finalize');
  proto.lcsFlush = function (this: PdfReference) {
    const text = this.lcsText;
    if (text && text.length > 0) {
      this.lcsText = [];
      write.call(this, Buffer.from(`${text.join('\n')}\n`, 'binary'));
    }
  };
  proto.write = function (this: PdfReference, chunk: unknown) {
    PATCH_CALLS.batchedWrites++;
    if (typeof chunk === 'string') {
      (this.lcsText ??= []).push(chunk);
      if (this.data.Length == null) this.data.Length = 0;
      if (this.compress) this.data.Filter = 'FlateDecode';
      return;
    }
    this.lcsFlush();
    write.call(this, chunk);
  };
  proto.finalize = function (this: PdfReference) {
    this.lcsFlush();
    finalize.call(this);
  };
  proto.lcsBatched = true;
}

interface SvgMeasurer {
  measureSVG(svg: unknown): { width: number | undefined; height: number | undefined };
  writeDimensions(svg: unknown, dims: { width: number; height: number }): unknown;
}

const SVG_ROOT = /^\s*(?:<\?xml[^>]*>\s*)?<svg\b([^>]*)>/;
const attr = (attrs: string, name: string): string | undefined => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];
const units = (v: string | undefined): number | undefined => {
  const n = v === undefined ? NaN : parseFloat(v);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * pdfmake parses every SVG string twice with xmldoc and serialises it once, only to read and set the
 * width and height of the root element; svg-to-pdfkit then parses it again to draw it. For SVG
 * strings whose root tag is plain (ours: cairo's and the dialogue model's), read and set those
 * attributes directly; anything else goes through pdfmake's own code.
 */
function directSvgDimensions(): void {
  const requireFromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake'));
  const { default: SVGMeasure } = requireFromPdfmake('./SVGMeasure.js') as { default: { prototype: SvgMeasurer & { lcsDirect?: boolean } } };
  const proto = SVGMeasure?.prototype;
  if (proto?.lcsDirect) return;
  const measureSVG = patchTarget<SvgMeasurer['measureSVG']>('svgDimensions', 'SVGMeasure', proto, 'measureSVG');
  const writeDimensions = patchTarget<SvgMeasurer['writeDimensions']>('svgDimensions', 'SVGMeasure', proto, 'writeDimensions');
  proto.measureSVG = function (this: SvgMeasurer, svg: unknown) {
    PATCH_CALLS.svgDimensions++;
    const root = typeof svg === 'string' ? SVG_ROOT.exec(svg) : null;
    if (!root) return measureSVG.call(this, svg);
    const attrs = root[1]!;
    let width = units(attr(attrs, 'width'));
    let height = units(attr(attrs, 'height'));
    const viewBox = attr(attrs, 'viewBox')?.split(/[,\s]+/);
    if (viewBox?.length === 4) {
      width ??= units(viewBox[2]);
      height ??= units(viewBox[3]);
    }
    return { width, height };
  };
  proto.writeDimensions = function (this: SvgMeasurer, svg: unknown, dims: { width: number; height: number }) {
    const root = typeof svg === 'string' ? SVG_ROOT.exec(svg) : null;
    if (!root) return writeDimensions.call(this, svg, dims);
    let attrs = root[1]!;
    const width = attr(attrs, 'width');
    const height = attr(attrs, 'height');
    if (width === undefined || height === undefined) return writeDimensions.call(this, svg, dims);
    if (attr(attrs, 'viewBox') === undefined) attrs += ` viewBox="0 0 ${units(width)} ${units(height)}"`;
    attrs = attrs.replace(/(^|\s)width="[^"]*"/, `$1width="${dims.width}"`).replace(/(^|\s)height="[^"]*"/, `$1height="${dims.height}"`);
    const s = svg as string;
    return `${s.slice(0, root.index)}<svg${attrs}>${s.slice(root.index + root[0].length)}`;
  };
  proto.lcsDirect = true;
}

/** A data URL for a stored logo, or null when the bytes are not the PNG/JPEG they claim to be. */
export function logoDataUrl(logo: Uint8Array | null, mime: string | null): string | null {
  if (!logo || logo.length < 8 || !mime) return null;
  const png = logo[0] === 0x89 && logo[1] === 0x50 && logo[2] === 0x4e && logo[3] === 0x47;
  const jpeg = logo[0] === 0xff && logo[1] === 0xd8 && logo[2] === 0xff;
  if ((mime === 'image/png' && !png) || (mime === 'image/jpeg' && !jpeg) || (mime !== 'image/png' && mime !== 'image/jpeg')) return null;
  return `data:${mime};base64,${Buffer.from(logo.buffer, logo.byteOffset, logo.byteLength).toString('base64')}`;
}

/** Logos already tried in this thread, by content: a broken image must not break every report. */
const logoChecks = new Map<string, boolean>();

/** Whether pdfkit can decode the image (the magic bytes alone do not prove a PNG is complete). */
function decodable(dataUrl: string): boolean {
  const key = createHash('sha256').update(dataUrl).digest('hex');
  let ok = logoChecks.get(key);
  if (ok === undefined) {
    try {
      const requireFromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake'));
      const PDFKitDocument = requireFromPdfmake('pdfkit') as new (opts: object) => { openImage(src: Buffer): unknown };
      new PDFKitDocument({ autoFirstPage: false }).openImage(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
      ok = true;
    } catch {
      ok = false;
    }
    if (logoChecks.size > 100) logoChecks.clear();
    logoChecks.set(key, ok);
  }
  return ok;
}

export function brandingFor(input: BrandingInput): ReportBranding {
  const logo = logoDataUrl(input.logo, input.logoMime);
  return { name: input.name, accentColor: input.accentColor, logoDataUrl: logo && decodable(logo) ? logo : null };
}

export class ReportRenderer {
  readonly charts: ChartRenderers;

  constructor(chartFormat: ChartFormat = 'svg') {
    configurePdfmake();
    this.charts = new ChartRenderers(chartFormat);
  }

  async render(input: RenderInput): Promise<Buffer> {
    const doc = buildReport(input.type, input.model, {
      lang: input.lang,
      branding: brandingFor(input.branding),
      renderChart: (spec) => this.charts.render(spec),
      ...(input.date ? { date: input.date } : {}),
      ...(input.extras ? { extras: input.extras } : {}),
      ...(input.actionPlan ? { actionPlan: input.actionPlan } : {}),
    });
    return pdfmake.createPdf(doc).getBuffer();
  }
}

export interface PosterRenderInput extends Omit<PosterInput, 'qr' | 'branding'> {
  branding: BrandingInput;
}

/** The QR symbol pdfmake draws for a link (error correction M, as on the round page). */
export function posterQr(link: string): PosterInput['qr'] {
  const { modules } = QRCode.create(link, { errorCorrectionLevel: 'M' });
  return { size: modules.size, modules: modules.data };
}

/** The A4 poster of a shared link: one page of text and vector drawing, rendered in this thread. */
export async function renderPoster(input: PosterRenderInput): Promise<Buffer> {
  configurePdfmake();
  const doc = buildPoster({ ...input, qr: posterQr(input.link), branding: brandingFor(input.branding) });
  return Buffer.from(await pdfmake.createPdf(doc).getBuffer());
}
