// The A4 poster for staff without email (notice boards, canteens, break rooms): the round's shared
// link as a large QR code and as text, until when people can take part, and the anonymity promise, in
// plain words (B1), branded with the consultancy's name, logo and accent colour. One poster per form
// and language. Pure: (poster input, branding) -> pdfmake document; the QR modules come from the caller.

import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Form } from '../scans/index.js';
import type { Language } from '../scans/types.js';
import type { ReportBranding } from './components.js';
import { fmtDateTime } from './format.js';
import { themeFor } from './theme.js';

/** A QR symbol: `size` x `size` modules, row by row, true = dark. */
export interface QrMatrix {
  size: number;
  modules: ArrayLike<boolean | number>;
}

export interface PosterInput {
  lang: Language;
  form: Form;
  /** The link the QR code holds and the poster prints. */
  link: string;
  qr: QrMatrix;
  organisationName: string;
  /** ISO moment the round closes, or null (open until HR closes it). */
  closesAt: string | null;
  anonymityThreshold: number;
  branding: ReportBranding;
  isDemo?: boolean;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
/** The QR code's box in pt (quiet zone included), centred; the dark modules are pure black (#000000). */
export const POSTER_QR = { width: 270, quietModules: 4 } as const;

const TEXT = {
  nl: {
    kicker: 'Leercultuurscan',
    title: { employee: 'Hoe leer jij in je werk?', management: 'Hoe leert onze organisatie?' },
    lead: (org: string, form: Form) =>
      form === 'management'
        ? `${org} wil weten hoe leren en ontwikkelen bij ons gaat. Deze vragenlijst is voor HR en leidinggevenden. Invullen duurt ongeveer 15 minuten.`
        : `${org} wil weten hoe leren en ontwikkelen in je werk gaat. Vul een korte vragenlijst in. Dat duurt ongeveer 15 minuten.`,
    scan: 'Scan de code met de camera van je telefoon.',
    type: 'Of typ deze link in je browser:',
    until: (d: string) => `Meedoen kan tot ${d}.`,
    open: 'Meedoen kan nu.',
    anonTitle: 'Je antwoorden zijn anoniem',
    anon: (k: number, org: string, by: string) => [
      'We vragen niet naar je naam of je e-mailadres.',
      `Niemand kan zien wat jij invult: je leidinggevende niet, HR niet, ${org} niet en ${by} niet.`,
      `We laten alleen uitkomsten zien van groepen van minstens ${k} mensen.`,
    ],
    runBy: (by: string, org: string) => `${by} voert de scan uit voor ${org}.`,
  },
  en: {
    kicker: 'Learning culture scan',
    title: { employee: 'How do you learn at work?', management: 'How does our organisation learn?' },
    lead: (org: string, form: Form) =>
      form === 'management'
        ? `${org} wants to know how learning and development go here. This questionnaire is for HR and managers. It takes about 15 minutes.`
        : `${org} wants to know how learning and development go in your work. Fill in a short questionnaire. It takes about 15 minutes.`,
    scan: 'Scan the code with the camera of your phone.',
    type: 'Or type this link in your browser:',
    until: (d: string) => `You can take part until ${d}.`,
    open: 'You can take part now.',
    anonTitle: 'Your answers are anonymous',
    anon: (k: number, org: string, by: string) => [
      'We do not ask for your name or your email address.',
      `Nobody can see what you fill in: not your manager, not HR, not ${org} and not ${by}.`,
      `We only show results of groups of at least ${k} people.`,
    ],
    runBy: (by: string, org: string) => `${by} runs the scan for ${org}.`,
  },
} as const;

/** "15 december 2026 om 17:00" / "15 December 2026 at 17:00", in Dutch time. */
export function posterDate(iso: string, lang: Language): string {
  return fmtDateTime(iso, lang);
}

/** The QR symbol as one SVG path (horizontal runs of dark modules), with its quiet zone. */
export function qrSvg(qr: QrMatrix, quiet: number = POSTER_QR.quietModules): string {
  const { size, modules } = qr;
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!modules[y * size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules[y * size + x]) x++;
      parts.push(`M${start + quiet} ${y + quiet}h${x - start}v1h${start - x}z`);
    }
  }
  const total = size + 2 * quiet;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${total}" viewBox="0 0 ${total} ${total}"><rect width="${total}" height="${total}" fill="#ffffff"/><path fill="#000000" d="${parts.join('')}"/></svg>`;
}

