// The reports' visual language: colours (the consultancy's accent plus a fixed neutral palette),
// type sizes and the pdfmake styles built from them. A consultancy's accent can be any colour, so the
// theme derives a darker "ink" variant that stays readable as text on white, and a light tint for fills.

import type { StyleDictionary } from 'pdfmake/interfaces.js';

/** The accent a report uses when the consultancy has none (the database default). */
export const DEFAULT_ACCENT = '#1f5f7a';

export interface Theme {
  /** The consultancy's colour, as uploaded: fills, rules, the cover band. */
  accent: string;
  /** The accent darkened until it reads as text on white (contrast >= 4.5). */
  accentInk: string;
  /** A very light tint of the accent for table heads and boxes. */
  accentTint: string;
  /** A mid tint for secondary fills. */
  accentSoft: string;
  /** Text colour on an accent fill: white, or dark ink when the accent is too light for white. */
  onAccent: string;
  ink: string;
  muted: string;
  faint: string;
  rule: string;
  paper: string;
  /** Second and third series in charts (management view, benchmark). */
  series2: string;
  series3: string;
  /** The answer scale 1..5, colour-blind safe (diverging red-grey-blue). */
  scale: [string, string, string, string, string];
  good: string;
  bad: string;
}

const HEX = /^#[0-9a-fA-F]{6}$/;

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function hex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0')).join('')}`;
}

function luminance(color: string): number {
  const [r, g, b] = rgb(color).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of a colour against white. */
export function contrastOnWhite(color: string): number {
  return 1.05 / (luminance(color) + 0.05);
}

function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  return hex([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t]);
}

/** The theme for a consultancy's accent colour (anything that is not #rrggbb falls back to the default). */
export function themeFor(accentColor: string | null | undefined): Theme {
  const accent = accentColor && HEX.test(accentColor) ? accentColor.toLowerCase() : DEFAULT_ACCENT;
  let accentInk = accent;
  for (let t = 0.1; contrastOnWhite(accentInk) < 4.5 && t <= 1; t += 0.1) accentInk = mix(accent, '#000000', t);
  return {
    accent,
    accentInk,
    accentTint: mix(accent, '#ffffff', 0.9),
    accentSoft: mix(accent, '#ffffff', 0.65),
    onAccent: contrastOnWhite(accent) >= 3 ? '#ffffff' : '#1d2730',
    ink: '#1d2730',
    muted: '#5b6770',
    faint: '#8a959d',
    rule: '#d5dbe0',
    paper: '#f4f6f7',
    series2: '#c8742b',
    series3: '#7a8791',
    scale: ['#b2182b', '#ef8a62', '#cfd4d8', '#67a9cf', '#2166ac'],
    good: '#2166ac',
    bad: '#b2182b',
  };
}

/** Type sizes in pt. */
export const SIZE = { body: 9.5, small: 8, tiny: 7, h1: 20, h2: 13, h3: 10.5, display: 30 } as const;

export function stylesFor(theme: Theme): StyleDictionary {
  return {
    h1: { fontSize: SIZE.h1, bold: true, color: theme.accentInk, margin: [0, 0, 0, 10] },
    h2: { fontSize: SIZE.h2, bold: true, color: theme.ink, margin: [0, 14, 0, 6] },
    h3: { fontSize: SIZE.h3, bold: true, color: theme.ink, margin: [0, 8, 0, 3] },
    kicker: { fontSize: SIZE.small, bold: true, color: theme.accentInk, margin: [0, 0, 0, 2] },
    lead: { fontSize: 10.5, color: theme.ink, lineHeight: 1.35, margin: [0, 0, 0, 10] },
    body: { fontSize: SIZE.body, color: theme.ink, lineHeight: 1.3 },
    muted: { fontSize: SIZE.small, color: theme.muted, lineHeight: 1.25 },
    small: { fontSize: SIZE.small, color: theme.ink, lineHeight: 1.25 },
    tiny: { fontSize: SIZE.tiny, color: theme.faint },
    th: { fontSize: SIZE.small, bold: true, color: theme.muted },
    td: { fontSize: SIZE.small, color: theme.ink },
    num: { fontSize: SIZE.small, color: theme.ink, alignment: 'right' },
    figure: { fontSize: 22, bold: true, color: theme.accentInk },
    figureLabel: { fontSize: SIZE.small, color: theme.muted },
  };
}
