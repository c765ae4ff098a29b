// The questionnaire does not steer: respondent pages carry plain topic titles and no construct names
// or descriptions, on both forms and both culture-scan versions; the employees' dialogue-model page
// asks two plain questions per moment instead of coordinates. Also a full culture-scan@2 response
// through the respondent API. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CULTURE_SCAN_V1 } from '../../scans/instruments/culture-scan-v1.js';
import { CULTURE_SCAN_V2 } from '../../scans/instruments/culture-scan-v2.js';
import { RESPONDENT_PAGE_TITLES } from '../../scans/instruments/respondent-pages.js';
import { sha256Hex } from '../../server/lib/crypto.js';
import { plainOptionFor } from '../../server/web/views/survey.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import { completeAnswers, createOpenRound, personalLinks, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

let t: TestApp;
let a: TenantWithSessions;

beforeAll(async () => {
  t = await setupTestApp();
  a = await tenantWithSessions(t.db);
});
afterAll(async () => t?.close());

async function token(roundId: string, form = 'employee') {
  const email = `r${Math.random().toString(36).slice(2)}@example.nl`;
  return (await personalLinks(t.app, a.as.hr, roundId, `${email},\n`, form)).get(email)!;
}

/** A browser session on the questionnaire: the cookie, the CSRF token, and a form post. */
async function browser(tok: string) {
  const cookie = `lcs_survey=${tok}`;
  const intro = await t.app.inject({ method: 'GET', url: '/survey', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(intro.body)![1]!;
  return {
    get: (path: string, lang = 'nl') => t.app.inject({ method: 'GET', url: path, headers: { cookie: `${cookie}; lcs_lang=${lang}` } }),
    post: (step: string, fields: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: `/survey/${step}`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString() }),
  };
}

const placementsOf = async (tok: string) => {
  const resp = await t.db.selectFrom('responses').select('id').where('access_hash', '=', sha256Hex(`response:${tok}`)).executeTakeFirstOrThrow();
  return t.db.selectFrom('placements').select(['frame', 'x', 'y']).where('response_id', '=', resp.id).orderBy('frame').execute();
};

describe(`respondent pages do not steer (${driverName})`, () => {
  for (const instrument of [CULTURE_SCAN_V1, CULTURE_SCAN_V2]) {
    for (const form of ['employee', 'management'] as const) {
      it(`${instrument.id}, ${form} form: plain titles, no mechanism name or description (API and HTML)`, async () => {
        const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { instrumentId: instrument.id, languages: ['nl', 'en'] });
        const tok = await token(round.id, form);
        for (const lang of ['nl', 'en'] as const) {
          const q = (await t.app.inject({ method: 'GET', url: `/api/v1/survey/${tok}?lang=${lang}` })).json();
          const pages = q.pages.filter((p: { kind: string }) => p.kind === 'mechanism');
          expect(pages.map((p: { title: string }) => p.title)).toEqual(instrument.scales.map((s) => RESPONDENT_PAGE_TITLES[form][s.mechanism][lang]));
          expect(pages.every((p: { description: string }) => p.description === '')).toBe(true);
        }
        const b = await browser(tok);
        await b.post('intro', { language: 'nl', nav: 'next' });
        for (const scale of instrument.scales) {
          const page = await b.get(`/survey/${scale.mechanism}`);
          expect(page.statusCode).toBe(200);
          expect(page.body).toContain(RESPONDENT_PAGE_TITLES[form][scale.mechanism].nl.replace("'", '&#39;'));
          expect(page.body, scale.mechanism).not.toContain(scale.name.nl);
          expect(page.body).not.toContain(scale.description.nl.slice(0, 40));
        }
        expect((await b.get('/survey/organisation')).body).not.toContain('mkb-checklist');
      });
    }
  }

  it('employee titles follow the issue: "Over uw werk", "Over uw leidinggevende"', () => {
    expect(RESPONDENT_PAGE_TITLES.employee.work_content.nl).toBe('Over uw werk');
    expect(RESPONDENT_PAGE_TITLES.employee.leadership.nl).toBe('Over uw leidinggevende');
  });
});

