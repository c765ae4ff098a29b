// Sign-in, sign-out and "who am I" for staff. The session lives in the database; the browser holds a
// random token in an HttpOnly, SameSite=Lax cookie and sends the CSRF token from the login answer in
// the x-csrf-token header on unsafe requests.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roleGrantsOf } from '../../auth/identity.js';
import { mfaChallengeSchema, staffSessionSchema, tokenIdentitySchema } from '../../contracts/auth.js';
import { authenticate, InvalidCredentialsError } from '../../auth/login.js';
import { createChallenge, mfaEnabled, mfaRequiredFor } from '../../auth/mfa.js';
import { checkPassword } from '../../auth/users.js';
import mfaRoutes from './mfa.js';
import { withAccountScope } from '../../auth/tenant-scope.js';
import { hashPassword } from '../../lib/crypto.js';
import { ForbiddenError, ValidationFailedError } from '../../lib/errors.js';
import { createSession, destroySession, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from '../../auth/sessions.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { sessionCookieOptions } from '../../plugins/auth.js';

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const secure = app.config.COOKIE_SECURE === true || app.config.publicUrl.startsWith('https:');
  const sessionAnswer = async (userId: string, csrfToken: string) => {
    const user = await withAccountScope(app.db, (tx) => tx.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', userId).executeTakeFirstOrThrow());
    return { kind: 'user' as const, user, roles: await roleGrantsOf(app.db, userId), csrfToken, mfaSetupRequired: await mfaSetupRequired(userId) };
  };
  const mfaSetupRequired = async (userId: string) => !(await mfaEnabled(app.db, userId)) && (await mfaRequiredFor(app.db, userId));
  await app.register(mfaRoutes, { secure, sessionAnswer });

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        description:
          'Sign-in limits (429 with Retry-After): 5 failed tries a minute per account and address, 5 per account and 10 per address across accounts; the last two spare an account at an address it signed in from before. Unknown email and wrong password get the same 401. With two-factor sign-in on, the answer is a challenge for POST /api/v1/auth/login/mfa instead of a session.',
        body: z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
        response: { 200: z.union([staffSessionSchema, mfaChallengeSchema]), 400: problemSchema, 401: problemSchema, 429: problemSchema },
      },
    },
    async (request, reply) => {
      const userId = await authenticate(app.db, { email: request.body.email, password: request.body.password, ip: request.ip });
      reply.header('cache-control', 'no-store');
      // Two-factor sign-in on: no session yet, a challenge for the second step.
      if (await mfaEnabled(app.db, userId)) {
        return { kind: 'mfa_required' as const, challenge: await createChallenge(app.db, userId), methods: ['totp' as const, 'recovery_code' as const] };
      }
      // A session the browser held before signing in is never carried over (session fixation).
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await destroySession(app.db, previous);
      const { token, csrfToken } = await createSession(app.db, userId);
      reply.setCookie(SESSION_COOKIE, token, { ...sessionCookieOptions(secure), maxAge: SESSION_ABSOLUTE_MS / 1000 });
      return sessionAnswer(userId, csrfToken);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends the session and clears the cookie (needs x-csrf-token)',
        response: { 204: z.null(), 401: problemSchema, 403: problemSchema },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await destroySession(app.db, token);
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(secure));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Change your own password; ends your other sessions (needs x-csrf-token)',
        description: 'Wrong current passwords count towards the sign-in rate limit.',
        body: z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().max(1024) }),
        response: { 204: z.null(), 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      if (p.kind !== 'user') throw new ForbiddenError('Only signed-in users have a password');
      checkPassword(request.body.newPassword, 'body.newPassword');
      try {
        await authenticate(app.db, { email: p.email, password: request.body.currentPassword, ip: request.ip });
      } catch (err) {
        if (err instanceof InvalidCredentialsError) {
          throw new ValidationFailedError('The current password is wrong', [{ path: 'body.currentPassword', message: 'Wrong password' }]);
        }
        throw err;
      }
      const hash = await hashPassword(request.body.newPassword);
      await withAccountScope(app.db, async (tx) => {
        await tx.updateTable('users').set({ password_hash: hash }).where('id', '=', p.userId).execute();
        await tx.deleteFrom('sessions').where('user_id', '=', p.userId).where('id', '<>', p.sessionId).execute();
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'The caller: user, roles and CSRF token (or the API token binding)',
        response: { 200: z.union([staffSessionSchema, tokenIdentitySchema]), 401: problemSchema },
      },
    },
    async (request, reply) => {
      const p = app.principalOf(request);
      reply.header('cache-control', 'no-store');
      if (p.kind === 'token') {
        return { kind: 'token' as const, tokenId: p.tokenId, consultancyId: p.consultancyId, organisationId: p.organisationId };
      }
      return {
        kind: 'user' as const,
        user: { id: p.userId, email: p.email, name: p.name },
        roles: await roleGrantsOf(app.db, p.userId),
        csrfToken: p.csrfToken,
        mfaSetupRequired: p.mfaSetupRequired === true,
      };
    },
  );
};

export default authRoutes;
