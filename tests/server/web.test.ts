// The web app through app.inject (no browser): security headers only on pages, CSRF on every form, the
// survey token exchanged for a cookie and gone from the URL, the plain (no-JavaScript) questionnaire
// saving through the respondent API, HTML escaping, and errors as pages.
import { sha256Hex } from '../../server/lib/crypto.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, login, staffHeaders, TEST_PASSWORD, type Tenant } from '../helpers/auth.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tenant: Tenant;

beforeAll(async () => {
  t = await setupTestApp();
  tenant = await createTenant(t.db, { organisationName: 'Zorg <script>alert(1)</script> & Co' });
});
afterAll(async () => t?.close());

/** Cookies from set-cookie headers, as a browser would send them back. */
function cookiesOf(res: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw as string] : [];
  return Object.fromEntries(list.map((c: string) => c.split(';')[0]!.split('=')).map(([k, ...v]) => [k!, v.join('=')]));
}

async function signedIn(email: string) {
  const page = await t.app.inject({ method: 'GET', url: '/' });
  const loginCsrf = cookiesOf(page).lcs_login_csrf!;
  const res = await t.app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: `lcs_login_csrf=${loginCsrf}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: loginCsrf, email, password: TEST_PASSWORD, next: '/app' }).toString(),
  });
  expect(res.statusCode).toBe(303);
  const session = cookiesOf(res).lcs_session!;
  const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `lcs_session=${session}` } });
  return { cookie: `lcs_session=${session}`, csrf: me.json().csrfToken as string };
}

async function openRound(modules = ['culture_scan']) {
  const s = await login(t.app, tenant.hr.email, TEST_PASSWORD);
  const round = await t.app.inject({
    method: 'POST',
    url: `/api/v1/organisations/${tenant.organisationId}/rounds`,
    headers: staffHeaders(s),
    payload: { name: 'Webronde', modules, languages: ['nl', 'en'], departments: ['Zorg', 'Techniek'], anonymityThreshold: 5 },
  });
  const roundId = round.json().id as string;
  await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/open`, headers: staffHeaders(s) });
  // A round that sends its own links (mail merge), so the upload answers with them.
  await t.app.inject({ method: 'PUT', url: `/api/v1/rounds/${roundId}/invitations/settings`, headers: staffHeaders(s), payload: { selfSendLinks: true } });
  const inv = await t.app.inject({
    method: 'POST',
    url: `/api/v1/rounds/${roundId}/invitations/personal`,
    headers: { ...staffHeaders(s), 'content-type': 'text/csv', accept: 'application/json' },
    payload: 'a@example.nl\nb@example.nl\n',
  });
  const shared = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/invitations/shared`, headers: staffHeaders(s), payload: { form: 'employee', maxResponses: 1 } });
  return { roundId, tokens: (inv.json().invitations as Array<{ token: string }>).map((i) => i.token), shared: shared.json().token as string, session: s };
}

describe('security headers', () => {
  it('pages get a strict CSP without unsafe-inline scripts, frame-ancestors none and no referrer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'( 'nonce-[0-9a-f]+')?;/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // The one style block carries the nonce of this response.
    const nonce = /style-src 'self' 'nonce-([0-9a-f]+)'/.exec(csp)![1];
    expect(res.body).toContain(`<style nonce="${nonce}">`);
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/);
  });

  it("keeps the pages' policy off the JSON API (only frame-ancestors, issue 12) and leaves the docs UI's own policy alone", async () => {
    const api = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(api.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    const docs = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
    expect(String(docs.headers['content-security-policy'] ?? '')).not.toContain("frame-ancestors 'none'");
  });

  it('serves the stylesheet, the client script and Chart.js as static assets', async () => {
    for (const url of ['/assets/app.css', '/assets/app.js', '/assets/vendor/chart.umd.min.js', '/assets/favicon.svg']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
    }
  });
});

describe('sign-in', () => {
  it('shows no demo logins on a database without demo data', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.body).not.toContain('demo-wachtwoord');
  });

  it('refuses a sign-in post without the form token (login CSRF) and signs in with it', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: tenant.hr.email, password: TEST_PASSWORD }).toString(),
    });
    expect(refused.statusCode).toBe(403);
    expect(cookiesOf(refused).lcs_session).toBeUndefined();
    const s = await signedIn(tenant.hr.email);
    expect(s.cookie).toMatch(/^lcs_session=.+/);
  });

  it('shows a wrong password as a message, not as an API error', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/' });
    const c = cookiesOf(page).lcs_login_csrf!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: `lcs_login_csrf=${c}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: c, email: tenant.hr.email, password: 'wrong-password-123' }).toString(),
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Onbekend e-mailadres of onjuist wachtwoord.');
  });

  it('never redirects to another site after sign-in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/?next=//evil.example/x' });
    expect(res.body).toContain('name="next" value="/app"');
  });
});

