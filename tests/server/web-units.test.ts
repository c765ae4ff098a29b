// Pure helpers of the web app: escaping, dates in Amsterdam, accent contrast, multipart parsing.
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, jsonData, raw } from '../../server/web/html.js';
import { accentVariables, contrastRatio } from '../../server/web/layout.js';
import { parseMultipart } from '../../server/web/multipart.js';
import { dayToIso, isoToDay } from '../../server/web/pages/dates.js';
import { safeNext } from '../../server/web/pages/auth.js';

describe('html', () => {
  it('escapes interpolated text and attribute values, but not nested templates', () => {
    const name = `"><img src=x onerror=alert(1)> & 'x'`;
    const out = html`<p title="${name}">${name}${html`<b>${'<i>'}</b>`}${raw('<br>')}</p>`.value;
    expect(out).toBe('<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;x&#39;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;x&#39;<b>&lt;i&gt;</b><br></p>');
    expect(escapeHtml('`')).toBe('&#96;');
  });

  it('renders lists and leaves out null, undefined and booleans', () => {
    expect(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}${null}${undefined}${false}</ul>`.value).toBe('<ul><li>a</li><li>b</li></ul>');
  });

  it('keeps JSON data blocks from closing their script element', () => {
    expect(jsonData({ label: '</script><script>alert(1)</script>' }).value).not.toContain('</script>');
  });
});

describe('dates entered as days in the Netherlands', () => {
  it('opens at the start and closes at the end of the day, winter and summer time', () => {
    expect(dayToIso('2026-01-15', 'start')).toBe('2026-01-15T00:00:00+01:00');
    expect(dayToIso('2026-07-15', 'end')).toBe('2026-07-15T23:59:59+02:00');
    expect(new Date(dayToIso('2026-07-15', 'end') as string).toISOString()).toBe('2026-07-15T21:59:59.000Z');
    expect(dayToIso('', 'start')).toBeNull();
    expect(dayToIso('15-07-2026', 'start')).toBe('invalid');
  });

  it('shows an instant as its Amsterdam day', () => {
    expect(isoToDay('2026-07-15T22:30:00Z')).toBe('2026-07-16');
    expect(isoToDay(null)).toBe('');
  });
});

describe('accent colour', () => {
  it('keeps text on the accent and accent text on white at WCAG AA, whatever colour is uploaded', () => {
    for (const accent of ['#1f5f7a', '#ffd400', '#00ff00', '#ffffff', '#000000', '#e4007c', 'not-a-colour']) {
      const v = accentVariables(accent);
      expect(contrastRatio(v['--accent-text']!, '#ffffff'), accent).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(v['--accent-button']!, v['--accent-ink']!), accent).toBeGreaterThanOrEqual(4.5);
    }
    expect(accentVariables('not-a-colour')['--accent']).toBe('#1f5f7a');
  });
});

describe('multipart', () => {
  it('parses text fields and files', () => {
    const b = 'XyZ';
    const body = Buffer.from(
      [`--${b}`, 'Content-Disposition: form-data; name="_csrf"', '', 'tok', `--${b}`, 'Content-Disposition: form-data; name="csv"; filename="e.csv"', 'Content-Type: text/csv', '', 'a@x.nl\r\nb@x.nl', `--${b}--`, ''].join('\r\n'),
    );
    const parsed = parseMultipart(body, `multipart/form-data; boundary=${b}`);
    expect(parsed._csrf).toBe('tok');
    expect(parsed.csv).toMatchObject({ filename: 'e.csv', mime: 'text/csv' });
    expect((parsed.csv as { data: Buffer }).data.toString()).toBe('a@x.nl\r\nb@x.nl');
  });

  it('refuses a body without its boundary', () => {
    expect(() => parseMultipart(Buffer.from('hello'), 'multipart/form-data; boundary=abc')).toThrow();
    expect(() => parseMultipart(Buffer.from('hello'), 'multipart/form-data')).toThrow();
  });
});

describe('redirect after sign-in', () => {
  it('only follows paths on this site', () => {
    expect(safeNext('/app/rounds/1')).toBe('/app/rounds/1');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', '/api/v1/auth/me', 42]) expect(safeNext(bad)).toBe('/app');
  });
});
