// Issue 18 item 6: API messages in the UI's language, the browser's language on a first visit, and the
// benchmark upload page's help (target ids, template with the required columns).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CULTURE_SCAN_V1 } from '../../scans/index.js';
import { BENCHMARK_CSV_COLUMNS } from '../../server/results/benchmark-sets.js';
import { acceptLanguage, translateMessage } from '../../server/web/i18n.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { login, TEST_PASSWORD, twoTenantsSignedIn, type Tenant } from '../helpers/auth.js';

describe('API messages in the UI language', () => {
  it('translates zod and app messages to Dutch and leaves English as it is', () => {
    expect(translateMessage('nl', 'Too small: expected number to be >=5')).toBe('Te klein: minimaal 5');
    expect(translateMessage('nl', 'Too big: expected string to have <=200 characters')).toBe('Maximaal 200 tekens');
    expect(translateMessage('nl', 'Too small: expected array to have >=1 items')).toBe('Kies er minstens één');
    expect(translateMessage('nl', 'Invalid email address')).toBe('Geen geldig e-mailadres');
    expect(translateMessage('nl', 'Your role does not allow this')).toBe('Uw rol staat dit niet toe');
    expect(translateMessage('nl', 'Duplicate: a@b.nl is already on line 3')).toBe('Dubbel: a@b.nl staat al op regel 3');
    expect(translateMessage('nl', 'Invalid option: expected one of "hr"|"director"')).toBe('Kies een van de mogelijkheden');
    expect(translateMessage('en', 'Your role does not allow this')).toBe('Your role does not allow this');
    // Unknown messages are shown, not dropped.
    expect(translateMessage('nl', 'Something entirely new')).toBe('Something entirely new');
  });

  it('picks nl or en from Accept-Language by quality, Dutch otherwise', () => {
    expect(acceptLanguage('en-GB,en;q=0.9')).toBe('en');
    expect(acceptLanguage('de-DE,de;q=0.9,en;q=0.5,nl;q=0.4')).toBe('en');
    expect(acceptLanguage('nl-BE,en;q=0.8')).toBe('nl');
    expect(acceptLanguage('fr-FR')).toBe('nl');
    expect(acceptLanguage(undefined)).toBe('nl');
    expect(acceptLanguage('en;q=0, nl;q=0.1')).toBe('nl');
  });
});

describe('web pages: language and benchmark help', () => {
  let t: TestApp;
  let a: Tenant;
  let cookie: string;
  beforeAll(async () => {
    t = await setupTestApp();
    ({ a } = await twoTenantsSignedIn(t.app, t.db, 'webmsg'));
    cookie = (await login(t.app, a.consultant.email, TEST_PASSWORD)).cookie;
  });
  afterAll(async () => t?.close());

  it('serves the sign-in page in English to an English browser on the first visit', async () => {
    const en = await t.app.inject({ method: 'GET', url: '/', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.body).toContain('<html lang="en"');
    const nl = await t.app.inject({ method: 'GET', url: '/', headers: { 'accept-language': 'en-US', cookie: 'lcs_lang=nl' } });
    expect(nl.body).toContain('<html lang="nl"');
  });

  it('a refusal page is in Dutch, with the reason in Dutch', async () => {
    const hr = await login(t.app, a.hr.email, TEST_PASSWORD);
    const res = await t.app.inject({ method: 'GET', url: '/app/organisations/new', headers: { cookie: hr.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toMatch(/Your role|Not allowed/);
  });

  it('lists the valid target ids and offers a template with the required columns', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/app/benchmarks', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    for (const sc of CULTURE_SCAN_V1.scales) {
      expect(page.body).toContain(`<code>${sc.id}</code>`);
      expect(page.body).toContain(`<code>${sc.items[0]!.id}</code>`);
    }
    const csv = await t.app.inject({ method: 'GET', url: '/app/benchmarks/template.csv', headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    const [header, ...rows] = csv.body.trim().split('\n');
    expect(header).toBe(BENCHMARK_CSV_COLUMNS.join(','));
    expect(rows).toHaveLength(CULTURE_SCAN_V1.scales.length);
  });
});
