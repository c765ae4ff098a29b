// The A3 canvas for the dialogue session: the empty LLO dialogue model, large, for participants to
// place the organisation on with stickers (past, now, desired), with the session's steps and room for
// the agreements that go into the action plan. Pure: (result model, options) -> pdfmake document.
// It shows no figures: it is the blank board; the results come afterwards, in the facilitator page.

import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { DIALOGUE_MODEL } from '../scans/instruments/dialogue-model.js';
import type { ResultModel } from '../scans/result-model.js';
import { frameFor, quadrantName, type ReportOptions } from './components.js';
import { quadrantSvg } from './quadrant.js';

const A3_LANDSCAPE = { width: 1190.55, height: 841.89 };

const STEPS = {
  nl: [
    'Plaats ieder voor zich: verleden (rondje), nu (vierkant), gewenst (ruit).',
    'Maak alle plaatsingen tegelijk zichtbaar.',
    'Laat ieder toelichten waarom de organisatie daar staat.',
    'Vertel de weg van de kenmerkende periode uit het verleden naar nu.',
    'Spreek af wat de gewenste positie vraagt, en van wie.',
    'Schrijf de afspraken rechts op: die gaan naar het actieplan.',
  ],
  en: [
    'Place individually: past (circle), now (square), desired (diamond).',
    'Reveal all placements at once.',
    'Let everyone explain why the organisation stands there.',
    'Tell the route from the characteristic period in the past to now.',
    'Agree what the desired position asks, and of whom.',
    'Write the agreements on the right: they go into the action plan.',
  ],
} as const;

export function buildDialogueCanvas(model: ResultModel, options: ReportOptions): TDocumentDefinitions {
  const f = frameFor(model, options);
  const { lang, theme } = f;
  // The blank model: no groups, so no points are drawn.
  const svg = quadrantSvg({ included: true, groups: [], disagreements: [] }, lang, theme, { width: 700, height: 640 });
  const title = lang === 'nl' ? 'Leven lang ontwikkelen-dialoogmodel: sessiecanvas' : 'Lifelong learning dialogue model: session canvas';
  const box = (label: string, height: number): Content => ({
    table: { widths: ['*'], heights: [12, height], body: [[{ text: label, bold: true, fontSize: 10, color: theme.accentInk }], [{ text: '' }]] },
    layout: { hLineWidth: (i) => (i === 1 ? 0 : 0.8), vLineWidth: () => 0.8, hLineColor: () => theme.rule, vLineColor: () => theme.rule },
    margin: [0, 0, 0, 10],
  });
  const quadrants = DIALOGUE_MODEL.quadrants.map((q) => ({ text: [{ text: `${quadrantName(q.label[lang])}: `, bold: true }, q.description[lang]], fontSize: 8, margin: [0, 0, 0, 3] as [number, number, number, number] }));
  return {
    pageSize: 'A3',
    pageOrientation: 'landscape',
    pageMargins: [36, 36, 36, 30],
    info: { title: `${title} — ${model.meta.organisation.name}`, author: f.branding.name, creator: 'Leercultuurscan', producer: 'Leercultuurscan' },
    language: lang === 'nl' ? 'nl-NL' : 'en-GB',
    defaultStyle: { font: 'Roboto', fontSize: 10, color: theme.ink, lineHeight: 1.2 },
    footer: { text: `${DIALOGUE_MODEL.source} · ${model.meta.organisation.name} · ${model.meta.round.name}`, fontSize: 7, color: theme.faint, margin: [36, 8, 36, 0] },
    content: [
      { text: title, fontSize: 20, bold: true, color: theme.accentInk, margin: [0, 0, 0, 2] },
      { text: `${model.meta.organisation.name} · ${model.meta.round.name}${model.meta.isDemo ? ' · DEMO' : ''}`, fontSize: 10, color: theme.muted, margin: [0, 0, 0, 10] },
      {
        columnGap: 24,
        columns: [
          { width: 700, svg, height: 640 },
          {
            width: '*',
            stack: [
              { text: lang === 'nl' ? 'Zo verloopt de sessie' : 'How the session runs', bold: true, fontSize: 12, margin: [0, 0, 0, 4] },
              { ol: [...STEPS[lang]], fontSize: 9, margin: [0, 0, 0, 10] },
              { stack: quadrants, margin: [0, 0, 0, 10] },
              box(lang === 'nl' ? 'De weg van toen naar nu' : 'The route from then to now', 70),
              box(lang === 'nl' ? 'Wat de gewenste positie vraagt' : 'What the desired position asks', 70),
              box(lang === 'nl' ? 'Afspraken voor het actieplan (wat, wie, wanneer)' : 'Agreements for the action plan (what, who, when)', 110),
            ],
          },
        ],
      },
    ],
  };
}

export const CANVAS_PAGE = A3_LANDSCAPE;
