// Input edges: text no field may hold, Fastify's own early errors, open redirects, security headers.
// Every bad input answers 4xx problem+json naming the field and changes nothing.
import { PassThrough } from 'node:stream';
import { Writable } from 'node:stream';
import lightMyRequest from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { clientErrorHandler } from '../../server/plugins/errors.js';
import { safeNext } from '../../server/web/pages/auth.js';
import { setupTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { bearer, createApiTokenFor, login, TEST_PASSWORD } from '../helpers/auth.js';
import { driverName, openEmbeddedTestDatabase } from '../helpers/database.js';
import { createOpenRound, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body.status).toBe(status);
  return body;
}

const NUL = 'a\u0000b';
const LONE = 'x\ud800y';

describe(`input edges (${driverName})`, () => {
  let t: TestApp;
  let ten: TenantWithSessions;
  let roundId: string;

  beforeAll(async () => {
    t = await setupTestApp();
    ten = await tenantWithSessions(t.db);
    roundId = (await createOpenRound(t.app, ten.as.hr, ten.organisationId)).id;
  });
  afterAll(async () => t?.close());

  describe('NUL characters and unpaired surrogates', () => {
    const rawJson = (o: Record<string, string>) =>
      '{' + Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',') + '}';

    it('rejects them in a login email with 400 naming body.email', async () => {
      for (const bad of ['"a\\u0000@b.nl"', '"a\\ud800@b.nl"', '"a\\udc00@b.nl"']) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: rawJson({ email: bad, password: '"x"' }) });
        const body = expectProblem(res, 400);
        expect(body.code).toBe('validation_failed');
        expect(body.errors).toEqual([{ path: 'body.email', message: expect.stringContaining('NUL') }]);
      }
      // A well-formed pair (an emoji) is text: the login proceeds to the normal 401.
      const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a😀@b.nl', password: 'xxxxxxxxxxxxx' } });
      expect(ok.statusCode).toBe(401);
    });

    it('rejects them in organisation, round, token and placement fields and stores nothing', async () => {
      const before = await t.db.selectFrom('organisations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const org = await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: ten.as.consultant, payload: { name: NUL, sector: 'healthcare', sizeClass: 'small' } });
      expect(expectProblem(org, 400).errors[0].path).toBe('body.name');
      const after = await t.db.selectFrom('organisations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(after.n).toEqual(before.n);

      const round = await t.app.inject({ method: 'POST', url: `/api/v1/organisations/${ten.organisationId}/rounds`, headers: ten.as.hr, payload: { name: 'Ronde', departments: ['Zorg', LONE] } });
      expect(expectProblem(round, 400).errors[0].path).toBe('body.departments.1');

      const token = await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: ten.as.hr, payload: { name: NUL, organisationId: ten.organisationId } });
      expect(expectProblem(token, 400).errors[0].path).toBe('body.name');

      const placement = await t.app.inject({ method: 'PUT', url: `/api/v1/rounds/${roundId}/placements/me`, headers: ten.as.director, payload: { note: NUL } });
      expect(expectProblem(placement, 400).errors[0].path).toBe('body.note');
    });

    it('names an object key that is not text', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":"a@b.nl","password":"x","\\u0000k":1}' });
      expect(expectProblem(res, 400).errors[0].path).toBe('body.\\0k');
    });

    it('rejects them in a CSV cell, naming the line', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/rounds/${roundId}/invitations/personal?form=employee`,
        headers: { ...ten.as.hr, 'content-type': 'text/csv' },
        payload: `email\nok@example.nl\nbad\u0000@example.nl\n`,
      });
      expect(expectProblem(res, 400).errors[0].path).toBe('body line 3');
      const n = await t.db.selectFrom('invitations').select('id').where('round_id', '=', roundId).where('kind', '=', 'personal').execute();
      expect(n).toHaveLength(0);
    });

    it('rejects them in the query and in path parameters', async () => {
      const q = await t.app.inject({ method: 'GET', url: `/api/v1/organisations?x=%00`, headers: ten.as.consultant });
      expect(expectProblem(q, 400).errors[0].path).toBe('query.x');
      const p = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/a%00b`, headers: ten.as.consultant });
      expect(expectProblem(p, 400).errors[0].path).toBe('params.id');
    });

    it('rejects them in web form bodies with an HTML 400, without signing in', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=${encodeURIComponent(ten.hr.email)}%00&password=${encodeURIComponent(TEST_PASSWORD)}&_csrf=x`,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['set-cookie'] ?? '').not.toContain('lcs_session');
    });
  });

  describe("Fastify's own errors as problem+json", () => {
    it('answers a path parameter over 100 characters with 414', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${'a'.repeat(150)}` });
      expect(expectProblem(res, 414).code).toBe('uri_too_long');
    });

    it('answers a malformed percent-encoding in the path with 400', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/organisations/%E0%A4%A' });
      expect(expectProblem(res, 400).code).toBe('bad_url');
    });

    it('answers malformed JSON and a too large body with problem+json', async () => {
      const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
      expectProblem(bad, 400);
      const big = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.nl', password: 'x'.repeat(6 * 1024 * 1024) } });
      expectProblem(big, 413);
    });

    it('answers raw HTTP errors (bad characters, header overflow) with problem+json on the socket', () => {
      const socket = new PassThrough();
      let written = '';
      socket.on('data', (c) => (written += String(c)));
      const log = { trace: () => {} };
      socket.on('error', () => {});
      clientErrorHandler.call({ log }, Object.assign(new Error('Invalid header value char'), { code: 'HPE_INVALID_HEADER_TOKEN' }), socket);
      expect(written).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(written).toContain('Content-Type: application/problem+json');
      expect(JSON.parse(written.split('\r\n\r\n')[1]!)).toMatchObject({ status: 400, code: 'bad_request' });
      const socket2 = new PassThrough();
      let written2 = '';
      socket2.on('data', (c) => (written2 += String(c)));
      socket2.on('error', () => {});
      clientErrorHandler.call({ log }, Object.assign(new Error('overflow'), { code: 'HPE_HEADER_OVERFLOW' }), socket2);
      expect(written2).toMatch(/^HTTP\/1\.1 431 /);
    });
  });

  describe('next= after sign-in', () => {
    it('accepts only same-origin relative paths', () => {
      expect(safeNext('/app/rounds/1?tab=results')).toBe('/app/rounds/1?tab=results');
      for (const bad of ['/\t/evil.example/x', '//evil.example', '/\\evil.example', '\\\\evil', '/\r\nSet-Cookie:x=y', '/%0d', 'https://evil.example', '/é', '/\u2215\u2215evil', '/ app', 'javascript:alert(1)', '', 7, undefined]) {
        const expected = bad === '/%0d' ? '/%0d' : '/app';
        expect(safeNext(bad), JSON.stringify(bad)).toBe(expected);
      }
    });

    it('redirects a signed-in user only to local paths, whatever the encoding', async () => {
      const s = await login(t.app, ten.hr.email, TEST_PASSWORD);
      const cases: Array<[string, string]> = [
        ['/%09/evil.example/x', '/app'],
        ['//evil.example', '/app'],
        ['/%5Cevil.example', '/app'],
        ['/%0d%0aSet-Cookie:%20x=y', '/app'],
        ['/%C3%A9', '/app'],
        ['/%E2%88%95%E2%88%95evil.example', '/app'],
        ['/app/organisations', '/app/organisations'],
      ];
      for (const [next, location] of cases) {
        const res = await t.app.inject({ method: 'GET', url: `/?next=${next}`, headers: { cookie: s.cookie } });
        expect(res.statusCode, next).toBe(303);
        expect(res.headers.location, next).toBe(location);
      }
    });
  });

  describe('security headers', () => {
    it('sends nosniff and frame-ancestors on API answers, and no-store on authenticated JSON', async () => {
      const anon = await t.app.inject({ method: 'GET', url: '/api/v1/instruments' });
      expect(anon.headers['x-content-type-options']).toBe('nosniff');
      expect(anon.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      const token = bearer(await createApiTokenFor(t.db, { organisationId: ten.organisationId }));
      for (const headers of [ten.as.hr, token]) {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${roundId}`, headers });
        expect(res.statusCode).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      }
      const problem = await t.app.inject({ method: 'GET', url: '/api/v1/nothing' });
      expect(problem.headers['x-content-type-options']).toBe('nosniff');
    });

    it('keeps the stricter policy of the web pages', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/' });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    });
  });
});

describe('server edges without a database driver', () => {
  it('answers 503 problem+json while closing, and logs no error for /survey without a cookie', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } });
    const database = await openEmbeddedTestDatabase(); // the migrated template, in memory
    const app = await buildApp({ config: testConfig({}), database, logger: { level: 'info', stream } as never });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    app.addHook('onClose', async () => held);
    await app.ready();
    const survey = await app.inject({ method: 'GET', url: '/survey' });
    expect(survey.statusCode).toBe(401);
    expect(survey.headers['content-type']).toContain('text/html');
    expect(lines.filter((l) => /"level":50/.test(l))).toEqual([]);

    const closing = app.close();
    await new Promise((r) => setTimeout(r, 20));
    // app.inject refuses once closing starts; a request on a kept-alive connection still reaches the router.
    const res = await lightMyRequest((req, rs) => app.routing(req, rs), { method: 'GET', url: '/api/v1/instruments' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().code).toBe('shutting_down');
    release();
    await closing;
    await database.close();
  }, 180_000);
});
