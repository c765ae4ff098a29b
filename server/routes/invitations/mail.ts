// Mail the platform sends for a round: invitation settings (who sends the links, headcounts),
// reminders (now or scheduled), the status of each mail batch, and the Outbox (messages as stored by
// the outbox transport). No staff route returns a link, except the Outbox's message view in outbox
// mode, where nothing is sent and the stored message is the only place the link exists.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MANAGE_ROLES, requireRound, rolesInOrganisation, visibleOrganisationsFilter } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { cancelScheduledBatch, listMailBatches, outboxSelect, scheduleReminder, toOutboxDto } from '../../mail/batches.js';
import { FORMS } from '../../../scans/index.js';
import { headcountsSchema, invitationSettingsSchema, mailBatchSchema, outboxMessageSchema } from '../../contracts/invitations.js';
import { roundIdParamsSchema } from '../../contracts/rounds.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const mailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/rounds/:roundId/invitations/settings',
    {
      preHandler: app.requireAuth,
      schema: { tags: ['invitations'], summary: 'Who sends the personal links, and headcounts for shared links', params: roundIdParamsSchema, response: { 200: invitationSettingsSchema, ...errors } },
    },
    async (request) => {
      const p = app.principalOf(request);
      const round = await withTenantScope(app.db, p, async (tx) => (await requireRound(tx, p, request.params.roundId, MANAGE_ROLES)).round);
      return { selfSendLinks: round.self_send_links, headcounts: round.headcounts, mailTransport: app.mail.transportKind };
    },
  );

  app.put(
    '/api/v1/rounds/:roundId/invitations/settings',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'Change who sends the personal links, or the headcounts',
        description:
          'selfSendLinks true ("we send the links ourselves") makes personal uploads answer with the links for a mail merge: whoever handles that file can open any named person\'s questionnaire. ' +
          'It can only change while the round has no personal invitations. Headcount departments must be the round\'s departments.',
        params: roundIdParamsSchema,
        body: z.strictObject({ selfSendLinks: z.boolean().optional(), headcounts: headcountsSchema.optional() }),
        response: { 200: invitationSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const round = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        const { selfSendLinks, headcounts } = request.body;
        if (selfSendLinks !== undefined && selfSendLinks !== round.self_send_links) {
          const any = await tx.selectFrom('invitations').select('id').where('round_id', '=', round.id).where('kind', '=', 'personal').limit(1).executeTakeFirst();
          if (any) throw new AppError(409, 'invitations_exist', 'Who sends the links can only change before the first personal invitation', [{ path: 'body.selfSendLinks', message: 'The round already has personal invitations' }]);
        }
        if (headcounts) {
          const bad = Object.entries(headcounts).flatMap(([form, byDept]) =>
            Object.keys(byDept ?? {}).filter((d) => !round.departments.includes(d)).map((d) => ({ path: `body.headcounts.${form}.${d}`, message: `Not one of the round's departments (${round.departments.join(', ') || 'none'})` })),
          );
          if (bad.length) throw new AppError(400, 'validation_failed', 'Unknown department in headcounts', bad);
        }
        return tx
          .updateTable('rounds')
          .set({
            ...(selfSendLinks !== undefined ? { self_send_links: selfSendLinks } : {}),
            ...(headcounts ? { headcounts: JSON.stringify(headcounts) } : {}),
          })
          .where('id', '=', round.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return { selfSendLinks: round.self_send_links, headcounts: round.headcounts, mailTransport: app.mail.transportKind };
    },
  );

  app.post(
    '/api/v1/rounds/:roundId/reminders',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'Send a reminder now, at a moment, or a number of days before closing',
        description:
          'Goes, at that moment, to every personal invitation (of the form, if given) that has not been submitted and not withdrawn. Someone who has not started gets a new link (the old one stops working); someone who started is asked to continue with their link. ' +
          'The answer and the batch say how many were reminded, never who. Give at most one of `at` and `daysBeforeClose`; neither means now.',
        params: roundIdParamsSchema,
        body: z
          .strictObject({
            at: z.iso.datetime({ offset: true }).optional(),
            daysBeforeClose: z.number().int().min(1).max(90).optional(),
            form: z.enum(FORMS).optional(),
          })
          .refine((b) => !(b.at && b.daysBeforeClose), { message: 'Give at most one of at and daysBeforeClose', path: ['daysBeforeClose'] })
          .nullish(),
        response: { 201: mailBatchSchema, ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const body = request.body ?? {};
      const batch = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        if (round.self_send_links) throw new AppError(409, 'links_sent_by_round', 'This round sends its own links: remind people with a new mail merge (reissue)');
        const made = await scheduleReminder(tx, round, { at: body.at ? new Date(body.at) : null, daysBeforeClose: body.daysBeforeClose ?? null, form: body.form ?? null }, p.kind === 'user' ? p.userId : null);
        return { made, dto: (await listMailBatches(tx, round.id, made.id))[0]! };
      });
      app.mail.kick(batch.made.scheduledFor);
      return reply.code(201).send(batch.dto);
    },
  );

  app.get(
    '/api/v1/rounds/:roundId/mail-batches',
    {
      preHandler: app.requireAuth,
      schema: { tags: ['invitations'], summary: 'Invitation and reminder batches of a round with their status', params: roundIdParamsSchema, response: { 200: z.object({ batches: z.array(mailBatchSchema) }), ...errors } },
    },
    async (request) => {
      const p = app.principalOf(request);
      const batches = await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        return listMailBatches(tx, round.id);
      });
      return { batches };
    },
  );

  app.delete(
    '/api/v1/rounds/:roundId/mail-batches/:batchId',
    {
      preHandler: app.requireAuth,
      schema: { tags: ['invitations'], summary: 'Cancel a scheduled reminder', params: z.object({ roundId: z.string(), batchId: z.string() }), response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      await withTenantScope(app.db, p, async (tx) => {
        const { round } = await requireRound(tx, p, request.params.roundId, MANAGE_ROLES);
        await cancelScheduledBatch(tx, round.id, request.params.batchId);
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/outbox',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'Messages the platform sent or queued, newest first (consultants and HR)',
        description: 'Reminders show no recipient. Message bodies are stored only by the outbox transport (MAIL_TRANSPORT=outbox, where nothing is sent).',
        querystring: z.object({ roundId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(500).default(200) }),
        response: { 200: z.object({ transport: z.enum(['outbox', 'smtp']), messages: z.array(outboxMessageSchema) }), ...errors },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const rows = await withTenantScope(app.db, p, async (tx) => {
        let q = outboxSelect(tx).where(visibleOrganisationsFilter(p));
        if (request.query.roundId) q = q.where('mail_messages.round_id', '=', request.query.roundId);
        return q.orderBy('mail_messages.created_at', 'desc').orderBy('mail_messages.to_address').limit(request.query.limit).execute();
      });
      const allowed = rows.filter((r) => rolesInOrganisation(p, { id: r.organisation_id, consultancy_id: r.consultancy_id }).some((x) => MANAGE_ROLES.includes(x)));
      return { transport: app.mail.transportKind, messages: allowed.map(toOutboxDto) };
    },
  );

  app.get(
    '/api/v1/outbox/:messageId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['invitations'],
        summary: 'One stored message (outbox transport only)',
        description: 'Outbox mode stores what would have been sent, including the personal link: it is meant for trying the platform out, not for a real round.',
        params: z.object({ messageId: z.string() }),
        response: { 200: outboxMessageSchema.extend({ text: z.string(), html: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      if (!UUID.test(request.params.messageId)) throw new NotFoundError('Message');
      const row = await withTenantScope(app.db, p, async (tx) =>
        outboxSelect(tx).select(['mail_messages.text_body', 'mail_messages.html_body']).where('mail_messages.id', '=', request.params.messageId).where(visibleOrganisationsFilter(p)).executeTakeFirst(),
      );
      if (!row || !rolesInOrganisation(p, { id: row.organisation_id, consultancy_id: row.consultancy_id }).some((x) => MANAGE_ROLES.includes(x))) throw new NotFoundError('Message');
      if (row.transport !== 'outbox' || row.text_body === null || row.html_body === null) throw new NotFoundError('Message body (only the outbox transport stores it)');
      reply.header('cache-control', 'no-store');
      return { ...toOutboxDto(row), text: row.text_body, html: row.html_body };
    },
  );
};

export default mailRoutes;
