// Number formatting of the reports: one rule for every figure (worked out by hand below).
import { describe, expect, it } from 'vitest';
import { fmtAlpha, fmtCi, fmtCount, fmtDate, fmtDateTime, fmtPct, fmtPercentile, fmtPp, fmtPublishedPct, fmtScore, fmtScoreDelta, wrapLabel } from '../../report-templates/format.js';
import { contrastOnWhite, themeFor, DEFAULT_ACCENT } from '../../report-templates/theme.js';

describe('report number formatting', () => {
  it('prints scores with one decimal, Dutch with a comma, halves rounded up as the score bands do', () => {
    expect(fmtScore(3.44, 'nl')).toBe('3,4');
    expect(fmtScore(3.45, 'nl')).toBe('3,5');
    expect(fmtScore(2.95, 'nl')).toBe('3,0'); // 2.95 is 2.9499999... in binary; the band says "middle"
    expect(fmtScore(2.95, 'en')).toBe('3.0');
    expect(fmtScore(4, 'en')).toBe('4.0');
  });

  it('prints percentages in whole points and differences with a sign and a real minus', () => {
    expect(fmtPct(55.06, 'nl')).toBe('55%');
    expect(fmtPct(12.5, 'nl')).toBe('13%');
    expect(fmtPp(-3.4, 'nl')).toBe('\u22123 pp');
    expect(fmtPp(6.5, 'en')).toBe('+7 pp');
    expect(fmtPp(-0.2, 'nl')).toBe('0 pp');
    expect(fmtScoreDelta(-0.26, 'nl')).toBe('\u22120,3');
    expect(fmtScoreDelta(0.04, 'nl')).toBe('0,0');
    expect(fmtScoreDelta(0.15, 'en')).toBe('+0.2');
  });

  it('prints published shares, alpha, intervals, counts, percentiles and dates', () => {
    expect(fmtPublishedPct(23.7, 1, 'nl')).toBe('23,7%');
    expect(fmtPublishedPct(45, 1, 'nl')).toBe('45,0%');
    expect(fmtAlpha(0.8149, 'nl')).toBe('0,81');
    expect(fmtCi(3.214, 3.386, 'nl')).toBe('3,2\u20133,4');
    expect(fmtCount(1234567, 'nl')).toBe('1.234.567');
    expect(fmtCount(1234, 'en')).toBe('1,234');
    expect(fmtPercentile(63.6, 'nl')).toBe('64e percentiel');
    expect(fmtPercentile(22, 'en')).toBe('22nd percentile');
    expect(fmtPercentile(13, 'en')).toBe('13th percentile');
    // 22:00 UTC on 5 October is already the 6th in Amsterdam (summer time, UTC+2).
    expect(fmtDate('2026-10-05T22:00:00.000Z', 'nl')).toBe('6 oktober 2026');
    expect(fmtDate('2026-01-15T10:00:00.000Z', 'en')).toBe('15 January 2026');
  });

  it('prints a moment as a date and time in Dutch time, whatever the server\'s time zone', () => {
    // 23:30 UTC on 30 November is 00:30 on 1 December in Amsterdam (UTC+1 in winter).
    expect(fmtDateTime('2026-11-30T23:30:00Z', 'nl')).toBe('1 december 2026 om 00:30');
    expect(fmtDateTime(new Date('2026-11-30T23:30:00Z'), 'en')).toBe('1 December 2026 at 00:30');
    // Summer time: UTC+2, so 22:05 UTC on 30 June is 00:05 on 1 July.
    expect(fmtDateTime('2026-06-30T22:05:00Z', 'nl')).toBe('1 juli 2026 om 00:05');
  });

  it('wraps chart labels at word boundaries and marks a cut with an ellipsis', () => {
    expect(wrapLabel('Ik neem zelf het initiatief om me te ontwikkelen.', 20)).toEqual(['Ik neem zelf het', 'initiatief om me te', 'ontwikkelen.']);
    expect(wrapLabel('een twee drie vier vijf zes', 9, 2)).toEqual(['een twee', 'drie vier…']);
  });
});

describe('report theme', () => {
  it('uses the consultancy accent, falls back to the neutral default, and keeps accent text readable', () => {
    expect(themeFor('#AA3300').accent).toBe('#aa3300');
    expect(themeFor(null).accent).toBe(DEFAULT_ACCENT);
    expect(themeFor('red').accent).toBe(DEFAULT_ACCENT);
    const light = themeFor('#ffe14d');
    expect(contrastOnWhite(light.accent)).toBeLessThan(4.5);
    expect(contrastOnWhite(light.accentInk)).toBeGreaterThanOrEqual(4.5);
    // Text on the accent band: white on a dark accent, dark ink on a light one.
    expect(themeFor('#1f5f7a').onAccent).toBe('#ffffff');
    expect(light.onAccent).not.toBe('#ffffff');
  });
});