export function buildPoster(input: PosterInput): TDocumentDefinitions {
  const { lang, form, branding } = input;
  const t = TEXT[lang];
  const theme = themeFor(branding.accentColor);
  const by = branding.name;
  const org = input.organisationName;
  const width = A4.width - 2 * MARGIN;
  const header: Content = {
    columns: [
      branding.logoDataUrl
        ? { width: 'auto', table: { body: [[{ image: branding.logoDataUrl, fit: [150, 48], fillColor: '#ffffff', margin: [6, 4, 6, 4] }]] }, layout: 'noBorders' }
        : { width: 'auto', text: by, bold: true, fontSize: 16, color: theme.onAccent, margin: [0, 10, 0, 0] },
      { width: '*', text: t.kicker, alignment: 'right', bold: true, fontSize: 12, color: theme.onAccent, margin: [0, 14, 0, 0] },
    ],
    margin: [0, 0, 0, 0],
  };
  const when = input.closesAt ? t.until(posterDate(input.closesAt, lang)) : t.open;
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: [MARGIN, 40, MARGIN, 40],
    info: { title: `${t.title[form]} — ${org}`, author: by, creator: 'Leercultuurscan', producer: 'Leercultuurscan' },
    language: lang === 'nl' ? 'nl-NL' : 'en-GB',
    defaultStyle: { font: 'Roboto', fontSize: 13, color: theme.ink, lineHeight: 1.25 },
    // The accent band behind the header.
    background: () => ({ canvas: [{ type: 'rect', x: 0, y: 0, w: A4.width, h: 96, color: theme.accent }] }),
    content: [
      header,
      { text: t.title[form], fontSize: 30, bold: true, color: theme.accentInk, margin: [0, 34, 0, 10] },
      { text: t.lead(org, form), fontSize: 15, margin: [0, 0, 0, 14] },
      { text: when, fontSize: 17, bold: true, color: theme.accentInk, margin: [0, 0, 0, 12] },
      { svg: qrSvg(input.qr), width: POSTER_QR.width, height: POSTER_QR.width, alignment: 'center', margin: [0, 0, 0, 4] },
      { text: t.scan, alignment: 'center', fontSize: 14, bold: true, margin: [0, 0, 0, 8] },
      { text: t.type, alignment: 'center', fontSize: 11, color: theme.muted },
      { text: input.link, alignment: 'center', fontSize: input.link.length > 70 ? 10 : 12, bold: true, margin: [0, 2, 0, 16] },
      {
        table: {
          widths: [width - 24],
          body: [
            [
              {
                stack: [
                  { text: t.anonTitle, bold: true, fontSize: 14, color: theme.accentInk, margin: [0, 0, 0, 4] },
                  { ul: [...t.anon(input.anonymityThreshold, org, by)], fontSize: 12 },
                ],
                fillColor: theme.accentTint,
                margin: [12, 10, 12, 10],
              },
            ],
          ],
        },
        layout: { hLineWidth: () => 0, vLineWidth: (i) => (i === 0 ? 4 : 0), vLineColor: () => theme.accent },
      },
    ],
    footer: {
      text: `${t.runBy(by, org)}${input.isDemo ? ' · DEMO' : ''}`,
      fontSize: 9,
      color: theme.muted,
      alignment: 'center',
      margin: [MARGIN, 12, MARGIN, 0],
    },
  };
}
