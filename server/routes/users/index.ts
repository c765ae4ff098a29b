// Staff users of an organisation. Consultants add HR users and directors; HR adds directors.
// No answer ever carries a password hash: only the columns of userSchema are selected.
// An email that already has an account (in whatever tenant) gets the same 201 as a new one: the
// existing account is given the role here and keeps its own password, so nobody can probe which
// addresses exist elsewhere. Only a user already in this organisation answers 409.
// Removing a user ends their sessions and revokes the API tokens they made for the organisation.
// Without a password, a new user is invited: a one-time link by mail (invites.ts) lets them choose one.
// PATCH changes a role (consultants) or disables/enables a user (consultants; HR for directors); a
// disabled user's sessions end and their API tokens stop working (sessions.ts checks disabled_at).
// Every change is an audit event of the organisation.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { READ_ROLES, requireOrganisation } from '../../auth/access.js';
import { withAccountScope, withTenantScope } from '../../auth/tenant-scope.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { recordOrganisationAccess } from '../../audit/record.js';
import { createInvite, findInvite, INVITE_PATH, INVITED_PASSWORD, sendInviteMail } from './invites.js';
import { revokeTokensOfUser } from '../../auth/api-tokens.js';
import { normaliseEmail } from '../../auth/login.js';
import { destroySessionsOfUser } from '../../auth/sessions.js';
import { checkPassword, hashPassword, insertStaffUser } from '../../auth/users.js';
import { ConflictError, ForbiddenError, GoneError, NotFoundError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { organisationUserCreateSchema, organisationUserPatchSchema, organisationUserSchema } from '../../contracts/users.js';

type UserRow = { id: string; email: string; name: string; role: string; created_at: Date; disabled_at: Date | null; pending: boolean | number };
const toUser = (r: UserRow) => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as 'hr' | 'director',
  createdAt: r.created_at.toISOString(),
  disabled: r.disabled_at !== null,
  pending: Boolean(r.pending),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  // Account work (lookups by email across tenants, password state, sessions, invitations): the
  // documented account scope (withAccountScope), never the tenant's data.
  const account = <T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T> => withAccountScope(app.db, fn);
  /**
   * Which of these users have not chosen a password yet. On the owner connection: the app role may not
   * read password_hash at all, and only the comparison with the marker leaves the database.
   */
  async function pendingIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await account((db) => db.selectFrom('users').select('id').where('id', 'in', ids).where('password_hash', '=', INVITED_PASSWORD).execute());
    return new Set(rows.map((r) => r.id));
  }

  /** The invitation mail of a user to an organisation, in the consultancy's branding. */
  async function sendInvite(userId: string, token: string, language: 'nl' | 'en', org: { id: string; name: string; consultancy_id: string }, inviter?: string) {
    const [user, consultancy, grant] = await account((db) =>
      Promise.all([
        db.selectFrom('users').select(['email', 'name']).where('id', '=', userId).executeTakeFirstOrThrow(),
        db.selectFrom('consultancies').select(['name', 'accent_color']).where('id', '=', org.consultancy_id).executeTakeFirstOrThrow(),
        db.selectFrom('user_roles').select('role').where('user_id', '=', userId).where('organisation_id', '=', org.id).executeTakeFirstOrThrow(),
      ]),
    );
    return sendInviteMail(
      app,
      {
        language,
        to: user.email,
        name: user.name,
        role: grant.role as 'hr' | 'director',
        organisationName: org.name,
        consultancyName: consultancy.name,
        accentColor: consultancy.accent_color,
        inviterName: inviter ?? consultancy.name,
        link: `${app.config.publicUrl}${INVITE_PATH}${token}`,
      },
      { consultancyId: org.consultancy_id, organisationId: org.id },
    );
  }

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
      const pending = await pendingIds(rows.map((r) => r.id));
      return { users: rows.map((r) => toUser({ ...r, pending: pending.has(r.id) })) };
    },
  );

  app.post(
    '/api/v1/organisations/:id/users',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['users'],
        summary: 'Add an HR user or director (consultants; HR may add directors)',
        description: 'Without a password the user is invited: a one-time link by mail (valid 7 days) lets them choose one.',
        params: z.object({ id: z.string() }),
        body: organisationUserCreateSchema,
        response: { 201: organisationUserSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const b = request.body;
      if (b.password !== undefined) checkPassword(b.password);
      // Scope first (404/403 before spending a password hash), then hash outside the transaction.
      const { roles } = await withTenantScope(app.db, p, (tx) => requireOrganisation(tx, p, request.params.id, ['consultant', 'hr']));
      if (b.role === 'hr' && !roles.includes('consultant')) throw new ForbiddenError('Only a consultant can add HR users');
      // Hashed even for an existing account, so both answers take the same time.
      const passwordHash = b.password !== undefined ? await hashPassword(b.password) : INVITED_PASSWORD;
      const email = normaliseEmail(b.email);
      // On the owner connection: an account of another tenant is invisible inside the scope.
      const existing = await account((db) => db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst());
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
          return { id: existing.id, linked: true, created_at: grant.created_at, organisation: null };
        }
        const user = await insertStaffUser(tx, { email, name: b.name, passwordHash, role: b.role, organisationId: organisation.id });
        const row = await tx
          .selectFrom('user_roles')
          .select('created_at')
          .where('user_id', '=', user.id)
          .where('organisation_id', '=', organisation.id)
          .executeTakeFirstOrThrow();
        return { id: user.id, linked: false, created_at: row.created_at, organisation };
      });
      // New privileges for an existing account: its sessions start over.
      if (created.linked) await destroySessionsOfUser(app.db, created.id);
      const org = created.organisation ?? (await withTenantScope(app.db, p, (tx) => tx.selectFrom('organisations').select(['id', 'name', 'consultancy_id']).where('id', '=', request.params.id).executeTakeFirstOrThrow()));
      const invited = !created.linked && b.password === undefined;
      if (invited) {
        const token = await createInvite(app.db, created.id, p.kind === 'user' ? p.userId : null);
        await sendInvite(created.id, token, b.language, org, p.kind === 'user' ? p.name : undefined);
      }
      await recordOrganisationAccess(app.db, request, 'user.invite', org, `${invited ? 'invited' : 'added'} ${b.role} ${email}`);
      // The answer shows what was asked, never the stored name or state of an existing account.
      return reply.code(201).send({
        id: created.id,
        email,
        name: b.name,
        role: b.role,
        createdAt: created.created_at.toISOString(),
        disabled: false,
        pending: !created.linked && b.password === undefined,
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
        return organisation;
      });
      if (removed) {
        const who = await account((db) => db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst());
        await recordOrganisationAccess(app.db, request, 'user.remove', removed, who?.email ?? userId);
        // On the owner connection: sessions are not reachable inside the scope, and roles in other
        // tenants are invisible there. Fewer privileges: the user's sessions start over.
        await account(async (db) => {
          await destroySessionsOfUser(db, userId);
          const gone = await db
            .selectFrom('users')
            .select('id')
            .where('id', '=', userId)
            .where(({ not, exists, selectFrom }) => not(exists(selectFrom('user_roles').select('user_roles.id').whereRef('user_roles.user_id', '=', 'users.id'))))
            .executeTakeFirst();
          if (gone) await revokeTokensOfUser(db, userId);
          await db
            .deleteFrom('users')
            .where('id', '=', userId)
            .where(({ not, exists, selectFrom }) => not(exists(selectFrom('user_roles').select('user_roles.id').whereRef('user_roles.user_id', '=', 'users.id'))))
            .execute();
        });
      }
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/api/v1/organisations/:id/users/:userId',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['users'],
        summary: "Change a user's role (consultants) or disable/enable the user (consultants; HR for directors)",
        description:
          "A disabled user cannot sign in, their sessions end and their API tokens stop working. An account that also has access elsewhere cannot be disabled here (409 user_shared): remove its access instead.",
        params: z.object({ id: z.string(), userId: z.string() }),
        body: organisationUserPatchSchema,
        response: { 200: organisationUserSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      const { userId } = request.params;
      const b = request.body;
      const { organisation, grants } = await withTenantScope(app.db, p, async (tx) => {
        const { organisation, roles } = await requireOrganisation(tx, p, request.params.id, ['consultant', 'hr']);
        if (!UUID.test(userId)) throw new NotFoundError('User');
        const grants = await tx.selectFrom('user_roles').select(['id', 'role']).where('user_id', '=', userId).where('organisation_id', '=', organisation.id).execute();
        if (grants.length === 0) throw new NotFoundError('User');
        const consultant = roles.includes('consultant');
        if (b.role !== undefined && !consultant) throw new ForbiddenError('Only a consultant can change roles');
        if (!consultant && grants.some((g) => g.role !== 'director')) throw new ForbiddenError('Only a consultant can change HR users');
        if (p.kind === 'user' && p.userId === userId) throw new ConflictError('own_account', 'You cannot change or disable your own account');
        return { organisation, grants };
      });
      if (b.disabled === true) {
        // disabled_at is the account's, in every tenant: only an account that lives in this organisation alone.
        const elsewhere = await account((db) =>
          db
            .selectFrom('user_roles')
            .select('id')
            .where('user_id', '=', userId)
            .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '<>', organisation.id)]))
            .executeTakeFirst(),
        );
        if (elsewhere) throw new ConflictError('user_shared', 'This account also has access elsewhere; remove its access to this organisation instead');
      }
      const changes: string[] = [];
      await withTenantScope(app.db, p, async (tx) => {
        if (b.role !== undefined && grants.some((g) => g.role !== b.role)) {
          const [keep, ...rest] = grants;
          if (rest.length > 0) await tx.deleteFrom('user_roles').where('id', 'in', rest.map((g) => g.id)).execute();
          await tx.updateTable('user_roles').set({ role: b.role }).where('id', '=', keep!.id).execute();
          changes.push(`role ${b.role}`);
        }
        if (b.disabled === true) await revokeTokensOfUser(tx, userId, { organisationId: organisation.id });
      });
      if (b.disabled !== undefined) {
        const res = await account((db) =>
          db
            .updateTable('users')
            .set({ disabled_at: b.disabled ? new Date() : null })
            .where('id', '=', userId)
            .where('disabled_at', b.disabled ? 'is' : 'is not', null)
            .executeTakeFirst(),
        );
        if (Number(res.numUpdatedRows) > 0) changes.push(b.disabled ? 'disabled' : 'enabled');
      }
      // Changed privileges: the user's sessions start over (a disabled user's end for good).
      if (changes.length > 0) {
        await destroySessionsOfUser(app.db, userId);
        const who = await account((db) => db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow());
        await recordOrganisationAccess(app.db, request, 'user.update', organisation, `${who.email}: ${changes.join(', ')}`);
      }
      const row = await withTenantScope(app.db, p, (tx) =>
        tx
          .selectFrom('user_roles')
          .innerJoin('users', 'users.id', 'user_roles.user_id')
          .select(['users.id', 'users.email', 'users.name', 'user_roles.role', 'user_roles.created_at', 'users.disabled_at'])
          .where('user_roles.user_id', '=', userId)
          .where('user_roles.organisation_id', '=', organisation.id)
          .executeTakeFirstOrThrow(),
      );
      return toUser({ ...row, pending: (await pendingIds([row.id])).has(row.id) });
    },
  );

  app.post(
    '/api/v1/organisations/:id/users/:userId/invitation',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['users'],
        summary: 'Send a new invitation link to a user who has not chosen a password yet (earlier links stop working)',
        params: z.object({ id: z.string(), userId: z.string() }),
        body: z.strictObject({ language: z.enum(['nl', 'en']).default('nl') }).optional(),
        response: { 202: z.object({ sent: z.boolean() }), 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      const { userId } = request.params;
      const organisation = await withTenantScope(app.db, p, async (tx) => {
        const { organisation, roles } = await requireOrganisation(tx, p, request.params.id, ['consultant', 'hr']);
        if (!UUID.test(userId)) throw new NotFoundError('User');
        const grants = await tx.selectFrom('user_roles').select('role').where('user_id', '=', userId).where('organisation_id', '=', organisation.id).execute();
        if (grants.length === 0) throw new NotFoundError('User');
        if (!roles.includes('consultant') && grants.some((g) => g.role !== 'director')) throw new ForbiddenError('Only a consultant can invite HR users');
        return organisation;
      });
      const user = await account((db) => db.selectFrom('users').select(['password_hash', 'disabled_at', 'email']).where('id', '=', userId).executeTakeFirstOrThrow());
      if (user.password_hash !== INVITED_PASSWORD || user.disabled_at) throw new ConflictError('not_pending', 'This user has already chosen a password or is disabled');
      const token = await createInvite(app.db, userId, p.kind === 'user' ? p.userId : null);
      const sent = await sendInvite(userId, token, request.body?.language ?? 'nl', organisation, p.kind === 'user' ? p.name : undefined);
      await recordOrganisationAccess(app.db, request, 'user.invite', organisation, `invitation again ${user.email}`);
      return reply.code(202).send({ sent });
    },
  );

  // The invitee's side: no session. The token travels in the body, never in a URL the API logs.
  app.post(
    '/api/v1/invitations/staff/lookup',
    {
      schema: {
        tags: ['users'],
        summary: 'Who an invitation link is for (name and email), while it is open',
        body: z.strictObject({ token: z.string().max(100) }),
        response: { 200: z.object({ name: z.string(), email: z.string() }), 400: problemSchema, 410: problemSchema },
      },
    },
    async (request) => {
      const invite = await findInvite(app.db, request.body.token);
      if (!invite) throw new GoneError('invitation_closed', 'This invitation link has been used, has expired or is no longer valid');
      return { name: invite.name, email: invite.email };
    },
  );

  app.post(
    '/api/v1/invitations/staff/accept',
    {
      schema: {
        tags: ['users'],
        summary: 'Choose a password through an invitation link (once); then sign in as usual',
        body: z.strictObject({ token: z.string().max(100), password: z.string().max(1024) }),
        response: { 204: z.null(), 400: problemSchema, 410: problemSchema },
      },
    },
    async (request, reply) => {
      const invite = await findInvite(app.db, request.body.token);
      if (!invite) throw new GoneError('invitation_closed', 'This invitation link has been used, has expired or is no longer valid');
      checkPassword(request.body.password);
      const passwordHash = await hashPassword(request.body.password);
      const spent = await account(async (tx) => {
        const res = await tx.updateTable('staff_invites').set({ used_at: new Date() }).where('id', '=', invite.id).where('used_at', 'is', null).executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return false;
        await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', invite.user_id).where('password_hash', '=', INVITED_PASSWORD).execute();
        return true;
      });
      if (!spent) throw new GoneError('invitation_closed', 'This invitation link has been used, has expired or is no longer valid');
      return reply.code(204).send(null);
    },
  );
};

export default usersRoutes;
