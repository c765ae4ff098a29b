// Two-factor sign-in (TOTP with recovery codes): the second sign-in step, the user's own set-up, and
// the consultancy's policy that requires it for all its users and the users of its client organisations.
// Every change of the second factor re-issues the caller's session (new cookie and CSRF token) and
// ends their other sessions.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actingConsultancy, isConsultantUser } from '../../auth/consultancy.js';
import { assertNotThrottled, recordFailedAttempt } from '../../auth/login.js';
import {
  challengeUser,
  confirmEnrolment,
  consumeChallenge,
  disableMfa,
  mfaEnabled,
  mfaRequiredFor,
  mfaStatus,
  regenerateRecoveryCodes,
  startEnrolment,
  verifySecondFactor,
} from '../../auth/mfa.js';
import type { Principal } from '../../auth/principal.js';
import { createSession, destroySession, destroySessionsOfUser, reissueSession, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from '../../auth/sessions.js';
import { AppError, ForbiddenError, UnauthorizedError, ValidationFailedError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { mfaCodeBodySchema, mfaStatusSchema } from '../../contracts/auth.js';
import { sessionCookieOptions } from '../../plugins/auth.js';
import { withTenantScope } from '../../auth/tenant-scope.js';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 429: problemSchema };

function wrongCode(): never {
  throw new ValidationFailedError('The code is not right', [{ path: 'body.code', message: 'Wrong or already used code' }]);
}

export interface MfaRouteOptions {
  secure: boolean;
  /** The answer of a completed sign-in (shared with the password route). */
  sessionAnswer: (userId: string, csrfToken: string) => Promise<unknown>;
}

const mfaRoutes: FastifyPluginAsyncZod<MfaRouteOptions> = async (app, opts) => {
  const userOf = (request: FastifyRequest): UserPrincipal => {
    const p = app.principalOf(request);
    if (p.kind !== 'user') throw new ForbiddenError('Two-factor sign-in belongs to signed-in users');
    return p;
  };
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { ...sessionCookieOptions(opts.secure), maxAge: SESSION_ABSOLUTE_MS / 1000 });
  /** Privileges changed: a new token for this session, every other session of the user ends. */
  const reissue = async (reply: FastifyReply, p: UserPrincipal) => {
    const next = await reissueSession(app.db, p.sessionId);
    await destroySessionsOfUser(app.db, p.userId, next.sessionId);
    setCookie(reply, next.token);
    return next.csrfToken;
  };

  app.post(
    '/api/v1/auth/login/mfa',
    {
      schema: {
        tags: ['auth'],
        summary: 'Second sign-in step: the challenge from /auth/login and a code; sets the session cookie',
        description: 'Wrong codes count towards the sign-in rate limit of the account and address. A challenge lasts 5 minutes.',
        body: z.strictObject({ challenge: z.string().min(20).max(200), code: mfaCodeBodySchema.shape.code }),
        response: { 200: z.looseObject({ kind: z.literal('user'), csrfToken: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const who = await challengeUser(app.db, request.body.challenge);
      if (!who) throw new UnauthorizedError('The sign-in has expired; sign in again');
      await assertNotThrottled(app.db, who.email, request.ip);
      const method = await verifySecondFactor(app.db, who.userId, request.body.code);
      if (!method) {
        await recordFailedAttempt(app.db, who.email, request.ip);
        wrongCode();
      }
      await consumeChallenge(app.db, request.body.challenge);
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await destroySession(app.db, previous);
      const { token, csrfToken } = await createSession(app.db, who.userId);
      setCookie(reply, token);
      reply.header('cache-control', 'no-store');
      return opts.sessionAnswer(who.userId, csrfToken) as Promise<{ kind: 'user'; csrfToken: string }>;
    },
  );

  app.get(
    '/api/v1/auth/mfa',
    {
      preHandler: app.requireAuth,
      schema: { tags: ['auth'], summary: 'Your two-factor sign-in: on or off, required, recovery codes left', response: { 200: mfaStatusSchema, ...errors } },
    },
    async (request) => mfaStatus(app.db, userOf(request).userId),
  );

  app.post(
    '/api/v1/auth/mfa/setup',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Start setting up an authenticator app: a new secret, its otpauth URI and a QR code (SVG)',
        description: 'Not in force until confirmed with POST /api/v1/auth/mfa/enable. 409 when two-factor sign-in is already on.',
        response: { 200: z.object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return startEnrolment(app.db, userOf(request).userId);
    },
  );

  app.post(
    '/api/v1/auth/mfa/enable',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Confirm the set-up with a code from the app; answers the recovery codes, shown this once',
        description: 'Re-issues your session (a new cookie and csrfToken) and ends your other sessions.',
        body: mfaCodeBodySchema,
        response: { 200: z.object({ recoveryCodes: z.array(z.string()), csrfToken: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const p = userOf(request);
      await assertNotThrottled(app.db, p.email, request.ip);
      const codes = await confirmEnrolment(app.db, p.userId, request.body.code);
      if (!codes) {
        await recordFailedAttempt(app.db, p.email, request.ip);
        wrongCode();
      }
      const csrfToken = await reissue(reply, p);
      reply.header('cache-control', 'no-store');
      return { recoveryCodes: codes, csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/mfa/recovery-codes',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'New recovery codes (the old ones stop working); needs a current code',
        body: mfaCodeBodySchema,
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...errors },
      },
    },
    async (request, reply) => {
      const p = userOf(request);
      if (!(await mfaEnabled(app.db, p.userId))) throw new AppError(409, 'mfa_not_enabled', 'Two-factor sign-in is off');
      await assertNotThrottled(app.db, p.email, request.ip);
      if (!(await verifySecondFactor(app.db, p.userId, request.body.code))) {
        await recordFailedAttempt(app.db, p.email, request.ip);
        wrongCode();
      }
      reply.header('cache-control', 'no-store');
      return { recoveryCodes: await regenerateRecoveryCodes(app.db, p.userId) };
    },
  );

  app.post(
    '/api/v1/auth/mfa/disable',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor sign-in off; needs a current code (409 when your consultancy requires it)',
        description: 'Re-issues your session (a new cookie and csrfToken) and ends your other sessions.',
        body: mfaCodeBodySchema,
        response: { 200: z.object({ csrfToken: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const p = userOf(request);
      if (!(await mfaEnabled(app.db, p.userId))) throw new AppError(409, 'mfa_not_enabled', 'Two-factor sign-in is off');
      if (await mfaRequiredFor(app.db, p.userId)) throw new AppError(409, 'mfa_required', 'Your organisation requires two-factor sign-in');
      await assertNotThrottled(app.db, p.email, request.ip);
      if (!(await verifySecondFactor(app.db, p.userId, request.body.code))) {
        await recordFailedAttempt(app.db, p.email, request.ip);
        wrongCode();
      }
      await disableMfa(app.db, p.userId);
      return { csrfToken: await reissue(reply, p) };
    },
  );

  const policySchema = z.object({ consultancyId: z.uuid(), requireMfa: z.boolean() }).meta({ id: 'MfaPolicy' });

  app.get(
    '/api/v1/consultancy/mfa-policy',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Whether the consultancy requires two-factor sign-in of all its users (consultants)',
        querystring: z.strictObject({ consultancyId: z.uuid().optional() }),
        response: { 200: policySchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      if (!isConsultantUser(p)) throw new ForbiddenError('Only consultants manage the sign-in policy');
      const consultancyId = actingConsultancy(p, request.query.consultancyId);
      const row = await withTenantScope(app.db, p, (tx) => tx.selectFrom('consultancies').select('require_mfa').where('id', '=', consultancyId).executeTakeFirstOrThrow());
      return { consultancyId, requireMfa: row.require_mfa };
    },
  );

  app.put(
    '/api/v1/consultancy/mfa-policy',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Require two-factor sign-in for every consultant of the account and every user of its client organisations',
        description:
          'Users without it can, from their next request on, only set it up (403 mfa_setup_required elsewhere). To switch it on, you must use it yourself (409 mfa_not_enabled).',
        body: z.strictObject({ requireMfa: z.boolean(), consultancyId: z.uuid().optional() }),
        response: { 200: policySchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request) => {
      const p = app.principalOf(request);
      if (!isConsultantUser(p) || p.kind !== 'user') throw new ForbiddenError('Only consultants manage the sign-in policy');
      const consultancyId = actingConsultancy(p, request.body.consultancyId);
      if (request.body.requireMfa && !(await mfaEnabled(app.db, p.userId))) {
        throw new AppError(409, 'mfa_not_enabled', 'Set up two-factor sign-in for yourself before requiring it of everyone');
      }
      await withTenantScope(app.db, p, (tx) => tx.updateTable('consultancies').set({ require_mfa: request.body.requireMfa }).where('id', '=', consultancyId).execute());
      return { consultancyId, requireMfa: request.body.requireMfa };
    },
  );

};

export default mfaRoutes;
