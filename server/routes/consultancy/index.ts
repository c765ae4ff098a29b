// The consultancy account: branding for the PDF reports (name, accent colour, logo) and its
// consultants. Reports read consultancies.logo, logo_mime and accent_color directly.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actingConsultancy } from '../../auth/consultancy.js';
import { normaliseEmail } from '../../auth/login.js';
import { destroySessionsOfUser } from '../../auth/sessions.js';
import { withAccountScope, withTenantScope } from '../../auth/tenant-scope.js';
import { checkPassword, hashPassword, insertStaffUser } from '../../auth/users.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { decodeLogo } from './logo.js';
import { brandingSchema } from '../../contracts/consultancy.js';

const consultantSchema = z
  .object({ id: z.uuid(), email: z.string(), name: z.string(), createdAt: z.iso.datetime(), disabled: z.boolean() })
  .meta({ id: 'Consultant' });

const query = z.object({ consultancyId: z.uuid().optional().describe('Only needed by a consultant of more than one account') });

const consultancyRoutes: FastifyPluginAsyncZod = async (app) => {
  async function branding(consultancyId: string, p: Parameters<typeof withTenantScope>[1]) {
    const row = await withTenantScope(app.db, p, (tx) =>
      tx
        .selectFrom('consultancies')
        .select(['id', 'name', 'accent_color', 'logo_mime', (eb) => eb.fn<number | null>('octet_length', ['logo']).as('logo_bytes')])
        .where('id', '=', consultancyId)
        .executeTakeFirst(),
    );
    if (!row) throw new NotFoundError('Consultancy');
    const suffix = `?consultancyId=${row.id}`;
    return {
      consultancyId: row.id,
      name: row.name,
      accentColor: row.accent_color,
      logo:
        row.logo_mime && row.logo_bytes !== null
          ? { contentType: row.logo_mime as 'image/png' | 'image/jpeg', bytes: Number(row.logo_bytes), url: `/api/v1/consultancy/branding/logo${suffix}` }
          : null,
    };
  }

  app.get(
    '/api/v1/consultancy/branding',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['consultancy'],
        summary: "The consultancy's report branding (consultants)",
        querystring: query,
        response: { 200: brandingSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      return branding(actingConsultancy(p, request.query.consultancyId), p);
    },
  );

  app.put(
    '/api/v1/consultancy/branding',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['consultancy'],
        summary: 'Set name, accent colour and logo (consultants)',
        description: 'logo: base64 PNG or JPEG of at most 1 MiB (a data: URL is accepted); null removes it; leave it out to keep the current one.',
        querystring: query,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'Expected a colour as #rrggbb' }),
          logo: z.string().max(1_500_000).nullable().optional(),
        }),
        response: { 200: brandingSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const consultancyId = actingConsultancy(p, request.query.consultancyId);
      const b = request.body;
      const logo = typeof b.logo === 'string' ? decodeLogo(b.logo) : b.logo;
      await withTenantScope(app.db, p, async (tx) => {
        const res = await tx
          .updateTable('consultancies')
          .set({
            name: b.name,
            accent_color: b.accentColor.toLowerCase(),
            ...(logo === undefined ? {} : logo === null ? { logo: null, logo_mime: null } : { logo: logo.bytes, logo_mime: logo.mime }),
          })
          .where('id', '=', consultancyId)
          .executeTakeFirst();
        if (res.numUpdatedRows === 0n) throw new NotFoundError('Consultancy');
      });
      return branding(consultancyId, p);
    },
  );

  app.get(
    '/api/v1/consultancy/branding/logo',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['consultancy'],
        summary: 'The logo image (PNG or JPEG)',
        querystring: query,
        response: { 200: z.any().describe('The image bytes'), 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const consultancyId = actingConsultancy(p, request.query.consultancyId);
      const row = await withTenantScope(app.db, p, (tx) =>
        tx.selectFrom('consultancies').select(['logo', 'logo_mime']).where('id', '=', consultancyId).executeTakeFirst(),
      );
      if (!row?.logo || !row.logo_mime) throw new NotFoundError('Logo');
      return reply
        .type(row.logo_mime)
        .header('cache-control', 'private, no-cache')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(row.logo));
    },
  );

  app.get(
    '/api/v1/consultancy/consultants',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['consultancy'],
        summary: 'The consultants of the account',
        querystring: query,
        response: { 200: z.object({ consultants: z.array(consultantSchema) }), 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const consultancyId = actingConsultancy(p, request.query.consultancyId);
      const rows = await withTenantScope(app.db, p, (tx) =>
        tx
          .selectFrom('user_roles')
          .innerJoin('users', 'users.id', 'user_roles.user_id')
          .select(['users.id', 'users.email', 'users.name', 'user_roles.created_at', 'users.disabled_at'])
          .where('user_roles.consultancy_id', '=', consultancyId)
          .where('user_roles.role', '=', 'consultant')
          .orderBy('users.name')
          .execute(),
      );
      return {
        consultants: rows.map((r) => ({ id: r.id, email: r.email, name: r.name, createdAt: r.created_at.toISOString(), disabled: r.disabled_at !== null })),
      };
    },
  );

  app.post(
    '/api/v1/consultancy/consultants',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['consultancy'],
        summary: 'Add a consultant colleague with an initial password (consultants)',
        querystring: query,
        body: z.strictObject({
          email: z.email().max(254),
          name: z.string().trim().min(1).max(200),
          password: z.string().max(1024).describe('Initial password, at least 12 characters'),
        }),
        response: { 201: consultantSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      if (p.kind !== 'user') throw new ForbiddenError('Only a signed-in consultant can add consultants');
      const consultancyId = actingConsultancy(p, request.query.consultancyId);
      checkPassword(request.body.password);
      // Hashed even for an existing account, so both answers take the same time.
      const passwordHash = await hashPassword(request.body.password);
      const email = normaliseEmail(request.body.email);
      // As the users route: an address that exists in another tenant is not revealed (no 409 across
      // tenants). The existing account gets the consultant role here and keeps its own password; it
      // is looked up in the account scope (by email, across tenants) because a tenant scope cannot see it.
      const existing = await withAccountScope(app.db, (tx) => tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
      const user = await withTenantScope(app.db, p, async (tx) => {
        if (!existing) return { ...(await insertStaffUser(tx, { email, name: request.body.name, passwordHash, role: 'consultant', consultancyId })), linked: false };
        const here = await tx.selectFrom('user_roles').select('id').where('user_id', '=', existing.id).where('consultancy_id', '=', consultancyId).executeTakeFirst();
        if (here) throw new ConflictError('email_taken', 'A user with this email address is already a consultant of this account');
        await tx.insertInto('user_roles').values({ user_id: existing.id, role: 'consultant', consultancy_id: consultancyId }).execute();
        return { id: existing.id, email, linked: true };
      });
      // New privileges for an existing account: its sessions start over.
      if (user.linked) await destroySessionsOfUser(app.db, user.id);
      return reply.code(201).send({ id: user.id, email: user.email, name: request.body.name.trim(), createdAt: new Date().toISOString(), disabled: false });
    },
  );
};

export default consultancyRoutes;
