import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceUnavailableError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health/live',
    {
      config: { principal: false }, // a probe, often every few seconds: no session lookup
      schema: {
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'The database is reachable',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['postgres', 'embedded']) }),
          503: problemSchema,
        },
      },
    },
    async () => {
      try {
        await app.dbInfo.ping();
      } catch {
        throw new ServiceUnavailableError('database_unavailable', 'The database is not reachable', 5);
      }
      return { status: 'ok' as const, database: app.dbInfo.mode };
    },
  );
};

export default healthRoutes;
