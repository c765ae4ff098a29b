// Path parameters, query strings and form bodies of page routes, validated with zod instead of cast:
// a path parameter that does not fit (a round id that is not a UUID) answers 404, as the API does.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../lib/errors.js';

export function pageParams<S extends z.ZodType>(request: FastifyRequest, schema: S, what = 'Page'): z.infer<S> {
  const parsed = schema.safeParse(request.params);
  if (!parsed.success) throw new NotFoundError(what);
  return parsed.data;
}

/** Path parameters of page routes outside the rounds feature (their own contracts hold those). */
export const orgPageParams = z.object({ orgId: z.string() });
export const orgUserPageParams = orgPageParams.extend({ userId: z.string() });
export const tokenPageParams = z.object({ token: z.string() });
export const stepPageParams = z.object({ step: z.string() });
export const messagePageParams = z.object({ messageId: z.string() });
export const actionPageParams = z.object({ actionId: z.string() });

// A repeated query key arrives as an array; pages read single values only, so those are left out.
const querySchema = z.record(z.string(), z.unknown()).catch({}).transform((q) => {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(q)) if (typeof v === 'string') out[k] = v;
  return out;
});

/** The query string's single values. */
export function pageQuery(request: FastifyRequest): Record<string, string | undefined> {
  return querySchema.parse(request.query ?? {});
}

const formSchema = z.record(z.string(), z.unknown()).catch({});

/** A posted form (or JSON object) as its fields; anything else is an empty form. */
export function pageForm(request: FastifyRequest): Record<string, unknown> {
  return formSchema.parse(request.body ?? {});
}
