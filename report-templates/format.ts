// Number, date and text formatting for the reports: one place, so every figure a report prints is
// rounded and written the same way (scores one decimal, percentages whole points, Dutch decimal comma).
// Rounding is scans' roundTo, the same rule the score bands use, so a printed 3,0 is always "middle".

import { roundTo } from '../scans/scoring/scales.js';
import type { Language } from '../scans/types.js';

/** Typographic minus (U+2212): a hyphen looks like a dash next to numbers in Roboto. */
export const MINUS = '\u2212';
/** En dash for ranges (CI 3,2–3,6). */
export const EN_DASH = '\u2013';

function decimal(value: number, decimals: number, lang: Language): string {
  const r = roundTo(value, decimals);
  const s = (Object.is(r, -0) ? 0 : r).toFixed(decimals);
  const signed = s.startsWith('-') ? MINUS + s.slice(1) : s;
  return lang === 'nl' ? signed.replace('.', ',') : signed;
}

/** A scale score (1..5) with one decimal: "3,4" / "3.4". */
export function fmtScore(value: number, lang: Language): string {
  return decimal(value, 1, lang);
}

/** A percentage 0..100 in whole points: "62%". */
export function fmtPct(value: number, lang: Language): string {
  return `${decimal(value, 0, lang)}%`;
}

/** A published share as the source gives it (SEOR with one decimal): "23,7%". */
export function fmtPublishedPct(value: number, decimals: number, lang: Language): string {
  return `${decimal(value, decimals, lang)}%`;
}

/** Whether a number rounds to zero at the given precision. */
function roundsToZero(value: number, decimals: number): boolean {
  return roundTo(value, decimals) === 0;
}

/** A signed difference in percentage points: "+4 pp", "−3 pp", "0 pp". */
export function fmtPp(value: number, lang: Language): string {
  const body = decimal(Math.abs(value), 0, lang);
  const sign = roundsToZero(value, 0) ? '' : value > 0 ? '+' : MINUS;
  return `${sign}${body} pp`;
}

/** A signed difference in scale points: "+0,3", "−0,2", "0,0". */
export function fmtScoreDelta(value: number, lang: Language): string {
  const body = decimal(Math.abs(value), 1, lang);
  const sign = roundsToZero(value, 1) ? '' : value > 0 ? '+' : MINUS;
  return `${sign}${body}`;
}

/** Cronbach's alpha with two decimals: "0,81". */
export function fmtAlpha(value: number, lang: Language): string {
  return decimal(value, 2, lang);
}

/** A 95% confidence interval of a score: "3,2–3,6". */
export function fmtCi(low: number, high: number, lang: Language): string {
  return `${fmtScore(low, lang)}${EN_DASH}${fmtScore(high, lang)}`;
}

/** A dialogue-model coordinate or distance (axes -100..100), whole numbers: "−36". */
export function fmtPoint(value: number, lang: Language): string {
  return decimal(value, 0, lang);
}

/** A count with a thousands separator: "1.234" / "1,234". */
export function fmtCount(value: number, lang: Language): string {
  const s = String(Math.round(Math.abs(value)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'nl' ? '.' : ',');
  return value < 0 ? MINUS + grouped : grouped;
}

const ORDINAL_NL = (n: number) => `${n}e`;
const ORDINAL_EN = (n: number) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;

/** A percentile band: "3e kwartiel (50–75%)" / "3rd quartile (50–75%)", "7e deciel (60–70%)". */
export function fmtPercentileBand(p: { band: 'quartile' | 'decile'; position: number; from: number; to: number }, lang: Language): string {
  const name = lang === 'nl' ? (p.band === 'quartile' ? 'kwartiel' : 'deciel') : p.band;
  return `${lang === 'nl' ? ORDINAL_NL(p.position) : ORDINAL_EN(p.position)} ${name} (${p.from}\u2013${p.to}%)`;
}

/** A percentile rank: "64e percentiel" / "64th percentile". */
export function fmtPercentile(rank: number, lang: Language): string {
  const r = Math.round(rank);
  if (lang === 'nl') return `${r}e percentiel`;
  const mod100 = r % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : r % 10 === 1 ? 'st' : r % 10 === 2 ? 'nd' : r % 10 === 3 ? 'rd' : 'th';
  return `${r}${suffix} percentile`;
}

const MONTHS: Record<Language, string[]> = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** A date as "5 oktober 2026" / "5 October 2026" (Europe/Amsterdam calendar day). */
export function fmtDate(iso: string | Date, lang: Language): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  // The calendar day in the Netherlands: UTC+1 in winter, +2 in summer. Noon-safe for reports.
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(d);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return `${get('day')} ${MONTHS[lang][get('month') - 1]} ${get('year')}`;
}

/** A moment as "15 december 2026 om 17:00" / "15 December 2026 at 17:00", in Dutch time (Europe/Amsterdam). */
export function fmtDateTime(iso: string | Date, lang: Language): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  return `${fmtDate(d, lang)} ${lang === 'nl' ? 'om' : 'at'} ${time}`;
}

/** Breaks a label into lines of at most `width` characters (for chart axes), at most `maxLines`. */
export function wrapLabel(text: string, width: number, maxLines = 3): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.replace(/[.,;:]?$/, '')}…`;
    return kept;
  }
  return lines;
}