describe(`the employees' dialogue-model page (${driverName})`, () => {
  async function placementRound() {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { modules: ['culture_scan', 'dialogue_model'], employeePlacements: true, languages: ['nl', 'en'] });
    const tok = await token(round.id);
    const b = await browser(tok);
    await b.post('intro', { language: 'nl', nav: 'next' });
    return { tok, b };
  }

  it('is in plain words: four ways in a sentence each, two questions per moment, no coordinates or number fields', async () => {
    const { b } = await placementRound();
    for (const lang of ['nl', 'en']) {
      const page = await b.get('/survey/placements', lang);
      expect(page.statusCode).toBe(200);
      const body = page.body;
      expect(body).not.toMatch(/type="number"/);
      expect(body).not.toMatch(/[−-]100|\b100\b = /);
      expect(body).not.toMatch(/Houding|Stance:|Focus:/);
      const ways = /<section class="plain-quadrants"[^]*?<\/section>/.exec(body)![0];
      expect(ways.match(/<li>/g)).toHaveLength(4);
      // Two questions (what learning is aimed at, when it gets going) for each of the two moments.
      expect(body.match(/<fieldset class="question question-compact" id="q-(current|desired)-[xy]">/g)).toHaveLength(4);
    }
    const nl = (await b.get('/survey/placements')).body;
    expect(nl).toContain('Hoe gaat uw organisatie om met leren?');
    expect(nl).toContain('Wanneer komt leren vooral op gang?');
    // Reacting is listed before looking ahead, as the picture draws reactive at the top.
    expect(nl.indexOf('Als er een probleem is dat meteen')).toBeLessThan(nl.indexOf('Vooraf, vanuit kansen'));
  });

  it('stores the chosen answers as a point, waits for the second answer, and clears on "don\'t know"', async () => {
    const { tok, b } = await placementRound();
    // Only the first question of "now" answered: nothing is stored yet (not a point at y = 0).
    await b.post('placements', { 'p.current.x': '-75', nav: 'stay' });
    expect(await placementsOf(tok)).toEqual([]);
    await b.post('placements', { 'p.current.x': '-75', 'p.current.y': '-25', 'p.desired.x': '25', 'p.desired.y': '75', nav: 'stay' });
    expect(await placementsOf(tok)).toEqual([
      { frame: 'current', x: -75, y: -25 },
      { frame: 'desired', x: 25, y: 75 },
    ]);
    // The saved answers come back checked.
    const page = (await b.get('/survey/placements')).body;
    expect(page).toMatch(/name="p\.current\.x" value="-75" checked/);
    expect(page).toMatch(/name="p\.desired\.y" value="75" checked/);
    await b.post('placements', { 'p.desired.x': '', 'p.desired.y': '75', nav: 'stay' });
    expect((await placementsOf(tok)).map((p) => p.frame)).toEqual(['current']);
  });

  it('shows a saved point that is not on the answer grid under the nearest answer on its side', () => {
    const options = [{ value: -75 }, { value: -25 }, { value: 25 }, { value: 75 }];
    expect(plainOptionFor(options, 0)).toBe(25);
    expect(plainOptionFor(options, -1)).toBe(-25);
    expect(plainOptionFor(options, -60)).toBe(-75);
    expect(plainOptionFor(options, 100)).toBe(75);
    expect(plainOptionFor(options, null)).toBeNull();
  });
});

describe(`a culture-scan@2 response (${driverName})`, () => {
  it('accepts all 45 items, rejects a v1-only item, and submits', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { instrumentId: 'culture-scan@2' });
    const tok = await token(round.id);
    const bad = await t.app.inject({ method: 'PUT', url: `/api/v1/survey/${tok}/answers`, payload: { answers: { rs5: 3 } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.answers.rs5');
    const answers = completeAnswers(0, 'culture-scan@2');
    expect(Object.keys(answers)).toHaveLength(45);
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/survey/${tok}/answers`, payload: { answers } })).statusCode).toBe(200);
    const done = await t.app.inject({ method: 'POST', url: `/api/v1/survey/${tok}/submit`, headers: { 'idempotency-key': 'v2-submit-0001' }, payload: {} });
    expect(done.statusCode, done.body).toBe(200);
  });
});
