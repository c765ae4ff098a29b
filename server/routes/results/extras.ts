// The extra result sections of issue 17 (management roles, who learns less, the optional modules), as
// stored with the round's latest result release: only for closed rounds, under the same disclosure.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordRoundAccess } from '../../audit/record.js';
import { READ_ROLES, requireRound } from '../../auth/access.js';
import { ConflictError, GoneError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { servedExtras } from '../../results/modules/store.js';
import { loadLatestExtras } from '../../results/served.js';

const params = z.object({ roundId: z.string() });
const errors = { 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 410: problemSchema };
const localized = z.object({ nl: z.string(), en: z.string() });
const mech = z.object({ mechanismId: z.string(), mean: z.number().nullable(), n: z.number().int().nullable() });
const groupRef = { group: z.string(), dimension: z.string().nullable(), key: z.string(), label: localized, hidden: z.boolean() };

export const resultExtrasSchema = z
  .object({
    k: z.number().int(),
    roles: z.object({ groups: z.array(z.object({ ...groupRef, n: z.number().int().nullable(), mechanisms: z.array(mech) })) }).describe('Management form per role (HR, line manager, director)'),
    learnsLess: z.object({
      groups: z.array(
        z.object({
          id: z.string(),
          label: localized,
          basis: z.string(),
          hidden: z.boolean(),
          group: z.object({ n: z.number().int().nullable(), mechanisms: z.array(mech) }),
          rest: z.object({ n: z.number().int().nullable(), mechanisms: z.array(mech) }),
          advice: z.array(localized),
        }),
      ),
    }),
    motivation: z.object({
      included: z.boolean(),
      groups: z.array(
        z.object({
          ...groupRef,
          profile: z
            .object({
              n: z.number().int(),
              facets: z.array(z.object({ facet: z.string(), n: z.number().int(), mean: z.number().nullable() })),
              wantOverMust: z.object({ n: z.number().int(), percent: z.number().nullable() }),
            })
            .nullable(),
          weakest: z.string().nullable(),
          move: localized.nullable(),
        }),
      ),
    }),
    learningMix: z.object({
      included: z.boolean(),
      model: z.object({ experience: z.number(), others: z.number(), formal: z.number() }).describe('The 70-20-10 model (Jennings, 2011): a model, not a norm'),
      groups: z.array(
        z.object({
          ...groupRef,
          mix: z
            .object({
              n: z.number().int(),
              ways: z.array(z.object({ way: z.string(), count: z.number().int(), percent: z.number() })),
              model: z.array(z.object({ part: z.string(), percent: z.number(), modelPercent: z.number() })),
            })
            .nullable(),
        }),
      ),
    }),
    open: z.object({
      included: z.boolean(),
      minimum: z.number().int().describe('Open answers are shown only for groups of at least this many answers'),
      groups: z.array(
        z.object({
          ...groupRef,
          prompts: z
            .array(
              z.object({
                prompt: z.string(),
                n: z.number().int(),
                answers: z.array(z.string()).describe('Without order or attribution'),
                themes: z.array(z.object({ id: z.string(), label: localized, count: z.number().int() })),
              }),
            )
            .nullable(),
        }),
      ),
    }),
  })
  .meta({ id: 'ResultExtras' });

const extrasRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/rounds/:roundId/results/extras',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['results'],
        summary: 'Management roles, who learns less, and the optional modules of a closed round',
        description:
          'Computed once over the respondents of the latest result release and stored with it. Every figure under the disclosure rules (groups under k hidden, complementary suppression, no differences below k against the main results); open answers only for groups of at least 10 answers, sorted, without attribution. 409 round_not_closed while open.',
        params,
        response: { 200: resultExtrasSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      // In the tenant scope, like the other results routes; the extras stored with the latest release
      // are read alone (not every release parsed and validated).
      const { round, extras } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        if (round.status !== 'closed') throw new ConflictError('round_not_closed', 'Results are available once the round is closed');
        return { round, extras: await loadLatestExtras(tx, round.id) };
      });
      if (!extras) throw new GoneError('raw_answers_purged', 'The raw answers of this round were purged before these sections were stored');
      await recordRoundAccess(app.db, request, 'results.view', round, 'extras');
      return servedExtras(extras);
    },
  );
};

export default extrasRoutes;
