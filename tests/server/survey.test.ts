// The respondent API: questionnaire, autosave, submit with idempotency, shared-link starts with a
// cap, validation that stores nothing of a bad request, anonymity of who answered, and concurrency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { sha256Hex } from '../../server/lib/crypto.js';
import { ROUND_WRITE_LOCK_CLASS, roundLockKey } from '../../server/rounds/responses.js';
import { SURVEY_SESSION_HEADER, surveySessionProof } from '../../server/rounds/survey-session.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import {
  completeAnswers,
  createOpenRound,
  createRound,
  itemIds,
  personalLinks,
  sharedLink,
  tenantWithSessions,
  type TenantWithSessions,
} from '../helpers/rounds.js';

let t: TestApp;
let a: TenantWithSessions;

beforeAll(async () => {
  t = await setupTestApp();
  a = await tenantWithSessions(t.db);
});
afterAll(async () => t?.close());

const get = (token: string, query = '') => t.app.inject({ method: 'GET', url: `/api/v1/survey/${token}${query}` });
/** As the questionnaire pages call it for the token in the respondent's own cookie. */
const getOwn = (token: string, query = '') =>
  t.app.inject({ method: 'GET', url: `/api/v1/survey/${token}${query}`, headers: { [SURVEY_SESSION_HEADER]: surveySessionProof(token) } });
const ownData = (token: string, headers: Record<string, string> = { [SURVEY_SESSION_HEADER]: surveySessionProof(token) }) =>
  t.app.inject({ method: 'GET', url: `/api/v1/survey/${token}/data`, headers });
const put = (token: string, payload: object) => t.app.inject({ method: 'PUT', url: `/api/v1/survey/${token}/answers`, payload });
const putOwn = (token: string, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/survey/${token}/answers`, payload, headers: { [SURVEY_SESSION_HEADER]: surveySessionProof(token) } });
const start = (token: string, payload: object = {}) => t.app.inject({ method: 'POST', url: `/api/v1/survey/${token}/start`, payload });
const submit = (token: string, key: string | undefined, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/v1/survey/${token}/submit`, headers: key === undefined ? {} : { 'idempotency-key': key }, payload });

async function personalToken(roundId: string, email = `r${Math.random().toString(36).slice(2)}@example.nl`, form = 'employee', department = '') {
  const links = await personalLinks(t.app, a.as.hr, roundId, `${email},${department}\n`, form);
  return links.get(email)!;
}

async function stored(token: string) {
  const resp = await t.db.selectFrom('responses').selectAll().where('access_hash', '=', sha256Hex(`response:${token}`)).executeTakeFirst();
  if (!resp) return undefined;
  const answers = await t.db.selectFrom('answers').select(['item_id', 'value']).where('response_id', '=', resp.id).orderBy('item_id').execute();
  const factors = await t.db.selectFrom('factor_answers').select(['factor_id', 'value']).where('response_id', '=', resp.id).orderBy('factor_id').execute();
  const placements = await t.db.selectFrom('placements').select(['frame', 'x', 'y', 'participant_group']).where('response_id', '=', resp.id).orderBy('frame').execute();
  return { resp, answers, factors, placements };
}

