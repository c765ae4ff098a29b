// Issue 17 end to end: roles per form, tenure and contract hours, and the optional modules asked,
// validated, stored and shown back; then the extra result sections of a closed round under the
// disclosure rules (roles, who learns less, motivation, learning mix, open answers from 10 only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../server/lib/crypto.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { SURVEY_SESSION_HEADER, surveySessionProof } from '../../server/rounds/survey-session.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import { completeAnswers, createOpenRound, personalLinks, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';
import { pdfText, squash } from '../fixtures/pdf.js';

let t: TestApp;
let a: TenantWithSessions;
beforeAll(async () => {
  t = await setupTestApp();
  a = await tenantWithSessions(t.db);
});
afterAll(async () => t?.close());

const MODULES = ['motivation', 'learning_mix', 'open_questions'];
const getOwn = (token: string) => t.app.inject({ method: 'GET', url: `/api/v1/survey/${token}`, headers: { [SURVEY_SESSION_HEADER]: surveySessionProof(token) } });
const put = (token: string, payload: object) => t.app.inject({ method: 'PUT', url: `/api/v1/survey/${token}/answers`, payload });

async function token(roundId: string, form = 'employee') {
  const email = `r${Math.random().toString(36).slice(2)}@example.nl`;
  return (await personalLinks(t.app, a.as.hr, roundId, `${email},\n`, form)).get(email)!;
}

describe(`optional modules and background (${driverName})`, () => {
  it('asks the chosen modules on the employee form only, with the form\'s roles and the new background questions', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { surveyModules: MODULES });
    expect(round.surveyModules).toEqual(MODULES);
    const emp = (await getOwn(await token(round.id))).json();
    const kinds = emp.pages.filter((p: { kind: string }) => p.kind === 'module').map((p: { id: string }) => p.id);
    expect(kinds).toEqual(MODULES);
    const bg = emp.pages.find((p: { kind: string }) => p.kind === 'background');
    expect(bg.questions.map((q: { id: string }) => q.id)).toEqual(['role', 'education', 'contract', 'age_band', 'tenure', 'contract_hours']);
    expect(bg.questions[0].options.map((o: { value: string }) => o.value)).toEqual(['employee', 'manager']);
    const mgmt = (await getOwn(await token(round.id, 'management'))).json();
    expect(mgmt.pages.some((p: { kind: string }) => p.kind === 'module')).toBe(false);
    const mbg = mgmt.pages.find((p: { kind: string }) => p.kind === 'background');
    expect(mbg.questions[0].options.map((o: { value: string }) => o.value)).toEqual(['hr', 'line_manager', 'director']);
  });

  it('stores and shows back module answers, tenure and contract hours; the management role per form', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { surveyModules: MODULES });
    const tok = await token(round.id);
    const res = await put(tok, {
      background: { tenure: 'over_10', contract_hours: 'under_16' },
      modules: { motivation: { mo_aut1: 4, mo_mst1: null }, learning: 'colleagues', open: { helps: '  Samen leren met collega\u2019s  ' } },
    });
    expect(res.statusCode).toBe(200);
    const saved = (await getOwn(tok)).json().saved;
    expect(saved.background).toMatchObject({ tenure: 'over_10', contract_hours: 'under_16' });
    expect(saved.modules).toEqual({ motivation: { mo_aut1: 4, mo_mst1: null }, learning: 'colleagues', open: { helps: 'Samen leren met collega\u2019s' } });
    // Clearing
    expect((await put(tok, { modules: { learning: null, open: { helps: null } } })).statusCode).toBe(200);
    expect((await getOwn(tok)).json().saved.modules).toMatchObject({ learning: null, open: {} });

    const m = await token(round.id, 'management');
    expect((await put(m, { background: { role: 'director' } })).statusCode).toBe(200);
    const resp = await t.db.selectFrom('responses').select('role').where('access_hash', '=', sha256Hex(`response:${m}`)).executeTakeFirstOrThrow();
    expect(resp.role).toBe('director');
    const wrong = await put(m, { background: { role: 'employee' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('body.background.role');
    const emp = await put(tok, { background: { role: 'hr' } });
    expect(emp.json().errors[0].path).toBe('body.background.role');
  });

  it.each([
    ['markup', { modules: { open: { helps: '<b>meer tijd</b>' } } }, 'body.modules.open.helps', /markup/i],
    ['whitespace only', { modules: { open: { change: ' \n\t ' } } }, 'body.modules.open.change', /whitespace/i],
    ['2001 characters', { modules: { open: { change: 'x'.repeat(2001) } } }, 'body.modules.open.change', /2000/],
    ['an unknown item', { modules: { motivation: { mo_xyz: 3 } } }, 'body.modules.motivation.mo_xyz', /unknown/i],
    ['a value out of range', { modules: { motivation: { mo_aut1: 6 } } }, 'body.modules.motivation.mo_aut1', /5/],
  ])('rejects %s naming the field, and stores nothing', async (_what, payload, path, message) => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { surveyModules: MODULES });
    const tok = await token(round.id);
    const res = await put(tok, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path });
    expect(res.json().errors[0].message).toMatch(message);
    expect(await t.db.selectFrom('open_answers').selectAll().execute().then((r) => r.filter((x) => x.body.includes('meer tijd')))).toEqual([]);
  });

  it('answers 413 problem+json for a 100 kB answer, and refuses modules the round does not ask', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { surveyModules: ['motivation'] });
    const tok = await token(round.id);
    const big = await put(tok, { modules: { open: { helps: 'x'.repeat(100 * 1024) } } });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/problem\+json/);
    const res = await put(tok, { modules: { learning: 'doing' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('body.modules.learning');
  });
});

