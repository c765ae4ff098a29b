// Scan rounds of an organisation: create, list, read, change, open, close, reopen, and response
// tracking. HR, the organisation's consultant and API tokens manage; directors read. Everything runs
// inside withTenantScope, so on PostgreSQL row-level security backs up requireOrganisation/requireRound.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MANAGE_ROLES, READ_ROLES, requireOrganisation, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { NotFoundError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import type { ScopedRun } from '../../rounds/hooks.js';
import { closeRoundStaged, openRound, reopenRound } from '../../rounds/lifecycle.js';
import { responseRates } from '../../rounds/response-rates.js';
import { insertRound, listRounds, lockRound, toRoundDto, updateRound } from '../../rounds/rounds.js';
import { CURRENT_CULTURE_SCAN, LANGUAGES, MODULES } from '../../../scans/index.js';
import { SURVEY_MODULES } from '../../../scans/modules/definitions.js';
import { responseRatesSchema } from '../../contracts/response-rates.js';
import { roundSchema } from '../../contracts/rounds.js';

function uniqueList<T extends z.ZodType<string>>(item: T, what: string, caseInsensitive = false) {
  return z.array(item).superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((v, i) => {
      const key = caseInsensitive ? v.toLocaleLowerCase('nl') : v;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `Duplicate ${what} (same as entry ${seen.get(key)})` });
      else seen.set(key, i);
    });
  });
}

const dateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const fields = {
  name: z.string().trim().min(1).max(200),
  instrumentId: z.string().min(1).max(64).describe(`A culture-scan instrument id; default ${CURRENT_CULTURE_SCAN}`),
  modules: uniqueList(z.enum(MODULES), 'module').min(1),
  languages: uniqueList(z.enum(LANGUAGES), 'language').min(1).describe('The first language is the default for respondents'),
  departments: uniqueList(z.string().trim().min(1).max(100), 'department', true)
    .min(1)
    .max(50)
    .describe('Segments respondents choose from; unique (ignoring case), trimmed, 1..50 entries'),
  anonymityThreshold: z.number().int().min(5).max(100).describe('k: no figure for a group smaller than this'),
  employeePlacements: z.boolean().describe('Employees place current and desired on the dialogue model (needs module dialogue_model)'),
  opensAt: dateTime.nullable(),
  closesAt: dateTime.nullable(),
  surveyModules: uniqueList(z.enum(SURVEY_MODULES), 'module').describe('Optional modules asked of employees with the culture scan: motivation, learning_mix, open_questions'),
};

const createBody = z.strictObject({
  name: fields.name,
  instrumentId: fields.instrumentId.default(CURRENT_CULTURE_SCAN),
  modules: fields.modules.default(['culture_scan']),
  languages: fields.languages.default(['nl']),
  departments: fields.departments.optional(),
  anonymityThreshold: fields.anonymityThreshold.default(5),
  employeePlacements: fields.employeePlacements.default(false),
  surveyModules: fields.surveyModules.default([]),
  opensAt: fields.opensAt.optional(),
  closesAt: fields.closesAt.optional(),
});

const patchBody = z.strictObject({
  name: fields.name.optional(),
  instrumentId: fields.instrumentId.optional(),
  modules: fields.modules.optional(),
  languages: fields.languages.optional(),
  departments: fields.departments.optional(),
  anonymityThreshold: fields.anonymityThreshold.optional(),
  employeePlacements: fields.employeePlacements.optional(),
  surveyModules: fields.surveyModules.optional(),
  opensAt: fields.opensAt.optional(),
  closesAt: fields.closesAt.optional(),
});

