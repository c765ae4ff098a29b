// Dates on web pages and in the PDF come from one formatter, on the Europe/Amsterdam calendar day,
// whatever the server's time zone: a round opening 1 December (00:00 in Amsterdam, 23:00 UTC the day
// before) shows 1 December, not 30 November.
import { describe, expect, it } from 'vitest';
import { fmtDate as reportDate } from '../../report-templates/format.js';
import { fmtDate as webDate } from '../../server/web/i18n.js';

describe('dates', () => {
  it('shows the Amsterdam calendar day on the web, as the PDF does', () => {
    const midnightAmsterdam = '2026-11-30T23:00:00.000Z';
    expect(webDate('nl', midnightAmsterdam)).toBe('1 december 2026');
    expect(webDate('en', midnightAmsterdam)).toBe('1 December 2026');
    // Summer time: 00:30 on 1 July in Amsterdam is 22:30 UTC on 30 June.
    expect(webDate('nl', new Date('2026-06-30T22:30:00Z'))).toBe('1 juli 2026');
    for (const lang of ['nl', 'en'] as const) expect(webDate(lang, midnightAmsterdam)).toBe(reportDate(midnightAmsterdam, lang));
    expect(webDate('nl', null)).toBe('–');
    expect(webDate('nl', 'not a date')).toBe('–');
  });
});
