// Staff users of an organisation. Consultants add HR users and directors; HR adds directors.
// No answer ever carries a password hash: only the columns of userSchema are selected.
// An email that already has an account (in whatever tenant) gets the same 201 as a new one: the
// existing account is given the role here and keeps its own password, so nobody can probe which
// addresses exist elsewhere. Only a user already in this organisation answers 409.
// Removing a user ends their sessions and revokes the API tokens they made for the organisation.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { READ_ROLES, requireOrganisation } from '../../auth/access.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { revokeTokensOfUser } from '../../auth/api-tokens.js';
import { normaliseEmail } from '../../auth/login.js';
import { destroySessionsOfUser } from '../../auth/sessions.js';
import { checkPassword, hashPassword, insertStaffUser } from '../../auth/users.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';

const orgRole = z.enum(['hr', 'director']);

export const organisationUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: orgRole,
    createdAt: z.iso.datetime(),
    disabled: z.boolean(),
  })
  .meta({ id: 'OrganisationUser' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/organisations/:id/users',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['users'],
        summary: 'HR users and directors of an organisation',
        params: z.object({ id: z.string() }),
        response: { 200: z.object({ users: z.array(organisationUserSchema) }), 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const rows = await withTenantScope(app.db, p, async (tx) => {
        const { organisation } = await requireOrganisation(tx, p, request.params.id, READ_ROLES);
        return tx
          .selectFrom('user_roles')
          .innerJoin('users', 'users.id', 'user_roles.user_id')
          .select(['users.id', 'users.email', 'users.name', 'user_roles.role', 'user_roles.created_at', 'users.disabled_at'])
          .where('user_roles.organisation_id', '=', organisation.id)
          .orderBy('user_roles.role', 'desc')
          .orderBy('users.name')
          .execute();
      });
      return {
        users: rows.map((r) => ({
          id: r.id,
          email: r.email,
          name: r.name,
          role: r.role as 'hr' | 'director',
          createdAt: r.created_at.toISOString(),
          disabled: r.disabled_at !== null,
        })),
      };
    },
  );

  app.post(
    '/api/v1/organisations/:id/users',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['users'],
        summary: 'Add an HR user or director with an initial password (consultants; HR may add directors)',
        params: z.object({ id: z.string() }),
        body: z.strictObject({
          email: z.email().max(254),
          name: z.string().trim().min(1).max(200),
          password: z.string().max(1024).describe('Initial password, at least 12 characters'),
          role: orgRole,
        }),
        response: { 201: organisationUserSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const b = request.body;
      checkPassword(b.password);
      // Scope first (404/403 before spending a password hash), then hash outside the transaction.
      const { roles } = await withTenantScope(app.db, p, (tx) => requireOrganisation(tx, p, request.params.id, ['consultant', 'hr']));
      if (b.role === 'hr' && !roles.includes('consultant')) throw new ForbiddenError('Only a consultant can add HR users');
      // Hashed even for an existing account, so both answers take the same time.
      const passwordHash = await hashPassword(b.password);
      const email = normaliseEmail(b.email);
      // On the owner connection: an account of another tenant is invisible inside the scope.
      const existing = await app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
      const created = await withTenantScope(app.db, p, async (tx) => {
        const { organisation } = await requireOrganisation(tx, p, request.params.id, ['consultant', 'hr']);
        if (existing) {
          const here = await tx.selectFrom('user_roles').select('id').where('user_id', '=', existing.id).where('organisation_id', '=', organisation.id).executeTakeFirst();
          if (here) throw new ConflictError('email_taken', 'A user with this email address already has access to this organisation');
          const grant = await tx
            .insertInto('user_roles')
            .values({ user_id: existing.id, role: b.role, organisation_id: organisation.id })
            .returning('created_at')
            .executeTakeFirstOrThrow();
          return { id: existing.id, linked: true, created_at: grant.created_at };
        }
        const user = await insertStaffUser(tx, { email, name: b.name, passwordHash, role: b.role, organisationId: organisation.id });
        const row = await tx
          .selectFrom('user_roles')
          .select('created_at')
          .where('user_id', '=', user.id)
          .where('organisation_id', '=', organisation.id)
          .executeTakeFirstOrThrow();
        return { id: user.id, linked: false, created_at: row.created_at };
      });
      // New privileges for an existing account: its sessions start over.
      if (created.linked) await destroySessionsOfUser(app.db, created.id);
      // The answer shows what was asked, never the stored name or state of an existing account.
      return reply.code(201).send({
        id: created.id,
        email,
        name: b.name,
        role: b.role,
        createdAt: created.created_at.toISOString(),
        disabled: false,
      });
    },
  );

  app.delete(
    '/api/v1/organisations/:id/users/:userId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['users'],
        summary: "Remove a user's access to the organisation (consultants; HR may remove directors)",
        description: 'A user with no access left anywhere is deleted.',
        params: z.object({ id: z.string(), userId: z.string() }),
        response: { 204: z.null(), 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const { userId } = request.params;
      const removed = await withTenantScope(app.db, p, async (tx) => {
        const { organisation, roles } = await requireOrganisation(tx, p, request.params.id, ['consultant', 'hr']);
        if (!UUID.test(userId)) throw new NotFoundError('User');
        const grants = await tx
          .selectFrom('user_roles')
          .select(['id', 'role'])
          .where('user_id', '=', userId)
          .where('organisation_id', '=', organisation.id)
          .execute();
        if (grants.length === 0) throw new NotFoundError('User');
        if (!roles.includes('consultant') && grants.some((g) => g.role !== 'director')) {
          throw new ForbiddenError('Only a consultant can remove HR users');
        }
        await tx.deleteFrom('user_roles').where('id', 'in', grants.map((g) => g.id)).execute();
        await revokeTokensOfUser(tx, userId, { organisationId: organisation.id });
        return true;
      });
      if (removed) {
        // On the owner connection: sessions are not reachable inside the scope, and roles in other
        // tenants are invisible there. Fewer privileges: the user's sessions start over.
        await destroySessionsOfUser(app.db, userId);
        const gone = await app.db
          .selectFrom('users')
          .select('id')
          .where('id', '=', userId)
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom('user_roles').select('user_roles.id').whereRef('user_roles.user_id', '=', 'users.id'))))
          .executeTakeFirst();
        if (gone) await revokeTokensOfUser(app.db, userId);
        await app.db
          .deleteFrom('users')
          .where('id', '=', userId)
          .where(({ not, exists, selectFrom }) => not(exists(selectFrom('user_roles').select('user_roles.id').whereRef('user_roles.user_id', '=', 'users.id'))))
          .execute();
      }
      return reply.code(204).send(null);
    },
  );
};

export default usersRoutes;
