// The SME policy checklist of a round: read (staff of the organisation, API tokens) and answer (HR,
// consultant, API token). Each practice comes with the published share of Dutch SMEs, its source,
// year and population.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MANAGE_ROLES, READ_ROLES, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { assertModule, readChecklist, saveChecklist } from '../../rounds/checklist.js';
import { CHECKLIST_ANSWERS } from '../../../scans/index.js';
import { checklistSchema } from '../../contracts/checklist.js';

const roundParams = z.object({ roundId: z.string() });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

const checklistRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/rounds/:roundId/checklist',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['checklist'],
        summary: "The round's SME checklist: the ten practices, the answers so far and the published shares",
        params: roundParams,
        response: { 200: checklistSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      return withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        assertModule(round, 'sme_checklist');
        return readChecklist(tx, round.id);
      });
    },
  );

  app.put(
    '/api/v1/rounds/:roundId/checklist',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['checklist'],
        summary: 'Answer practices (yes, no, dont_know; null removes an answer)',
        description: 'Practices not sent keep their answer. An unknown practice rejects the whole request (400 naming it). Closed round: 409 round_closed. Module not in the round: 409 module_not_enabled.',
        params: roundParams,
        body: z.strictObject({ answers: z.record(z.string().max(64), z.enum(CHECKLIST_ANSWERS).nullable()) }),
        response: { 200: checklistSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      return withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        await saveChecklist(tx, round, request.body.answers, p.kind === 'user' ? p.userId : null);
        return readChecklist(tx, round.id);
      });
    },
  );
};

export default checklistRoutes;
