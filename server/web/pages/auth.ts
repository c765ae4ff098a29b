// Sign-in, sign-out and the front door. `/` is the sign-in page (with the demo logins when the server
// runs on the embedded demo database) or, for a signed-in user, a redirect into the workspace.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newToken } from '../../lib/crypto.js';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../demo/seed.js';
import { withSystemScope } from '../../auth/tenant-scope.js';
import { apiClient } from '../api-client.js';
import { pageContext, requireStaffPage, sameToken, send, type PageContext } from '../context.js';
import { html } from '../html.js';
import { renderMfaStep } from './account-security.js';
import { pageForm, pageQuery } from '../params.js';

const LOGIN_CSRF_COOKIE = 'lcs_login_csrf';

/**
 * Only same-origin relative paths: never an open redirect, never a header a browser or Node would
 * choke on. Printable ASCII path-and-query characters only (no backslash, tab, CR/LF, spaces or
 * non-ASCII, which browsers strip or fold into `//`), one leading slash; anything else goes to /app.
 */
const SAFE_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
export function safeNext(next: unknown, fallback = '/app'): string {
  if (typeof next !== 'string' || next.length > 2000 || !SAFE_PATH.test(next)) return fallback;
  if (next.startsWith('/api/') || next === '/' || next.startsWith('/login')) return fallback;
  return next;
}

async function demoLoginsAvailable(app: FastifyInstance): Promise<boolean> {
  if (app.dbInfo.mode !== 'embedded') return false;
  // Not for one tenant (the sign-in page, before anyone signed in): the system scope.
  const row = await withSystemScope(app.db, (tx) =>
    tx
      .selectFrom('users')
      .select('id')
      .where('is_demo', '=', true)
      .where(
        'email',
        'in',
        DEMO_LOGINS.map((l) => l.email),
      )
      .limit(1)
      .executeTakeFirst(),
  );
  return row !== undefined;
}

interface LoginView {
  email?: string;
  error?: string;
  notice?: string;
  next: string;
}

async function renderLogin(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, ctx: PageContext, v: LoginView, status = 200) {
  const { t } = ctx;
  // Double-submit token against login CSRF (a site signing the browser into another account).
  let token = request.cookies[LOGIN_CSRF_COOKIE];
  if (!token || token.length < 32) {
    token = newToken();
    reply.setCookie(LOGIN_CSRF_COOKIE, token, { path: '/login', httpOnly: true, sameSite: 'strict', secure: app.config.publicUrl.startsWith('https:') });
  }
  const demo = await demoLoginsAvailable(app);
  const errorId = v.error ? 'login-error' : undefined;
  const body = html`<div class="login-layout">
  <section class="card login-card" aria-labelledby="login-title">
    <h1 id="login-title">${t('signInTitle')}</h1>
    <p class="lead">${t('signInLead')}</p>
    ${v.notice ? html`<p class="notice notice-ok" role="status">${v.notice}</p>` : ''}
    ${v.error ? html`<p class="notice notice-error" role="alert" id="login-error">${v.error}</p>` : ''}
    <form method="post" action="/login" class="stack" novalidate>
      <input type="hidden" name="_csrf" value="${token}">
      <input type="hidden" name="next" value="${v.next}">
      <div class="field">
        <label for="email">${t('email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="${v.email ?? ''}"${errorId ? html` aria-describedby="${errorId}" aria-invalid="true"` : ''}>
      </div>
      <div class="field">
        <label for="password">${t('password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required${errorId ? html` aria-describedby="${errorId}" aria-invalid="true"` : ''}>
      </div>
      <button type="submit" class="btn btn-primary btn-block">${t('signIn')}</button>
    </form>
  </section>
  ${
    demo
      ? html`<section class="card login-card demo-card" aria-labelledby="demo-title">
    <h2 id="demo-title">${t('demoLogins')}</h2>
    <p>${t('demoLoginsLead')} <code class="demo-password">${DEMO_PASSWORD}</code></p>
    <ul class="demo-logins">
      ${DEMO_LOGINS.map(
        (l) => html`<li>
        <div><strong>${t(`role_${l.role}`)}</strong><br><span class="muted small">${l.email}</span></div>
        <form method="post" action="/login">
          <input type="hidden" name="_csrf" value="${token}">
          <input type="hidden" name="next" value="${v.next}">
          <input type="hidden" name="email" value="${l.email}">
          <input type="hidden" name="password" value="${DEMO_PASSWORD}">
          <button type="submit" class="btn btn-secondary btn-small">${t('signIn')}<span class="visually-hidden"> – ${t(`role_${l.role}`)}</span></button>
        </form>
      </li>`,
      )}
    </ul>
  </section>`
      : ''
  }
</div>`;
  return send(reply, ctx, { status, title: t('signIn'), variant: 'plain', demo, body });
}

export default async function authPages(app: FastifyInstance): Promise<void> {
  const hide = { hide: true } as const;

  app.get('/', { schema: hide }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const q = pageQuery(request);
    if (request.principal?.kind === 'user') return reply.redirect(safeNext(q.next), 303);
    return renderLogin(app, request, reply, ctx, { next: safeNext(q.next), notice: q.signedout === '1' ? ctx.t('signedOut') : q.welcome === '1' ? ctx.t('passwordChosen') : undefined });
  });
  app.get('/login', { schema: hide }, async (request, reply) => reply.redirect('/', 303));

  app.post('/login', { schema: hide }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const body = pageForm(request);
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const cookieToken = request.cookies[LOGIN_CSRF_COOKIE];
    if (typeof body._csrf !== 'string' || !cookieToken || !sameToken(body._csrf, cookieToken)) {
      // A stale form (cookie expired or blocked): show the form again with a fresh token.
      return renderLogin(app, request, reply, ctx, { email, next, error: ctx.t('sessionExpired') }, 403);
    }
    if (!email || !password) return renderLogin(app, request, reply, ctx, { email, next, error: ctx.t('loginFailed') }, 400);
    const res = await apiClient(app, request).call('POST', '/api/v1/auth/login', { json: { email, password }, as: 'none' });
    if (res.status === 200) {
      const answer = res.json<{ kind: string; challenge?: string; mfaSetupRequired?: boolean }>();
      if (answer.kind === 'mfa_required' && answer.challenge) return renderMfaStep(request, reply, ctx, { challenge: answer.challenge, next });
      const setCookie = res.headers['set-cookie'];
      if (setCookie) reply.header('set-cookie', setCookie as string | string[]);
      return reply.redirect(answer.mfaSetupRequired ? '/account/security' : next, 303);
    }
    if (res.status === 429) {
      const retry = res.headers['retry-after'];
      if (retry) reply.header('retry-after', String(retry));
      return renderLogin(app, request, reply, ctx, { email, next, error: ctx.t('loginRateLimited') }, 429);
    }
    return renderLogin(app, request, reply, ctx, { email, next, error: ctx.t('loginFailed') }, res.status === 400 ? 400 : 401);
  });

  app.post('/logout', { schema: hide, preHandler: requireStaffPage }, async (request, reply) => {
    const res = await apiClient(app, request).call('POST', '/api/v1/auth/logout');
    const setCookie = res.headers['set-cookie'];
    if (setCookie) reply.header('set-cookie', setCookie as string | string[]);
    return reply.redirect('/?signedout=1', 303);
  });
}
