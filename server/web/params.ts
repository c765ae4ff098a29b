// Path parameters of page routes, validated with the feature contracts' zod schemas instead of cast:
// a parameter that does not fit (a round id that is not a UUID) answers 404, as the API does.
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { NotFoundError } from '../lib/errors.js';

export function pageParams<S extends z.ZodType>(request: FastifyRequest, schema: S, what = 'Page'): z.infer<S> {
  const parsed = schema.safeParse(request.params);
  if (!parsed.success) throw new NotFoundError(what);
  return parsed.data;
}