const orgParams = z.object({ orgId: z.string() });
const roundParams = z.object({ roundId: z.string() });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const roundsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/v1/organisations/:orgId/rounds',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['rounds'],
        summary: 'Create a scan round (draft) for an organisation (HR, consultant, API token)',
        params: orgParams,
        body: createBody,
        response: { 201: roundSchema, ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const b = request.body;
      const row = await withTenantScope(app.db, p, async (tx) => {
        const { organisation } = await requireOrganisation(tx, p, request.params.orgId, MANAGE_ROLES);
        return insertRound(
          tx,
          organisation.id,
          {
            name: b.name,
            instrumentId: b.instrumentId,
            modules: b.modules,
            languages: b.languages,
            departments: b.departments ?? [],
            anonymityThreshold: b.anonymityThreshold,
            employeePlacements: b.employeePlacements,
            surveyModules: b.surveyModules,
            opensAt: b.opensAt ?? null,
            closesAt: b.closesAt ?? null,
          },
          p.kind === 'user' ? p.userId : null,
        );
      });
      return reply.code(201).send(toRoundDto(row));
    },
  );

  app.get(
    '/api/v1/organisations/:orgId/rounds',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['rounds'],
        summary: "The organisation's rounds, newest first (directors too)",
        params: orgParams,
        response: { 200: z.object({ rounds: z.array(roundSchema) }), ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const rows = await withTenantScope(app.db, p, async (tx) => {
        const { organisation } = await requireOrganisation(tx, p, request.params.orgId, READ_ROLES);
        return listRounds(tx, organisation.id);
      });
      const now = new Date();
      return { rounds: rows.map((r) => toRoundDto(r, now)) };
    },
  );

  app.get(
    '/api/v1/rounds/:roundId',
    {
      preHandler: app.requireAuth,
      schema: { tags: ['rounds'], summary: 'One round', params: roundParams, response: { 200: roundSchema, ...errors } },
    },
    async (request) => {
      const p = app.principalOf(request);
      const { round } = await withTenantScope(app.db, p, (tx) => requireRound(tx, p, request.params.roundId, READ_ROLES));
      return toRoundDto(round);
    },
  );

  app.patch(
    '/api/v1/rounds/:roundId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['rounds'],
        summary: 'Change a round (only what is safe for its status)',
        description:
          'Draft: every field. Once opened: not instrumentId, modules, anonymityThreshold or employeePlacements (409 round_field_locked), and departments and languages can only be added to.',
        params: roundParams,
        body: patchBody,
        response: { 200: roundSchema, ...errors, 409: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const row = await withTenantScope(app.db, p, async (tx) => {
        await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        const current = await lockRound(tx, request.params.roundId);
        if (!current) throw new NotFoundError('Round');
        return updateRound(tx, current, request.body);
      });
      return toRoundDto(row);
    },
  );

  for (const action of ['open', 'close'] as const) {
    app.post(
      `/api/v1/rounds/:roundId/${action}`,
      {
        preHandler: app.requireAuth,
        schema: {
          tags: ['rounds'],
          summary: action === 'open' ? 'Open a draft round for answering' : 'Close an open round (stops the answers, builds the release, then closes it with the close handlers)',
          params: roundParams,
          response: { 200: roundSchema, ...errors, 409: problemSchema },
        },
      },
      async (request) => {
        const p = app.principalOf(request);
        if (action === 'close') {
          // In stages, each a short tenant-scoped transaction: the release build does not hold the database.
          const run: ScopedRun = (fn) => withTenantScope(app.db, p, fn);
          await run((tx) => requireRound(tx, p, request.params.roundId, MANAGE_ROLES));
          return toRoundDto(await closeRoundStaged(run, request.params.roundId, app.roundHooks.roundClosed));
        }
        const row = await withTenantScope(app.db, p, async (tx) => {
          await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
          return openRound(tx, request.params.roundId);
        });
        return toRoundDto(row);
      },
    );
  }

  app.post(
    '/api/v1/rounds/:roundId/reopen',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['rounds'],
        summary: 'Reopen a closed round, optionally with a new closing date',
        params: roundParams,
        body: z.strictObject({ closesAt: fields.closesAt.optional() }).nullish(),
        response: { 200: roundSchema, ...errors, 409: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const closesAt = request.body?.closesAt;
      const row = await withTenantScope(app.db, p, async (tx) => {
        await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        return reopenRound(tx, request.params.roundId, closesAt !== undefined ? { closesAt } : {});
      });
      return toRoundDto(row);
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/response-rates',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['rounds'],
        summary: 'Invited, started, submitted and response rate per form and department',
        description:
          'A segment with fewer than k (the round\'s anonymity threshold) personal invitations shows no rate (rate null, rateReason fewer_than_k_invitations). See `basis` in the answer for how departments are counted.',
        params: roundParams,
        response: { 200: responseRatesSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      return withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, READ_ROLES);
        return responseRates(tx, round);
      });
    },
  );
};

export default roundsRoutes;