describe(`extra result sections (${driverName})`, () => {
  it('shows roles, who learns less and the modules under the disclosure rules; open answers only from 10', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { surveyModules: MODULES, departments: ['Zorg', 'ICT'] });
    const insert = (input: Parameters<typeof insertSubmittedResponse>[2]) => t.db.transaction().execute((tx) => insertSubmittedResponse(tx, round.id, input));
    // 14 employees in Zorg (open answers from all 14), 6 in ICT (open answers from 6: below 10).
    for (let i = 0; i < 20; i++) {
      const zorg = i < 14;
      await insert({
        form: 'employee',
        answers: completeAnswers(i),
        background: { department: zorg ? 'Zorg' : 'ICT', education: i % 2 === 0 ? 'mbo' : 'hbo_wo', tenure: i < 7 ? 'over_10' : '2_5' },
        modules: {
          motivation: { mo_aut1: 1 + (i % 5), mo_aut2: 3, mo_int1: 4, mo_mst1: 2 },
          learning: i % 4 === 0 ? 'courses' : 'doing',
          open: { helps: `${zorg ? 'Zorg' : 'ICT'} antwoord ${i}: meer tijd` },
        },
      });
    }
    // Management: 5 line managers, 2 directors (under k), no HR.
    for (let i = 0; i < 7; i++) await insert({ form: 'management', answers: completeAnswers(i), background: { role: i < 5 ? 'line_manager' : 'director' } });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/results/extras`, headers: a.as.hr })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/close`, headers: a.as.hr })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/results/extras`, headers: a.as.hr });
    expect(res.statusCode).toBe(200);
    const x = res.json();

    // Roles: directors (2) are under k, and then line managers (5) too: all managers minus line managers would give the directors.
    const roles = Object.fromEntries(x.roles.groups.map((g: { key: string }) => [g.key, g]));
    expect(roles.director.hidden).toBe(true);
    expect(roles.line_manager.hidden).toBe(true);
    expect(roles.director.mechanisms).toEqual([]);

    // Who learns less: practically trained (10 mbo) against the rest (10); long tenure 7 against 13.
    const ll = Object.fromEntries(x.learnsLess.groups.map((g: { id: string }) => [g.id, g]));
    expect(ll.practically_trained).toMatchObject({ hidden: false, group: { n: 10 }, rest: { n: 10 } });
    expect(ll.practically_trained.group.mechanisms.every((m: { mean: number | null }) => m.mean !== null)).toBe(true);
    expect(ll.long_tenure).toMatchObject({ hidden: false, group: { n: 7 }, rest: { n: 13 } });
    expect(ll.practically_trained.advice.length).toBeGreaterThan(0);
    // Nobody stated a flexible contract: 0 in the group, so no comparison.
    expect(ll.flexible_contract.hidden).toBe(true);

    // Motivation: all employees, autonomy = mean over i of (1 + i%5 + 3)/2.
    const all = x.motivation.groups.find((g: { group: string }) => g.group === 'all');
    const expected = Array.from({ length: 20 }, (_, i) => (1 + (i % 5) + 3) / 2).reduce((s, v) => s + v, 0) / 20;
    expect(all.profile.facets.find((f: { facet: string }) => f.facet === 'autonomy').mean).toBeCloseTo(expected, 2);
    expect(all.profile.wantOverMust).toEqual({ n: 20, percent: 100 });

    // Learning mix: 5 of 20 chose courses.
    const mixAll = x.learningMix.groups.find((g: { group: string }) => g.group === 'all').mix;
    expect(mixAll.ways.find((w: { way: string }) => w.way === 'courses')).toEqual({ way: 'courses', count: 5, percent: 25 });
    expect(x.learningMix.model).toEqual({ experience: 70, others: 20, formal: 10 });

    // Open answers: all (20) shown; ICT (6) hidden, and then Zorg too (all minus Zorg would give ICT's answers).
    const open = Object.fromEntries(x.open.groups.map((g: { group: string }) => [g.group, g]));
    expect(x.open.minimum).toBe(10);
    expect(open.all.prompts[0].n).toBe(20);
    expect(open.all.prompts[0].answers).toEqual([...open.all.prompts[0].answers].sort());
    expect(open.all.prompts[0].themes.find((th: { id: string }) => th.id === 'time').count).toBe(20);
    expect(open['department:ICT'].hidden).toBe(true);
    expect(open['department:ICT'].prompts).toBeNull();
    expect(open['department:Zorg'].hidden).toBe(true);
    // Nothing identifies a respondent.
    expect(JSON.stringify(x)).not.toMatch(/response_?id|"published"/i);

    // Stored with the release: the same answer again.
    const again = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/results/extras`, headers: a.as.hr });
    expect(again.json()).toEqual(x);

    // The dashboard page and the client report show the same sections, and no hidden group's figures.
    const page = await t.app.inject({ method: 'GET', url: `/app/rounds/${round.id}/results/extras`, headers: a.as.hr });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Wie leert er minder?');
    expect(page.body).toContain('Praktisch opgeleid');
    expect(page.body).toContain('Zorg antwoord 3: meer tijd');
    expect(page.body).toContain('geen norm');
    const results = await t.app.inject({ method: 'GET', url: `/app/rounds/${round.id}/results`, headers: a.as.hr });
    expect(results.body).toContain(`/app/rounds/${round.id}/results/extras`);
    const pdf = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/reports/client.pdf`, headers: a.as.hr });
    expect(pdf.statusCode).toBe(200);
    const text = squash(pdfText(pdf.rawPayload));
    for (const s of ['Perspectieven per rol', 'Wie leert er minder?', 'Motivatie om te leren', 'Hoe mensen leren', 'In eigen woorden', '70-20-10']) expect(text).toContain(squash(s));
  }, 120_000);
});
