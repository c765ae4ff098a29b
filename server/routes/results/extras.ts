// The extra result sections of issue 17 (management roles, who learns less, the optional modules), as
// stored with the round's latest result release: only for closed rounds, under the same disclosure.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordRoundAccess } from '../../audit/record.js';
import { READ_ROLES, requireRound } from '../../auth/access.js';
import { ConflictError, GoneError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { resultExtrasSchema } from '../../contracts/results.js';
import { roundIdParamsSchema } from '../../contracts/rounds.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { servedExtras } from '../../results/modules/store.js';
import { loadLatestExtras } from '../../results/served.js';

const errors = { 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 410: problemSchema };
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
        params: roundIdParamsSchema,
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
