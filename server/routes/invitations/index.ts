// Invitation links of a round (HR, consultant, API token): a shared link per form with an optional
// cap, personal links from an uploaded CSV of email addresses (answered as CSV for a mail merge, or
// JSON), reissue for reminders, list and revoke. Plain links appear only in the answer that makes them.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MANAGE_ROLES, requireRound } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { boundedTextParser } from '../../lib/bounded-body.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { ConflictError } from '../../lib/errors.js';
import {
  createPersonalInvitations,
  queueInvitationMails,
  createSharedInvitation,
  linksCsv,
  MAX_INVITATIONS_PER_UPLOAD,
  listInvitations,
  reissuePersonalInvitations,
  revokeInvitation,
  surveyLink,
  toInvitationDto,
  type IssuedLink,
} from '../../rounds/invitations.js';
import { FORMS } from '../../../scans/index.js';
import mailRoutes from './mail.js';
import posterRoutes from './poster.js';
import { formQuerySchema, invitationSchema, issuedLinkSchema, linksCsvSchema, personalInvitationsResultSchema } from '../../contracts/invitations.js';
import { roundIdParamsSchema } from '../../contracts/rounds.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

/** CSV when the client asks for text/csv and does not prefer JSON. */
function wantsCsv(accept: string | undefined): boolean {
  return !!accept && accept.includes('text/csv') && !accept.includes('application/json');
}

const invitationsRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(mailRoutes);
  await app.register(posterRoutes);
  // The upload body is the CSV text itself.
  // Bytes and lines counted as the CSV streams: a list over the limit is refused before it is parsed.
  app.addContentTypeParser('text/csv', boundedTextParser({ maxBytes: app.config.BODY_LIMIT_BYTES, maxLines: MAX_INVITATIONS_PER_UPLOAD + 100 }));

  const issued = (links: IssuedLink[]) => links.map((l) => ({ ...l, link: surveyLink(app.config.publicUrl, l.token) }));

  app.post(
    '/api/v1/rounds/:roundId/invitations/shared',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'Create a shared link for one form, optionally capped',
        description: 'Respondents open the link and POST /api/v1/survey/{token}/start to get their own respondent token. The plain link is in this answer only.',
        params: roundIdParamsSchema,
        body: z.strictObject({
          form: z.enum(FORMS).default('employee'),
          maxResponses: z.number().int().min(1).max(1_000_000).nullable().default(null).describe('Cap on responses started through the link'),
        }),
        response: { 201: z.object({ invitation: invitationSchema, token: z.string(), link: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const { invitation, token } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        return createSharedInvitation(tx, round, { form: request.body.form, maxResponses: request.body.maxResponses });
      });
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ invitation: toInvitationDto(invitation), token, link: surveyLink(app.config.publicUrl, token) });
    },
  );

  app.post(
    '/api/v1/rounds/:roundId/invitations/personal',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'Personal invitations from a CSV of email addresses (content-type text/csv)',
        description:
          'By default the platform mails each person their own link (delivery platform): the answer holds counts and the mail batch, never a link, and the mails go out once the round is open. ' +
          'Only when the round sends its own links (settings selfSendLinks) does the answer carry the links (JSON, or CSV with `Accept: text/csv`) for a mail merge. ' +
          'One address per line, optionally a department column (must be one of the round\'s departments), with or without a header row. With a header: email, department, role, education, contract, age_band, form (employee/management), language (nl/en). Comma or semicolon. ' +
          'Strict: any problem (with its line) rejects the whole list; duplicates in the list are problems. Addresses already invited for this form are reported in alreadyInvited and get no new link. ' +
          'Answers JSON, or the CSV email,department,form,link itself with `Accept: text/csv`.',
        params: roundIdParamsSchema,
        querystring: formQuerySchema,
        body: z.string().describe('text/csv'),
        response: {
          201: { content: { 'application/json': { schema: personalInvitationsResultSchema }, 'text/csv': { schema: linksCsvSchema } } },
          ...errors,
          415: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const createdBy = p.kind === 'user' ? p.userId : null;
      const { result, selfSend, batch } = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        const selfSend = round.self_send_links;
        if (!selfSend && wantsCsv(request.headers.accept)) {
          throw new ConflictError('links_sent_by_platform', 'This round\'s invitations are mailed by the platform, so there are no links to download. Choose "we send the links ourselves" in the round\'s invitation settings for a mail merge.');
        }
        const result = await createPersonalInvitations(tx, round, request.query.form, request.body, { issueLinks: selfSend });
        const batch = selfSend ? null : await queueInvitationMails(tx, round, result.invitations, createdBy);
        return { result, selfSend, batch };
      });
      if (batch) app.mail.kick();
      reply.header('cache-control', 'no-store');
      if (!selfSend) {
        return reply.code(201).send({ form: result.form, created: result.invitations.length, alreadyInvited: result.alreadyInvited, delivery: 'platform' as const, batchId: batch?.batchId ?? null, invitations: [], csv: null });
      }
      const csv = linksCsv(app.config.publicUrl, result.created);
      if (wantsCsv(request.headers.accept)) {
        return reply
          .code(201)
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="links-${result.form}-${request.params.roundId.slice(0, 8)}.csv"`)
          .header('x-already-invited', String(result.alreadyInvited.length))
          .send(csv);
      }
      return reply.code(201).send({
        form: result.form,
        created: result.created.length,
        alreadyInvited: result.alreadyInvited,
        delivery: 'self' as const,
        batchId: null,
        invitations: issued(result.created),
        csv,
      });
    },
  );

  app.post(
    '/api/v1/rounds/:roundId/invitations/personal/reissue',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'New links for personal invitations not yet started (reminder mail merge; rounds that send their own links only)',
        description: 'Only when the round sends its own links (settings selfSendLinks); otherwise 409 links_sent_by_platform. The old links of those invitations stop working. Invitations already started keep their link.',
        params: roundIdParamsSchema,
        querystring: formQuerySchema,
        response: {
          200: { content: { 'application/json': { schema: z.object({ invitations: z.array(issuedLinkSchema), csv: z.string() }) }, 'text/csv': { schema: linksCsvSchema } } },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const links = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        if (!round.self_send_links) {
          throw new ConflictError('links_sent_by_platform', 'This round\'s invitations are mailed by the platform: send a reminder instead (POST /api/v1/rounds/{roundId}/reminders)');
        }
        return reissuePersonalInvitations(tx, round, request.query.form);
      });
      const csv = linksCsv(app.config.publicUrl, links);
      reply.header('cache-control', 'no-store');
      if (wantsCsv(request.headers.accept)) {
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="links-${request.query.form}-reissued.csv"`).send(csv);
      }
      return { invitations: issued(links), csv };
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/invitations',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'The invitations of a round (no links: only their hashes are stored)',
        params: roundIdParamsSchema,
        querystring: z.object({ kind: z.enum(['shared', 'personal']).optional(), form: z.enum(FORMS).optional() }),
        response: { 200: z.object({ invitations: z.array(invitationSchema) }), ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const rows = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        return listInvitations(tx, round.id, {
          ...(request.query.kind ? { kind: request.query.kind } : {}),
          ...(request.query.form ? { form: request.query.form } : {}),
        });
      });
      return { invitations: rows.map(toInvitationDto) };
    },
  );

  app.post(
    '/api/v1/rounds/:roundId/invitations/:invitationId/revoke',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'Withdraw a link; it stops working at once',
        description: 'Respondents who already started through a shared link keep their own respondent token (it is not linked to the invitation).',
        params: z.object({ roundId: z.string(), invitationId: z.string() }),
        response: { 200: invitationSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const row = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        return revokeInvitation(tx, round.id, request.params.invitationId);
      });
      return toInvitationDto(row);
    },
  );
};

export default invitationsRoutes;
