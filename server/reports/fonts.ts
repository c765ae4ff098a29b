// The one font of the reports: pdfmake's own Roboto, from the pdfmake package. pdfmake embeds it in
// the PDF; node-canvas (chart.js) measures chart text with the same files, so chart labels and body
// text share metrics. Registered once per thread, before the first render.
import { registerFont } from 'canvas';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);

export const ROBOTO_DIR = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');

export const ROBOTO = {
  normal: join(ROBOTO_DIR, 'Roboto-Regular.ttf'),
  bold: join(ROBOTO_DIR, 'Roboto-Medium.ttf'),
  italics: join(ROBOTO_DIR, 'Roboto-Italic.ttf'),
  bolditalics: join(ROBOTO_DIR, 'Roboto-MediumItalic.ttf'),
} as const;

const FONT_FILES: ReadonlySet<string> = new Set(Object.values(ROBOTO).map((p) => resolve(p)));

/** The local-file policy: the four Roboto files and nothing else. */
export function isAllowedLocalFile(path: string): boolean {
  return FONT_FILES.has(resolve(path));
}

let canvasFontsRegistered = false;

/** Registers Roboto with node-canvas (Pango); must happen before the first canvas is created. */
export function registerCanvasFonts(): void {
  if (canvasFontsRegistered) return;
  registerFont(ROBOTO.normal, { family: 'Roboto' });
  registerFont(ROBOTO.bold, { family: 'Roboto', weight: 'bold' });
  registerFont(ROBOTO.italics, { family: 'Roboto', style: 'italic' });
  canvasFontsRegistered = true;
}