describe(`survey questionnaire (${driverName})`, () => {
  it('serves the employee form in Dutch by default, with pages per mechanism and the background questions', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg', 'ICT'], languages: ['nl', 'en'] });
    const token = await personalToken(round.id);
    const res = await get(token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const q = res.json();
    expect(q).toMatchObject({ status: 'not_started', link: 'personal', startRequired: false, form: 'employee', language: 'nl', languages: ['nl', 'en'] });
    const mechanisms = q.pages.filter((p: { kind: string }) => p.kind === 'mechanism');
    expect(mechanisms.map((p: { id: string }) => p.id)).toEqual([
      'self_direction', 'work_content', 'room_safety', 'collaborative_learning', 'leadership', 'organisation', 'external_connection',
    ]);
    expect(mechanisms.flatMap((p: { items: { id: string }[] }) => p.items.map((i) => i.id))).toEqual(itemIds());
    expect(mechanisms[0].items[0].text).toMatch(/^Ik /);
    expect(q.answerOptions.map((o: { value: number }) => o.value)).toEqual([1, 2, 3, 4, 5]);
    expect(q.dontKnow.value).toBeNull();
    const background = q.pages.find((p: { kind: string }) => p.kind === 'background');
    expect(background.questions.map((x: { id: string }) => x.id)).toEqual(['department', 'role', 'education', 'contract', 'age_band', 'tenure', 'contract_hours']);
    expect(background.questions[0].options).toEqual([{ value: 'Zorg', label: 'Zorg' }, { value: 'ICT', label: 'ICT' }]);
    expect(background.questions.every((x: { optional: boolean }) => x.optional)).toBe(true);
    expect(q.pages.some((p: { kind: string }) => p.kind === 'factors' || p.kind === 'placements')).toBe(false);
    expect(q.progress).toEqual({ answered: 0, total: itemIds().length, percent: 0 });
  });

  it('serves English on request, and falls back to the round\'s first language', async () => {
    const both = await createOpenRound(t.app, a.as.hr, a.organisationId, { languages: ['en', 'nl'] });
    const tokenBoth = await personalToken(both.id);
    expect((await get(tokenBoth)).json().language).toBe('en');
    const nl = (await get(tokenBoth, '?lang=nl')).json();
    expect(nl.language).toBe('nl');
    const dutchOnly = await createOpenRound(t.app, a.as.hr, a.organisationId, { languages: ['nl'] });
    const q = (await get(await personalToken(dutchOnly.id), '?lang=en')).json();
    expect(q.language).toBe('nl');
    expect(q.pages[0].title).toBe('Over uw eigen ontwikkeling');
    expect((await get(tokenBoth, '?lang=de')).statusCode).toBe(400);
  });

  it('uses the management wording on the management form', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { languages: ['en'] });
    const q = (await get(await personalToken(round.id, 'mt@example.nl', 'management'))).json();
    expect(q.form).toBe('management');
    expect(q.pages[0].items[0].text).toMatch(/^Our employees/);
  });

  it('adds the factors module and the placement questions when the round enables them', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, {
      modules: ['culture_scan', 'factors', 'dialogue_model'],
      employeePlacements: true,
    });
    const kinds = (await get(await personalToken(round.id))).json().pages.map((p: { kind: string }) => p.kind);
    expect(kinds.filter((k: string) => k !== 'mechanism')).toEqual(['factors', 'placements', 'background']);
    const placements = (await get(await personalToken(round.id))).json().pages.find((p: { kind: string }) => p.kind === 'placements');
    expect(placements.frames.map((f: { id: string }) => f.id)).toEqual(['current', 'desired']);
    expect(placements.axes).toHaveLength(2);
    // Management respondents place by name through the staff API, not here.
    const mgmt = (await get(await personalToken(round.id, 'mt2@example.nl', 'management'))).json();
    expect(mgmt.pages.some((p: { kind: string }) => p.kind === 'placements')).toBe(false);
  });

  it('answers 404 for unknown tokens, 409 before opening and 410 after closing', async () => {
    expect((await get('x'.repeat(43))).statusCode).toBe(404);
    expect((await get('short')).json().code).toBe('not_found');
    const draft = await createRound(t.app, a.as.hr, a.organisationId);
    const draftToken = await personalToken(draft.id);
    const res = await get(draftToken);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('round_not_open');
    const later = await createOpenRound(t.app, a.as.hr, a.organisationId, { opensAt: '2099-01-01T00:00:00Z' });
    const laterRes = await put(await personalToken(later.id), { answers: { sd1: 3 } });
    expect(laterRes.statusCode).toBe(409);
    expect(laterRes.json().code).toBe('round_not_open');
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const token = await personalToken(round.id);
    expect((await put(token, { answers: { sd1: 4 } })).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/close`, headers: a.as.hr });
    for (const res2 of [await get(token), await put(token, { answers: { sd1: 5 } }), await submit(token, 'k1', { answers: completeAnswers() })]) {
      expect(res2.statusCode).toBe(410);
      expect(res2.headers['content-type']).toContain('application/problem+json');
      expect(res2.json().code).toBe('round_closed');
    }
    expect((await stored(token))!.answers).toEqual([{ item_id: 'sd1', value: 4 }]);
  });
});

describe(`survey answering (${driverName})`, () => {
  it('autosaves partial answers, idempotently, and shows them back with progress', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg'], modules: ['culture_scan', 'factors'] });
    const token = await personalToken(round.id);
    const body = { answers: { sd1: 4, sd2: null, wc1: 2 }, background: { department: 'zorg', age_band: '35_44' }, factors: { health: 1 }, language: 'nl' };
    const first = await putOwn(token, body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'in_progress', progress: { answered: 3, total: itemIds().length, percent: 7 } });
    const second = await putOwn(token, body);
    expect(second.json()).toEqual(first.json());
    const s = (await stored(token))!;
    expect(s.answers).toEqual([
      { item_id: 'sd1', value: 4 },
      { item_id: 'sd2', value: null },
      { item_id: 'wc1', value: 2 },
    ]);
    expect(s.factors).toEqual([{ factor_id: 'health', value: 1 }]);
    expect(s.resp).toMatchObject({ status: 'in_progress', department: 'Zorg', age_band: '35_44', role: null, link_kind: 'personal', channel: 'link' });
    // Change one answer, clear the age band; the rest stays.
    await put(token, { answers: { sd1: 5 }, background: { age_band: null } });
    const q = (await getOwn(token)).json();
    expect(q.status).toBe('in_progress');
    expect(q.saved.answers).toEqual({ sd1: 5, sd2: null, wc1: 2 });
    expect(q.saved.background).toEqual({ department: 'Zorg', role: null, education: null, contract: null, age_band: null, tenure: null, contract_hours: null });
    expect(q.saved.factors).toEqual({ health: 1 });
  });

  it.each([
    [{ answers: { sd99: 3 } }, 'body.answers.sd99'],
    [{ answers: { sd1: 6 } }, 'body.answers.sd1'],
    [{ answers: { sd1: 0 } }, 'body.answers.sd1'],
    [{ answers: { sd1: '3' } }, 'body.answers.sd1'],
    [{ answers: { sd1: 2.5 } }, 'body.answers.sd1'],
    [{ background: { department: 'Marketing' } }, 'body.background.department'],
    [{ background: { role: 'ceo' } }, 'body.background.role'],
    [{ background: { shoe_size: '42' } }, 'body.background.shoe_size'],
    [{ factors: { health: 1 } }, 'body.factors'],
    [{ placements: { current: { x: 0, y: 0 } } }, 'body.placements'],
    [{ language: 'en' }, 'body.language'],
    [{ answers: { sd1: 3 }, extra: true }, 'body.extra'],
  ])('rejects %j naming %s; nothing of that request is stored and earlier answers stay', async (bad, path) => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg'] });
    const token = await personalToken(round.id);
    expect((await put(token, { answers: { sd1: 2, sd2: 3 }, background: { department: 'Zorg' } })).statusCode).toBe(200);
    const before = await stored(token);
    // The bad field travels with a valid change, which must not be stored either.
    const res = await put(token, { ...bad, answers: { sd2: 5, ...(bad as { answers?: object }).answers } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    const after = await stored(token);
    expect(after!.answers).toEqual(before!.answers);
    expect(after!.resp.department).toBe('Zorg');
    expect(after!.resp.updated_at).toEqual(before!.resp.updated_at);
  });

  it('refuses bodies far larger than a questionnaire', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const token = await personalToken(round.id);
    const huge = { answers: Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`x${i}`, 1])) };
    const res = await put(token, huge);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await stored(token)).toBeUndefined();
  });

  it('rejects a bad first request without creating a response', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const token = await personalToken(round.id);
    expect((await put(token, { answers: { sd1: 3, nope: 1 } })).statusCode).toBe(400);
    expect(await stored(token)).toBeUndefined();
    const inv = await t.db.selectFrom('invitations').select(['started_at']).where('token_hash', '=', sha256Hex(token)).executeTakeFirstOrThrow();
    expect(inv.started_at).toBeNull();
  });

  it('stores employee placements anonymously with the response, and clears them with null', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { modules: ['culture_scan', 'dialogue_model'], employeePlacements: true });
    const token = await personalToken(round.id);
    expect((await put(token, { placements: { current: { x: -20, y: 35.5 }, desired: { x: 60, y: 80 } } })).statusCode).toBe(200);
    let s = (await stored(token))!;
    expect(s.placements).toEqual([
      { frame: 'current', x: -20, y: 35.5, participant_group: 'employee' },
      { frame: 'desired', x: 60, y: 80, participant_group: 'employee' },
    ]);
    const bad = await put(token, { placements: { past: { x: 0, y: 0 } } });
    expect(bad.json().errors[0].path).toBe('body.placements.past');
    expect((await put(token, { placements: { current: { x: 101, y: 0 } } })).json().errors[0].path).toBe('body.placements.current.x');
    await put(token, { placements: { desired: null } });
    s = (await stored(token))!;
    expect(s.placements.map((p) => p.frame)).toEqual(['current']);
    expect((await getOwn(token)).json().saved.placements).toEqual({ current: { x: -20, y: 35.5 } });
    expect((await get(token)).json().saved.placements).toEqual({});
  });

  it('keeps who answered apart from what was answered', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const token = await personalToken(round.id, 'privacy@example.nl');
    await put(token, { answers: { sd1: 3 } });
    const s = (await stored(token))!;
    // No column of responses refers to an invitation, and the hashes differ.
    const inv = await t.db.selectFrom('invitations').selectAll().where('email', '=', 'privacy@example.nl').executeTakeFirstOrThrow();
    expect(Object.values(s.resp)).not.toContain(inv.id);
    expect(Object.values(s.resp)).not.toContain(inv.token_hash);
    expect(s.resp.access_hash).toBe(sha256Hex(`response:${token}`));
    expect(inv.token_hash).toBe(sha256Hex(token));
    expect(inv.started_at).not.toBeNull();
    // Response timestamps are kept to the day.
    for (const d of [s.resp.started_at, s.resp.updated_at]) expect(d.toISOString()).toMatch(/T00:00:00\.000Z$/);
  });
});

describe(`a personal link shows nothing of the person (${driverName})`, () => {
  it('shows saved answers only to the respondent\'s own browser session, and after submit to nobody', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg'], languages: ['nl', 'en'], modules: ['culture_scan', 'factors'] });
    const token = await personalToken(round.id);
    await start(token, { language: 'en' });
    await put(token, { answers: { sd1: 4, wc1: 2 }, background: { department: 'Zorg', age_band: '55_plus' }, factors: { health: -2 } });
    const empty = {
      answers: {},
      background: { department: null, role: null, education: null, contract: null, age_band: null, tenure: null, contract_hours: null },
      factors: {},
      placements: {},
      modules: { motivation: {}, learning: null, open: {} },
    };
    // HR (or anybody) holding only the link: the questionnaire, nothing saved, the round's language.
    const outsider = (await get(token)).json();
    expect(outsider).toMatchObject({ status: 'in_progress', language: 'nl', saved: empty, progress: { answered: 0 } });
    // A forged or replayed proof of another token does not help.
    const other = await personalToken(round.id);
    for (const proof of ['x'.repeat(43), surveySessionProof(other)]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/survey/${token}`, headers: { [SURVEY_SESSION_HEADER]: proof } });
      expect(res.json().saved).toEqual(empty);
    }
    // Nor does saving through the link alone tell how much the person had answered (PUT /answers).
    for (const headers of [{}, { [SURVEY_SESSION_HEADER]: 'x'.repeat(43) }, { [SURVEY_SESSION_HEADER]: surveySessionProof(other) }]) {
      const res = await t.app.inject({ method: 'PUT', url: `/api/v1/survey/${token}/answers`, payload: { language: 'en' }, headers });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'in_progress', progress: null });
    }
    expect((await putOwn(token, { language: 'en' })).json().progress).toMatchObject({ answered: 2 });
    // The respondent's own session sees what they saved.
    const own = (await getOwn(token)).json();
    expect(own).toMatchObject({ language: 'en', saved: { answers: { sd1: 4, wc1: 2 }, factors: { health: -2 } }, progress: { answered: 2 } });
    expect(own.saved.background).toMatchObject({ department: 'Zorg', age_band: '55_plus' });

    expect((await submit(token, 'k', { answers: completeAnswers() })).statusCode).toBe(200);
    for (const res of [await get(token), await getOwn(token), await get(token, '?lang=en')]) {
      const body = res.json();
      expect(body.status).toBe('submitted');
      expect(body.saved).toEqual(empty);
      expect(body.submittedAt).toBeNull();
    }
  });

  it('serves a respondent\'s own data request only to their browser session, also after submitting', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg'] });
    const token = await personalToken(round.id);
    expect((await submit(token, 'k', { answers: completeAnswers(), background: { department: 'Zorg' } })).statusCode).toBe(200);
    const refused = await ownData(token, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('survey_session_required');
    expect(refused.body).not.toContain('Zorg');
    const mine = await ownData(token);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ status: 'submitted', form: 'employee', background: { department: 'Zorg' }, answers: completeAnswers() });
    expect(mine.json().submittedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The web questionnaire serves it from the cookie; without the cookie there is nothing.
    const web = await t.app.inject({ method: 'GET', url: '/survey/data', headers: { cookie: `lcs_survey=${token}` } });
    expect(web.statusCode).toBe(200);
    expect(web.headers['content-disposition']).toContain('attachment');
    expect(web.json()).toMatchObject({ status: 'submitted', background: { department: 'Zorg' } });
    expect((await t.app.inject({ method: 'GET', url: '/survey/data' })).statusCode).toBe(401);
    // A link that was never used has no data; a shared link is nobody's data.
    expect((await ownData(await personalToken(round.id))).statusCode).toBe(404);
  });
});

