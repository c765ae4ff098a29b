// Reading a PDF's text layout in tests: word boxes per page (pdftotext -bbox), how much of each page's
// text area is used, and the contents page's entries. Used by the layout tests of the reports.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PageWords {
  width: number;
  height: number;
  words: Word[];
}

const unescape = (s: string) => s.replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Every word of every page with its box in pt (origin top left). */
export function pdfWords(pdf: Uint8Array): PageWords[] {
  const dir = mkdtempSync(join(tmpdir(), 'lcs-bbox-'));
  try {
    const path = join(dir, 'report.pdf');
    writeFileSync(path, pdf);
    const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const pages: PageWords[] = [];
    for (const m of html.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
      const words: Word[] = [];
      for (const w of m[3]!.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
        words.push({ xMin: Number(w[1]), yMin: Number(w[2]), xMax: Number(w[3]), yMax: Number(w[4]), text: unescape(w[5]!) });
      }
      pages.push({ width: Number(m[1]), height: Number(m[2]), words });
    }
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The reports' text area (components.ts PAGE_MARGINS: top 66, bottom 58), header and footer outside it. */
export const TEXT_TOP = 66;
export const TEXT_BOTTOM = 841.89 - 58;

/** The share (0..1) of a page's text area down to its lowest word (header and footer not counted). */
export function pageFill(page: PageWords): number {
  const body = page.words.filter((w) => w.yMin >= TEXT_TOP - 1 && w.yMax <= TEXT_BOTTOM + 1);
  if (body.length === 0) return 0;
  const bottom = Math.max(...body.map((w) => w.yMax));
  return (bottom - TEXT_TOP) / (TEXT_BOTTOM - TEXT_TOP);
}

/** The words of the text area, top to bottom, as lines of text (words within 2 pt of one baseline). */
export function bodyLines(page: PageWords): { y: number; text: string; words: Word[] }[] {
  const body = page.words.filter((w) => w.yMin >= TEXT_TOP - 1 && w.yMax <= TEXT_BOTTOM + 1).sort((a, b) => a.yMax - b.yMax || a.xMin - b.xMin);
  const lines: { y: number; text: string; words: Word[] }[] = [];
  for (const w of body) {
    const line = lines.find((l) => Math.abs(l.y - w.yMax) < 2);
    if (line) line.words.push(w);
    else lines.push({ y: w.yMax, text: '', words: [w] });
  }
  for (const l of lines) l.text = l.words.sort((a, b) => a.xMin - b.xMin).map((w) => w.text).join(' ');
  return lines.sort((a, b) => a.y - b.y);
}
