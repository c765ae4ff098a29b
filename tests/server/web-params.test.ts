// Page routes read params, query strings and form bodies through zod (server/web/params.ts), not casts.
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { roundParamsSchema } from '../../server/contracts/rounds.js';
import { NotFoundError } from '../../server/lib/errors.js';
import { orgUserPageParams, pageForm, pageParams, pageQuery } from '../../server/web/params.js';

const req = (r: { params?: unknown; query?: unknown; body?: unknown }) => r as FastifyRequest;

describe('page route input', () => {
  it('path parameters: the contract decides, a misfit is a 404', () => {
    const id = '7c0e8e0a-2d3b-4f5a-9b1c-3d2e1f0a9b8c';
    expect(pageParams(req({ params: { roundId: id } }), roundParamsSchema, 'Round')).toEqual({ roundId: id });
    expect(() => pageParams(req({ params: { roundId: 'not-a-uuid' } }), roundParamsSchema, 'Round')).toThrow(NotFoundError);
    expect(pageParams(req({ params: { orgId: 'a', userId: 'b' } }), orgUserPageParams)).toEqual({ orgId: 'a', userId: 'b' });
    expect(() => pageParams(req({ params: { orgId: 'a' } }), orgUserPageParams, 'User')).toThrow(/User/);
  });

  it('query: single string values only (a repeated key is left out)', () => {
    expect(pageQuery(req({ query: { lang: 'en', done: 'saved', a: ['1', '2'] } }))).toEqual({ lang: 'en', done: 'saved' });
    expect(pageQuery(req({ query: undefined }))).toEqual({});
  });

  it('form body: its fields as posted, anything but an object is an empty form', () => {
    expect(pageForm(req({ body: { _csrf: 'x', 'a.q1': '3', list: ['a', 'b'] } }))).toEqual({ _csrf: 'x', 'a.q1': '3', list: ['a', 'b'] });
    expect(pageForm(req({ body: undefined }))).toEqual({});
    expect(pageForm(req({ body: null }))).toEqual({});
    expect(pageForm(req({ body: 'text' }))).toEqual({});
  });
});
