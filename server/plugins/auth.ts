// Resolves the caller (session cookie or Bearer API token) once per request and guards routes.
// Cookie-authenticated unsafe requests must carry the session's CSRF token (header x-csrf-token or
// form field _csrf); Bearer requests need none.
//
// Routes that never ask who is calling (static assets, the liveness probe) say so with
// `config: { principal: false }` and cost no query. A page that calls the API in-process (web/api-client)
// hands its already-resolved principal over with forwardPrincipal, so the API call does not resolve
// the session again.
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { principalFromApiToken, principalFromSession, SESSION_COOKIE } from '../auth/sessions.js';
import { AppError, ForbiddenError, UnauthorizedError } from '../lib/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** false: the route never needs the caller, so no session or token is looked up. */
    principal?: boolean;
  }
  interface FastifyInstance {
    /**
     * Headers that carry `principal` to an app.inject() call of this process, valid until release():
     * the inner request uses it as is instead of resolving the cookie again.
     */
    forwardPrincipal: (principal: Principal) => { headers: Record<string, string>; release(): void };
    /** preHandler: 401 unless a staff user or API token is behind the request. */
    requireAuth: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** The authenticated principal; throws 401 when there is none. */
    principalOf: (request: FastifyRequest) => Principal;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORWARD_HEADER = 'x-lcs-forwarded-principal';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function sessionCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
}

export default fp(
  async (app) => {
    await app.register(cookie);
    app.decorateRequest('principal', null);

    // In-process hand-over of resolved principals (see forwardPrincipal): an unguessable handle per
    // call, so a header sent from outside the process matches nothing.
    const forwarded = new Map<string, Principal>();
    app.decorate('forwardPrincipal', (principal: Principal) => {
      const handle = randomBytes(18).toString('base64url');
      forwarded.set(handle, principal);
      return { headers: { [FORWARD_HEADER]: handle }, release: () => void forwarded.delete(handle) };
    });

    app.addHook('onRequest', async (request) => {
      const handle = request.headers[FORWARD_HEADER];
      if (typeof handle === 'string') {
        delete request.headers[FORWARD_HEADER];
        const principal = forwarded.get(handle);
        if (principal) {
          request.principal = principal;
          return;
        }
      }
      if (request.routeOptions.config.principal === false) return;
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        request.principal = await principalFromApiToken(app.db, header.slice(7).trim());
        if (!request.principal) throw new UnauthorizedError('Unknown or revoked API token');
        return;
      }
      const token = request.cookies[SESSION_COOKIE];
      if (token) request.principal = await principalFromSession(app.db, token);
    });

    app.decorate('requireAuth', async (request: FastifyRequest) => {
      const p = request.principal;
      if (!p) throw new UnauthorizedError();
      // Required two-factor sign-in not set up yet: only the account's own sign-in routes work.
      if (p.kind === 'user' && p.mfaSetupRequired && !request.url.startsWith('/api/v1/auth/')) {
        throw new AppError(403, 'mfa_setup_required', 'Your organisation requires two-factor sign-in: set it up first (POST /api/v1/auth/mfa/setup)');
      }
      if (p.kind === 'user' && UNSAFE.has(request.method)) {
        const body = request.body as Record<string, unknown> | undefined;
        const sent = request.headers['x-csrf-token'] ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
        if (typeof sent !== 'string' || !sameToken(sent, p.csrfToken)) {
          throw new ForbiddenError('Missing or wrong CSRF token (send the x-csrf-token header)');
        }
      }
    });

    app.decorate('principalOf', (request: FastifyRequest) => {
      if (!request.principal) throw new UnauthorizedError();
      return request.principal;
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
