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
        description:
          'Ready (200) when the database answers; 503 problem+json with Retry-After when it does not. `components` reports background work ' +
          '(the report batch runner): `retrying` means it failed to start and keeps trying; the instance then says `degraded` but stays ready for everything else.',
        response: {
          200: z.object({
            status: z.enum(['ok', 'degraded']),
            database: z.enum(['postgres', 'embedded']),
            components: z.record(z.string(), z.object({ state: z.enum(['idle', 'starting', 'running', 'retrying', 'stopped']), error: z.string().optional() })),
          }),
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
      const components = Object.fromEntries([...app.backgroundStatus].map(([name, status]) => [name, status()]));
      const degraded = Object.values(components).some((c) => c.state === 'retrying');
      return { status: degraded ? ('degraded' as const) : ('ok' as const), database: app.dbInfo.mode, components };
    },
  );
};

export default healthRoutes;