describe(`survey submit (${driverName})`, () => {
  it('needs an Idempotency-Key, a complete set of answers, and then completes once', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const token = await personalToken(round.id);
    const all = completeAnswers();
    const missingKey = await submit(token, undefined, { answers: all });
    expect(missingKey.statusCode).toBe(428);
    expect(missingKey.json().code).toBe('idempotency_key_required');

    await put(token, { answers: { sd1: 1 } });
    const { sd1: _sd1, sd2: _sd2, ...partial } = all;
    const incomplete = await submit(token, 'key-1', { answers: { ...partial, sd2: undefined } });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().code).toBe('incomplete_response');
    expect(incomplete.json().errors).toEqual([{ path: 'body.answers.sd2', message: 'Not answered' }]);
    expect((await stored(token))!.resp.status).toBe('in_progress');

    // sd1 was saved earlier; the body brings the rest.
    const ok = await submit(token, 'key-1', { answers: { ...partial, sd2: 4 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('submitted');
    expect(ok.json().submittedAt).toMatch(/T00:00:00\.000Z$/);
    const s = (await stored(token))!;
    expect(s.resp.status).toBe('submitted');
    expect(s.answers).toHaveLength(itemIds().length);
    expect(s.answers.find((x) => x.item_id === 'sd1')!.value).toBe(1);
    const inv = await t.db.selectFrom('invitations').select(['submitted_at']).where('token_hash', '=', sha256Hex(token)).executeTakeFirstOrThrow();
    expect(inv.submitted_at).not.toBeNull();

    const replay = await submit(token, 'key-1', { answers: { ...partial, sd2: 4 } });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(ok.json());
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const otherBody = await submit(token, 'key-1', { answers: all });
    expect(otherBody.statusCode).toBe(422);
    const otherKey = await submit(token, 'key-2', { answers: all });
    expect(otherKey.statusCode).toBe(409);
    expect(otherKey.json().code).toBe('already_submitted');
    const edit = await put(token, { answers: { sd1: 5 } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('already_submitted');
    expect((await stored(token))!.answers.find((x) => x.item_id === 'sd1')!.value).toBe(1);
    // Afterwards the link says only that it was used: no date, nothing saved, not even to the session.
    for (const res of [await get(token), await getOwn(token)]) expect(res.json()).toMatchObject({ status: 'submitted', submittedAt: null, saved: { answers: {}, factors: {} } });
  });

  it('submits everything in one request without a prior save, and rejects bad final answers whole', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['ICT'] });
    const token = await personalToken(round.id);
    const bad = await submit(token, 'k', { answers: { ...completeAnswers(), sd3: 9 }, background: { department: 'ICT' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.answers.sd3']);
    expect(await stored(token)).toBeUndefined();
    const ok = await submit(token, 'k', { answers: completeAnswers(), background: { department: 'ICT' }, language: 'nl' });
    expect(ok.statusCode).toBe(200);
    expect((await stored(token))!.resp).toMatchObject({ status: 'submitted', department: 'ICT' });
  });

  it('applies the round\'s rules to complete submissions too (department spelling, modules, language)', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['ICT'], languages: ['nl'] });
    const factors = await submit(await personalToken(round.id), 'k', { answers: completeAnswers(), factors: { health: 1 } });
    expect(factors.statusCode).toBe(400);
    expect(factors.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.factors']);
    const language = await submit(await personalToken(round.id), 'k', { answers: completeAnswers(), language: 'en' });
    expect(language.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.language']);
    const unknown = await submit(await personalToken(round.id), 'k', { answers: completeAnswers(), background: { department: 'Sales' } });
    expect(unknown.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.background.department']);
    const token = await personalToken(round.id);
    const ok = await submit(token, 'k', { answers: completeAnswers(), background: { department: ' ict ', role: 'manager' } });
    expect(ok.statusCode).toBe(200);
    expect((await stored(token))!.resp).toMatchObject({ department: 'ICT', role: 'manager', status: 'submitted' });
    const revoked = await personalToken(round.id, 'gone@example.nl');
    const inv = await t.db.selectFrom('invitations').select('id').where('email', '=', 'gone@example.nl').executeTakeFirstOrThrow();
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/${inv.id}/revoke`, headers: a.as.hr });
    const gone = await submit(revoked, 'k', { answers: completeAnswers() });
    expect(gone.statusCode).toBe(410);
    expect(gone.json().code).toBe('link_revoked');
    expect(await stored(revoked)).toBeUndefined();
  });

  // PGlite has one connection: a second transaction holding the lock would block the app itself.
  it.runIf(driverName === 'postgres')('writes nothing while a close holds the round\'s write lock, and says so', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const token = await personalToken(round.id);
    await t.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${ROUND_WRITE_LOCK_CLASS}::int4, ${roundLockKey(round.id)}::int4)`.execute(tx);
      const during = await submit(token, 'k', { answers: completeAnswers() });
      expect(during.statusCode).toBe(409);
      expect(during.json().code).toBe('round_closing');
      expect((await put(token, { answers: { sd1: 2 } })).json().code).toBe('round_closing');
    });
    expect(await stored(token)).toBeUndefined();
    expect((await submit(token, 'k', { answers: completeAnswers() })).statusCode).toBe(200);
  });

  it('creates exactly one submitted response from 50 concurrent identical submits', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const token = await personalToken(round.id);
    const payload = { answers: completeAnswers(3) };
    const results = await Promise.all(Array.from({ length: 50 }, () => submit(token, 'same-key', payload)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    const rows = await t.db.selectFrom('responses').select(['id', 'status']).where('round_id', '=', round.id).execute();
    expect(rows).toEqual([{ id: expect.any(String), status: 'submitted' }]);
    const n = await t.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).where('response_id', '=', rows[0]!.id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(itemIds().length);
  });

  it('lets one of 50 concurrent submits with different keys win; the others get 409', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const link = await sharedLink(t.app, a.as.hr, round.id);
    const respondent = (await start(link.token)).json().token;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => submit(respondent, `key-${i}`, { answers: completeAnswers(i) })));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    const rows = await t.db.selectFrom('responses').select(['status']).where('round_id', '=', round.id).execute();
    expect(rows).toEqual([{ status: 'submitted' }]);
  });
});

