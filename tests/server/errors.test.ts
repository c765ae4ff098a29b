import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/database.js';
import { AppError } from '../../server/lib/errors.js';
import { testConfig } from '../helpers/app.js';
import { openEmbeddedTestDatabase } from '../helpers/database.js';

// Error shape is independent of the driver: one embedded database is enough here.
let app: FastifyInstance;
let database: Database;

beforeAll(async () => {
  database = await openEmbeddedTestDatabase(); // the migrated template, in memory
  app = await buildApp({ config: testConfig({ BODY_LIMIT_BYTES: '2048' }), database });
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/test/echo',
    {
      schema: {
        body: z.strictObject({
          name: z.string().min(1),
          answers: z.array(z.strictObject({ item: z.string(), value: z.number().int().min(1).max(5) })),
        }),
        querystring: z.strictObject({ lang: z.enum(['nl', 'en']).optional() }),
      },
    },
    async (req) => ({ ok: true, name: req.body.name }),
  );
  typed.get('/test/boom', async () => {
    throw new Error('secret connection string postgres://admin:hunter2@db');
  });
  typed.get('/test/domain', async () => {
    throw new AppError(409, 'round_already_open', 'The round is already open');
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await database.close();
});

function expectProblem(res: { headers: Record<string, unknown>; json(): any }, status: number, code: string) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ status, code, title: expect.any(String), type: expect.stringContaining(code.replace(/_/g, '-')) });
  return body;
}

describe('problem+json errors', () => {
  it('answers an unknown route with 404 problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    const body = expectProblem(res, 404, 'route_not_found');
    expect(body.instance).toBe('/api/v1/nothing-here');
  });

  it('lists every failing field path on validation errors', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { name: '', answers: [{ item: 'sd1', value: 9 }, { item: 'sd2', value: 'x' }] },
    });
    expect(res.statusCode).toBe(400);
    const body = expectProblem(res, 400, 'validation_failed');
    const paths = body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['body.answers.0.value', 'body.answers.1.value', 'body.name']);
  });

  it('rejects unknown JSON fields, naming them', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'a', answers: [], isAdmin: true } });
    expect(res.statusCode).toBe(400);
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.errors).toEqual([{ path: 'body.isAdmin', message: 'Unknown field' }]);
  });

  it('rejects unknown query parameters', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo?debug=1', payload: { name: 'a', answers: [] } });
    expect(res.statusCode).toBe(400);
    expect(expectProblem(res, 400, 'validation_failed').errors[0].path).toBe('querystring.debug');
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"name":' });
    expect(res.statusCode).toBe(400);
    expectProblem(res, 400, res.json().code);
  });

  it('answers a too large body with 413', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'x'.repeat(5000), answers: [] } });
    expect(res.statusCode).toBe(413);
    expectProblem(res, 413, res.json().code);
  });

  it('answers an unsupported media type with 415', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(res.statusCode).toBe(415);
    expectProblem(res, 415, res.json().code);
  });

  it('never shows internals on a 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    const body = expectProblem(res, 500, 'internal_error');
    expect(JSON.stringify(body)).not.toMatch(/hunter2|postgres:\/\/|stack|at /);
  });

  it('turns domain errors into their status and stable code', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/domain' });
    expect(res.statusCode).toBe(409);
    expect(expectProblem(res, 409, 'round_already_open').detail).toBe('The round is already open');
  });
});

describe('API docs', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/health/ready'].get.responses['503']).toBeDefined();
    expect(doc.paths['/test/echo'].post.requestBody).toBeDefined();
  });

  it('is browsable at /docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/swagger/i);
  });
});
