// Action plans: HR and consultants create actions from a priority or a mechanism of a closed round and
// keep them up to date; directors (and every reader of the organisation) see them. A later closed
// round shows, per action, how its target statements moved (published figures only).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ACTION_SOURCES,
  assertClosedRound,
  changedFields,
  createAction,
  deleteAction,
  getActionRow,
  listActions,
  movements,
  toActionDto,
  updateAction,
  validateAction,
} from '../../actions/actions.js';
import { recordRoundAccess } from '../../audit/record.js';
import { MANAGE_ROLES, READ_ROLES, requireOrganisation, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { buildResultModel } from '../../results/build.js';
import { actionFields as body, actionProgressSchema, actionSchema } from '../../contracts/actions.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

const actionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/organisations/:organisationId/actions',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['actions'],
        summary: "The organisation's action plan (every action, oldest round first)",
        params: z.object({ organisationId: z.string() }),
        response: { 200: z.object({ actions: z.array(actionSchema) }), ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      return withTenantScope(app.db, p, async (tx) => {
        const { organisation } = await requireOrganisation(tx, p, request.params.organisationId, READ_ROLES);
        return { actions: await listActions(tx, organisation.id) };
      });
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/actions',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['actions'],
        summary: 'The actions that answer this round',
        params: z.object({ roundId: z.string() }),
        response: { 200: z.object({ actions: z.array(actionSchema) }), ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      return withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        return { actions: (await listActions(tx, round.organisation_id)).filter((a) => a.roundId === round.id) };
      });
    },
  );

  app.post(
    '/api/v1/rounds/:roundId/actions',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['actions'],
        summary: 'Create an action from a priority or a mechanism of a closed round (HR, consultant, API token)',
        description:
          'The mechanism must belong to the round\'s instrument and, for source "priority", be one of the round\'s priorities; the statements (itemIds) must belong to that mechanism. 409 round_not_closed before the close.',
        params: z.object({ roundId: z.string() }),
        body: z.strictObject({ source: z.enum(ACTION_SOURCES), mechanismId: z.string().max(60), ...body }),
        response: { 201: actionSchema, ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const { round, model } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        assertClosedRound(round);
        return { round, model: request.body.source === 'priority' ? await buildResultModel(tx, round.id) : null };
      });
      validateAction(request.body, round.instrument_id, model);
      const created = await withTenantScope(app.db, p, async (tx) => {
        await requireRound(tx, p, round.id, MANAGE_ROLES);
        return createAction(tx, round, request.body, p.kind === 'user' ? p.userId : null);
      });
      await recordRoundAccess(app.db, request, 'action.create', round, created.title);
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/api/v1/actions/:actionId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['actions'],
        summary: 'Update an action: what, owner, due date, status, statements, notes (HR, consultant, API token)',
        params: z.object({ actionId: z.string() }),
        body: z.strictObject({
          title: body.title.optional(),
          owner: body.owner.optional(),
          dueDate: body.dueDate,
          status: body.status,
          itemIds: body.itemIds,
          notes: body.notes,
        }),
        response: { 200: actionSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const { before, after, round } = await withTenantScope(app.db, p, async (tx) => {
        const row = await getActionRow(tx, request.params.actionId);
        const { round } = await requireRound(tx, p, row.round_id, MANAGE_ROLES);
        if (request.body.itemIds) validateAction({ source: 'mechanism', mechanismId: row.mechanism_id, itemIds: request.body.itemIds }, round.instrument_id, null);
        return { before: toActionDto(row), after: await updateAction(tx, row.id, request.body), round };
      });
      await recordRoundAccess(app.db, request, 'action.update', round, `${after.title}: ${changedFields(before, after).join(', ') || 'no change'}`);
      return after;
    },
  );

  app.delete(
    '/api/v1/actions/:actionId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['actions'],
        summary: 'Delete an action (HR, consultant, API token)',
        params: z.object({ actionId: z.string() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const { row, round } = await withTenantScope(app.db, p, async (tx) => {
        const row = await getActionRow(tx, request.params.actionId);
        const { round } = await requireRound(tx, p, row.round_id, MANAGE_ROLES);
        await deleteAction(tx, row.id);
        return { row, round };
      });
      await recordRoundAccess(app.db, request, 'action.delete', round, row.title);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/actions/progress',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['actions'],
        summary: "How the statements of the organisation's earlier actions moved in this round",
        description:
          'For each action from an earlier closed round of the organisation: the target statements\' published mean and % favourable then and now, and whether the change is larger than its uncertainty (Welch). Statements suppressed in either round carry no figure. Only for closed rounds.',
        params: z.object({ roundId: z.string() }),
        response: { 200: actionProgressSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      // Every read in the caller's tenant scope (row-level security backs up requireRound).
      const read = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        assertClosedRound(round);
        const actions = await listActions(tx, round.organisation_id);
        const earlier = new Map(
          (
            await tx
              .selectFrom('rounds')
              .select(['id', 'name', 'closed_at'])
              .where('organisation_id', '=', round.organisation_id)
              .where('status', '=', 'closed')
              .where('id', '!=', round.id)
              .execute()
          )
            .filter((r) => r.closed_at && round.closed_at && new Date(r.closed_at) < new Date(round.closed_at))
            .map((r) => [r.id, r]),
        );
        const relevant = actions.filter((a) => earlier.has(a.roundId));
        if (relevant.length === 0) return { round, relevant, earlier, current: null, models: null };
        const current = await buildResultModel(tx, round.id);
        const models = new Map<string, Awaited<ReturnType<typeof buildResultModel>> | null>();
        // An earlier round without a model (e.g. purged without a snapshot) has no figures.
        for (const id of new Set(relevant.map((a) => a.roundId))) models.set(id, await buildResultModel(tx, id).catch(() => null));
        return { round, relevant, earlier, current, models };
      });
      const { round, relevant, earlier, current, models } = read;
      if (!current || !models) return { roundId: round.id, actions: [] };
      await recordRoundAccess(app.db, request, 'results.view', round, 'action-progress');
      return {
        roundId: round.id,
        actions: relevant.map((action) => {
          const before = models.get(action.roundId);
          return {
            action,
            fromRound: { id: action.roundId, name: earlier.get(action.roundId)!.name },
            items: before ? movements(action, before, current) : [],
          };
        }),
      };
    },
  );
};

export default actionRoutes;