describe(`shared links (${driverName})`, () => {
  it('hands each start its own respondent token and counts uses', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { languages: ['nl', 'en'] });
    const link = await sharedLink(t.app, a.as.hr, round.id, { form: 'management' });
    const q = (await get(link.token)).json();
    expect(q).toMatchObject({ status: 'not_started', link: 'shared', startRequired: true, form: 'management' });
    const notYet = await put(link.token, { answers: { sd1: 3 } });
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json().code).toBe('start_required');
    expect((await submit(link.token, 'k', { answers: completeAnswers() })).json().code).toBe('start_required');

    const s1 = await start(link.token, { language: 'en' });
    expect(s1.statusCode).toBe(201);
    const t1 = s1.json().token;
    expect(t1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t1).not.toBe(link.token);
    expect(s1.json().link).toMatch(new RegExp(`/s/${t1}$`));
    const t2 = (await start(link.token)).json().token;
    expect(t2).not.toBe(t1);
    const inv = await t.db.selectFrom('invitations').select(['uses', 'started_at']).where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(inv.uses).toBe(2);
    // Starting again with a respondent token changes nothing.
    const again = await start(t1);
    expect(again.statusCode).toBe(200);
    expect(again.json().token).toBe(t1);

    const q1 = (await getOwn(t1)).json();
    expect(q1).toMatchObject({ status: 'in_progress', link: 'respondent', startRequired: false, form: 'management', language: 'en' });
    expect((await submit(t1, 'k1', { answers: completeAnswers() })).statusCode).toBe(200);
    const s = (await stored(t1))!;
    expect(s.resp).toMatchObject({ status: 'submitted', form: 'management', link_kind: 'shared', language: 'en' });
  });

  it('stops at the cap, also under concurrent starts', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const link = await sharedLink(t.app, a.as.hr, round.id, { maxResponses: 5 });
    const results = await Promise.all(Array.from({ length: 20 }, () => start(link.token)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(5);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(refused).toHaveLength(15);
    for (const r of refused) {
      expect(r.statusCode).toBe(410);
      expect(r.json().code).toBe('link_full');
    }
    const inv = await t.db.selectFrom('invitations').select(['uses']).where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(inv.uses).toBe(5);
    const n = await t.db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).where('round_id', '=', round.id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(5);
  });

  it('a revoked shared link starts nothing, but respondents who started keep going', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const link = await sharedLink(t.app, a.as.hr, round.id);
    const respondent = (await start(link.token)).json().token;
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/${link.id}/revoke`, headers: a.as.hr });
    const refused = await start(link.token);
    expect(refused.statusCode).toBe(410);
    expect(refused.json().code).toBe('link_revoked');
    expect((await put(respondent, { answers: { sd1: 2 } })).statusCode).toBe(200);
  });
});