describe('staff pages', () => {
  it('send a visitor without a session to the sign-in page', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/app/organisations/${tenant.organisationId}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/?next=${encodeURIComponent(`/app/organisations/${tenant.organisationId}`)}`);
  });

  it('escape what users typed (an organisation name with markup)', async () => {
    const s = await signedIn(tenant.hr.email);
    const res = await t.app.inject({ method: 'GET', url: `/app/organisations/${tenant.organisationId}`, headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Zorg &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(res.body).not.toContain('<script>alert(1)');
  });

  it('reject a form post without the session CSRF token and change nothing', async () => {
    const s = await signedIn(tenant.hr.email);
    const before = await t.db.selectFrom('rounds').select('id').execute();
    const res = await t.app.inject({
      method: 'POST',
      url: `/app/organisations/${tenant.organisationId}/rounds`,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: 'Sneaky', modules: 'culture_scan', languages: 'nl', anonymityThreshold: '5' }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(await t.db.selectFrom('rounds').select('id').execute()).toHaveLength(before.length);
  });

  it('create a round from the form through the API, and show field errors from the API', async () => {
    const s = await signedIn(tenant.hr.email);
    const form = (fields: Record<string, string | string[]>) => {
      const p = new URLSearchParams({ _csrf: s.csrf });
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
      return p.toString();
    };
    const bad = await t.app.inject({
      method: 'POST',
      url: `/app/organisations/${tenant.organisationId}/rounds`,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ name: 'Te lage drempel', modules: 'culture_scan', languages: 'nl', anonymityThreshold: '3' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('aria-invalid="true"');
    const ok = await t.app.inject({
      method: 'POST',
      url: `/app/organisations/${tenant.organisationId}/rounds`,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ name: 'Najaar', modules: ['culture_scan', 'sme_checklist'], languages: ['nl', 'en'], departments: 'Zorg\r\nTechniek', anonymityThreshold: '6', closesAt: '2099-12-31' }),
    });
    expect(ok.statusCode).toBe(303);
    const id = ok.headers.location!.split('/')[3]!.split('?')[0]!;
    const round = await t.db.selectFrom('rounds').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(round).toMatchObject({ name: 'Najaar', departments: ['Zorg', 'Techniek'], anonymity_threshold: 6, languages: ['nl', 'en'] });
    // The last day of the round ends at midnight in Amsterdam (UTC+1 in winter).
    expect(round.closes_at!.toISOString()).toBe('2099-12-31T22:59:59.000Z');
  });

  it('answer another tenant\'s round with the not-found page', async () => {
    const other = await createTenant(t.db);
    const s = await login(t.app, other.hr.email, TEST_PASSWORD);
    const round = await t.app.inject({ method: 'POST', url: `/api/v1/organisations/${other.organisationId}/rounds`, headers: staffHeaders(s), payload: { name: 'Van een ander' } });
    const mine = await signedIn(tenant.hr.email);
    const res = await t.app.inject({ method: 'GET', url: `/app/rounds/${round.json().id}`, headers: { cookie: mine.cookie } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Niet gevonden');
    expect(res.body).not.toContain('Van een ander');
  });
});

function multipart(fields: Record<string, string | { filename: string; type: string; data: Buffer }>) {
  const boundary = 'lcsBoundary7d1e';
  const parts: Buffer[] = [];
  for (const [name, v] of Object.entries(fields)) {
    if (typeof v === 'string') parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
    else parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${v.filename}"\r\nContent-Type: ${v.type}\r\n\r\n`), v.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('consultancy settings and modules', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

  it('uploads a logo and an accent colour; the workspace then wears them', async () => {
    const s = await signedIn(tenant.consultant.email);
    const form = multipart({ _csrf: s.csrf, name: 'Adviesbureau Noord', accentColor: '#7a1f5f', logo: { filename: 'logo.png', type: 'image/png', data: PNG } });
    const res = await t.app.inject({ method: 'POST', url: '/app/branding', headers: { cookie: s.cookie, 'content-type': form.contentType }, payload: form.payload });
    expect(res.statusCode).toBe(303);
    const row = await t.db.selectFrom('consultancies').select(['name', 'accent_color', 'logo_mime']).where('id', '=', tenant.consultancyId).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'Adviesbureau Noord', accent_color: '#7a1f5f', logo_mime: 'image/png' });
    // HR of the client organisation sees the consultancy's colour and logo too.
    const hr = await signedIn(tenant.hr.email);
    const page = await t.app.inject({ method: 'GET', url: `/app/organisations/${tenant.organisationId}`, headers: { cookie: hr.cookie } });
    expect(page.body).toContain('--accent:#7a1f5f');
    expect(page.body).toContain('src="/app/branding/logo"');
    const logo = await t.app.inject({ method: 'GET', url: '/app/branding/logo', headers: { cookie: hr.cookie } });
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.rawPayload.equals(PNG)).toBe(true);
    // HR cannot change the branding: the page does not exist for them.
    const hrPost = await t.app.inject({ method: 'GET', url: '/app/branding', headers: { cookie: hr.cookie } });
    expect(hrPost.statusCode).toBe(404);
  });

  it('uploads a benchmark set, and shows rejected rows with their line numbers without storing anything', async () => {
    const s = await signedIn(tenant.consultant.email);
    const bad = multipart({ _csrf: s.csrf, name: 'Sector zorg', csv: { filename: 'b.csv', type: 'text/csv', data: Buffer.from('target_kind,target_id,metric,value,n,source,year\nscale,self_direction,mean,3.4,120,Eigen onderzoek,2025\nscale,nonsense,mean,9,1,x,2025\n') } });
    const rejected = await t.app.inject({ method: 'POST', url: '/app/benchmarks', headers: { cookie: s.cookie, 'content-type': bad.contentType }, payload: bad.payload });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.body).toContain('line 3');
    expect(await t.db.selectFrom('benchmark_sets').select('id').where('consultancy_id', '=', tenant.consultancyId).execute()).toHaveLength(0);
    const good = multipart({ _csrf: s.csrf, name: 'Sector zorg', csv: { filename: 'b.csv', type: 'text/csv', data: Buffer.from('target_kind,target_id,metric,value,n,source,year\nscale,self_direction,mean,3.4,120,Eigen onderzoek,2025\n') } });
    const ok = await t.app.inject({ method: 'POST', url: '/app/benchmarks', headers: { cookie: s.cookie, 'content-type': good.contentType }, payload: good.payload });
    expect(ok.statusCode).toBe(303);
    const list = await t.app.inject({ method: 'GET', url: '/app/benchmarks', headers: { cookie: s.cookie } });
    expect(list.body).toContain('Sector zorg');
  });

  it('saves the SME checklist from its form and shows the SME shares', async () => {
    const { roundId } = await openRound(['culture_scan', 'sme_checklist']);
    const s = await signedIn(tenant.hr.email);
    const page = await t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}/checklist`, headers: { cookie: s.cookie } });
    expect(page.body).toContain('23,7%');
    const res = await t.app.inject({
      method: 'POST',
      url: `/app/rounds/${roundId}/checklist`,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: s.csrf, 'c.training_plan': 'yes', 'c.ld_vision': 'dont_know' }).toString(),
    });
    expect(res.headers.location).toBe(`/app/rounds/${roundId}/checklist?saved=1`);
    const rows = await t.db.selectFrom('checklist_answers').select(['practice_id', 'answer']).where('round_id', '=', roundId).orderBy('practice_id').execute();
    expect(rows).toEqual([
      { practice_id: 'ld_vision', answer: 'dont_know' },
      { practice_id: 'training_plan', answer: 'yes' },
    ]);
  });

  it('switches to English with ?lang=en and remembers it', async () => {
    const s = await signedIn(tenant.hr.email);
    const en = await t.app.inject({ method: 'GET', url: `/app/organisations/${tenant.organisationId}?lang=en`, headers: { cookie: s.cookie } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Scan rounds');
    const lang = cookiesOf(en).lcs_lang;
    expect(lang).toBe('en');
    const again = await t.app.inject({ method: 'GET', url: `/app/organisations/${tenant.organisationId}`, headers: { cookie: `${s.cookie}; lcs_lang=en` } });
    expect(again.body).toContain('Scan rounds');
  });
});

describe('questionnaire', () => {
  it('exchanges the link token for an HttpOnly cookie scoped to /survey and redirects to a clean URL', async () => {
    const { tokens } = await openRound();
    const res = await t.app.inject({ method: 'GET', url: `/s/${tokens[0]}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/survey');
    expect(res.headers['cache-control']).toBe('no-store');
    const raw = ([res.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith('lcs_survey='))!;
    expect(raw).toContain(`lcs_survey=${tokens[0]}`);
    expect(raw).toMatch(/Path=\/survey/);
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Lax/);
    const page = await t.app.inject({ method: 'GET', url: '/survey', headers: { cookie: `lcs_survey=${tokens[0]}` } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(tokens[0]);
  });

  it('opening a shared link starts nothing; the first post starts a response of its own, which the same browser continues', async () => {
    const { shared } = await openRound();
    const uses = async () => Number((await t.db.selectFrom('invitations').select('uses').where('token_hash', '=', sha256Hex(shared)).executeTakeFirstOrThrow()).uses);
    // A link scanner (or a person only looking) GETs the link and the intro: no place of the cap (1) is used.
    const scan = await t.app.inject({ method: 'GET', url: `/s/${shared}` });
    expect(scan.statusCode).toBe(303);
    expect(cookiesOf(scan).lcs_survey).toBe(shared);
    const intro = await t.app.inject({ method: 'GET', url: '/survey', headers: { cookie: `lcs_survey=${shared}` } });
    expect(intro.statusCode).toBe(200);
    expect(await uses()).toBe(0);
    // The respondent starts (the intro's post): now the response exists, with a token of its own.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(intro.body)![1]!;
    const start = await t.app.inject({
      method: 'POST',
      url: '/survey/intro',
      headers: { cookie: `lcs_survey=${shared}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, language: 'nl', nav: 'next' }).toString(),
    });
    expect(start.statusCode).toBe(303);
    const mine = cookiesOf(start).lcs_survey!;
    expect(mine).toBeTruthy();
    expect(mine).not.toBe(shared);
    expect(await uses()).toBe(1);
    // Opening the link again from the same browser continues that response: no second start.
    const again = await t.app.inject({ method: 'GET', url: `/s/${shared}`, headers: { cookie: `lcs_survey=${mine}` } });
    expect(again.statusCode).toBe(303);
    expect(cookiesOf(again).lcs_survey).toBe(mine);
    expect(await uses()).toBe(1);
    // Another browser may look, but meets the cap when it starts.
    const other = await t.app.inject({ method: 'GET', url: `/s/${shared}` });
    expect(other.statusCode).toBe(303);
    const otherIntro = await t.app.inject({ method: 'GET', url: '/survey', headers: { cookie: `lcs_survey=${shared}` } });
    const otherCsrf = /name="_csrf" value="([^"]+)"/.exec(otherIntro.body)![1]!;
    const full = await t.app.inject({
      method: 'POST',
      url: '/survey/intro',
      headers: { cookie: `lcs_survey=${shared}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: otherCsrf, language: 'nl', nav: 'next' }).toString(),
    });
    expect(full.statusCode).toBe(410);
    expect(full.body).toContain('Het maximum aantal deelnemers is bereikt');
  });

  it('works without JavaScript: each page posts, saves through the API, and redirects to the next', async () => {
    const { roundId, tokens } = await openRound();
    const cookie = `lcs_survey=${tokens[1]}`;
    const intro = await t.app.inject({ method: 'GET', url: '/survey', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(intro.body)![1]!;
    const post = (step: string, fields: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: `/survey/${step}`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });

    const started = await post('intro', { language: 'en', nav: 'next' });
    expect(started.headers.location).toBe('/survey/self_direction');
    const page = await t.app.inject({ method: 'GET', url: '/survey/self_direction', headers: { cookie: `${cookie}; lcs_lang=en` } });
    expect(page.body).toContain('<html lang="en">');
    // Radio groups are fieldsets with a legend, every option a label.
    expect(page.body).toMatch(/<fieldset class="question" id="q-sd1">\s*<legend>/);
    expect(page.body).toContain('<progress');

    const saved = await post('self_direction', { 'a.sd1': '4', 'a.sd2': 'dk', nav: 'next' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/survey/work_content');
    const rows = await t.db
      .selectFrom('answers')
      .innerJoin('responses', 'responses.id', 'answers.response_id')
      .select(['item_id', 'value', 'responses.language'])
      .where('responses.round_id', '=', roundId)
      .orderBy('item_id')
      .execute();
    expect(rows).toEqual([
      { item_id: 'sd1', value: 4, language: 'en' },
      { item_id: 'sd2', value: null, language: 'en' },
    ]);
    // Coming back resumes on the first page with an unanswered statement.
    const resume = await t.app.inject({ method: 'GET', url: '/survey', headers: { cookie } });
    expect(resume.headers.location).toBe('/survey/self_direction');
  });

  it('rejects a post without the survey CSRF token and saves nothing', async () => {
    const { roundId, tokens } = await openRound();
    const res = await t.app.inject({
      method: 'POST',
      url: '/survey/self_direction',
      headers: { cookie: `lcs_survey=${tokens[0]}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: 'a.sd1=5&nav=stay',
    });
    expect(res.statusCode).toBe(403);
    const n = await t.db.selectFrom('responses').select('id').where('round_id', '=', roundId).execute();
    expect(n).toHaveLength(0);
  });

  it('autosave (the client script posts with Accept: application/json) answers JSON', async () => {
    const { tokens } = await openRound();
    const cookie = `lcs_survey=${tokens[0]}`;
    const intro = await t.app.inject({ method: 'GET', url: '/survey', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(intro.body)![1]!;
    const ok = await t.app.inject({
      method: 'POST',
      url: '/survey/work_content',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-csrf-token': csrf },
      payload: 'a.wc1=3&nav=stay',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ saved: true });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/survey/work_content',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-csrf-token': csrf },
      payload: 'a.wc1=9&nav=stay',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.answers.wc1');
  });

  it('HR withdraws a shared link from the round page; the link then shows the not-working page', async () => {
    const { roundId, shared } = await openRound();
    const inv = await t.db.selectFrom('invitations').select('id').where('round_id', '=', roundId).where('kind', '=', 'shared').executeTakeFirstOrThrow();
    const s = await signedIn(tenant.hr.email);
    const page = await t.app.inject({ method: 'GET', url: `/app/rounds/${roundId}`, headers: { cookie: s.cookie } });
    expect(page.body).toContain(`/app/rounds/${roundId}/invitations/${inv.id}/revoke`);
    const res = await t.app.inject({
      method: 'POST',
      url: `/app/rounds/${roundId}/invitations/${inv.id}/revoke`,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(s.csrf)}`,
    });
    expect(res.statusCode).toBe(303);
    const link = await t.app.inject({ method: 'GET', url: `/s/${shared}` });
    expect(link.statusCode).toBe(410);
    expect(link.body).toContain('Deze link werkt niet');
  });

  it('shows a clear page for a closed round and for an unknown link', async () => {
    const { roundId, tokens, session } = await openRound();
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/close`, headers: staffHeaders(session) });
    const closed = await t.app.inject({ method: 'GET', url: `/s/${tokens[0]}` });
    expect(closed.statusCode).toBe(410);
    expect(closed.body).toContain('Deze vragenlijst is gesloten');
    const unknown = await t.app.inject({ method: 'GET', url: `/s/${'x'.repeat(43)}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Deze link werkt niet');
    const noCookie = await t.app.inject({ method: 'GET', url: '/survey' });
    expect(noCookie.statusCode).toBe(401);
    expect(noCookie.body).toContain('cookies');
  });
});
