// Named dialogue-model placements for a round. Directors, HR and consultants of the organisation each
// enter their own past, current and desired placement; staff of the organisation see them all, by
// name. Employees place anonymously through the survey API; those are not listed here.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { READ_ROLES, requireRound } from '../../auth/access.js';
import { withTenantScope, withSystemScope } from '../../auth/tenant-scope.js';
import { ForbiddenError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { assertModule } from '../../rounds/checklist.js';
import { listPlacements, placementGroup, savePlacement, withNames } from '../../rounds/placements.js';
import { namedPlacementSchema } from '../../contracts/placements.js';

const coordinate = z.number().min(-100).max(100);
const frameIn = z.strictObject({ x: coordinate, y: coordinate, note: z.string().trim().max(2000).nullable().optional() }).nullable().optional();

const roundParams = z.object({ roundId: z.string() });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

const placementsRoutes: FastifyPluginAsyncZod = async (app) => {
  // User names are read on the owner connection after the scoped transaction: under row-level security
  // an HR user cannot read the user row of the organisation's consultant. Only users whose placements
  // were visible inside the scope are looked up.
  app.get(
    '/api/v1/rounds/:roundId/placements',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['placements'],
        summary: 'Named placements of directors, HR and consultants (past, current, desired)',
        params: roundParams,
        response: { 200: z.object({ roundId: z.uuid(), placements: z.array(namedPlacementSchema) }), ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const { roundId, placements } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        assertModule(round, 'dialogue_model');
        return { roundId: round.id, placements: await listPlacements(tx, round.id) };
      });
      // The names of the users who placed (ids from the tenant-scoped rows above): a consultant's
      // account is not visible to HR's own scope, so the names are read in the system scope.
      return { roundId, placements: await withSystemScope(app.db, (tx) => withNames(tx, placements)) };
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/placements/me',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['placements'],
        summary: 'Your own placement (frames null until entered)',
        params: roundParams,
        response: { 200: namedPlacementSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      if (p.kind !== 'user') throw new ForbiddenError('Placements are personal: sign in as a user');
      return withTenantScope(app.db, p, async (tx) => {
        const { round, roles } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        assertModule(round, 'dialogue_model');
        const [mine] = await listPlacements(tx, round.id, p.userId);
        return { userId: p.userId, group: placementGroup(roles), frames: { past: null, current: null, desired: null }, ...mine, name: p.name };
      });
    },
  );

  app.put(
    '/api/v1/rounds/:roundId/placements/me',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['placements'],
        summary: 'Enter or change your own placement (directors, HR, consultants)',
        description: 'Each frame {x, y, note?} with x and y in -100..100; null removes a frame; frames not sent stay. Closed round: 409 round_closed.',
        params: roundParams,
        body: z
          .strictObject({ past: frameIn, current: frameIn, desired: frameIn })
          .refine((b) => Object.keys(b).length > 0, { message: 'Send at least one of past, current, desired' }),
        response: { 200: namedPlacementSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      if (p.kind !== 'user') throw new ForbiddenError('Placements are personal: sign in as a user');
      return withTenantScope(app.db, p, async (tx) => {
        const { round, roles } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        const group = placementGroup(roles);
        await savePlacement(tx, round, p.userId, group, request.body);
        const [mine] = await listPlacements(tx, round.id, p.userId);
        return { userId: p.userId, group, frames: { past: null, current: null, desired: null }, ...mine, name: p.name };
      });
    },
  );
};

export default placementsRoutes;
