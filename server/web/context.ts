// Per-request helpers for page routes: language, CSP nonce, the signed-in staff user, CSRF checks on
// form posts, and rendering a page into the reply.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { principalScope, type Principal } from '../auth/principal.js';
import { withTenantScope } from '../auth/tenant-scope.js';
import { ForbiddenError } from '../lib/errors.js';
import type { SafeHtml } from './html.js';
import { pageLang, translator, type Lang, type Translate } from './i18n.js';
import { page, type PageOptions } from './layout.js';
import { pageForm } from './params.js';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export interface PageContext {
  lang: Lang;
  t: Translate;
  nonce: string;
  /** This page in another language: same path and query, with ?lang= replaced. */
  langHref: (lang: Lang) => string;
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  const lang = pageLang(request, reply);
  const url = new URL(request.url, 'http://x');
  return {
    lang,
    t: translator(lang),
    nonce: (reply as FastifyReply & { cspNonce?: { style: string } }).cspNonce?.style ?? '',
    langHref: (l) => {
      url.searchParams.set('lang', l);
      return `${url.pathname}?${url.searchParams.toString()}`;
    },
  };
}

export type RenderOptions = Omit<PageOptions, 'lang' | 't' | 'nonce' | 'langHref'> & { status?: number };

export function send(reply: FastifyReply, ctx: PageContext, o: RenderOptions): FastifyReply {
  const { status, ...rest } = o;
  return reply
    .code(status ?? 200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page({ ...rest, lang: ctx.lang, t: ctx.t, nonce: ctx.nonce, langHref: ctx.langHref }));
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Thrown by the staff guard: the page error handler redirects to the sign-in page. */
export class SignInRequired extends Error {
  constructor(readonly next: string) {
    super('Sign-in required');
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * preHandler for staff pages: a signed-in user (API tokens do not browse), and for form posts the
 * session's CSRF token in the `_csrf` field or the x-csrf-token header.
 */
export async function requireStaffPage(request: FastifyRequest): Promise<void> {
  const p = request.principal;
  if (!p || p.kind !== 'user') throw new SignInRequired(request.method === 'GET' ? request.url : '/app');
  if (UNSAFE.has(request.method)) {
    const body = pageForm(request);
    const sent = request.headers['x-csrf-token'] ?? (typeof body._csrf === 'string' ? body._csrf : undefined);
    if (typeof sent !== 'string' || !sameToken(sent, p.csrfToken)) throw new ForbiddenError('Missing or wrong CSRF token');
  }
}

export function staffUser(request: FastifyRequest): UserPrincipal {
  const p = request.principal;
  if (!p || p.kind !== 'user') throw new SignInRequired(request.url);
  return p;
}

export interface Shell {
  user: { name: string; csrfToken: string; roles: string[] };
  accent: string | null;
  demo: boolean;
  brandName: string | null;
  logoUrl: string | null;
}

/**
 * What the staff shell shows: the user, and the accent colour and demo flag of the consultancy the user
 * works for (a consultant's own account, or the consultancy of an HR user's or director's organisation).
 */
export async function staffShell(app: FastifyInstance, request: FastifyRequest): Promise<Shell> {
  const p = staffUser(request);
  const scope = principalScope(p);
  let consultancy: { id: string; accent_color: string; is_demo: boolean; name: string; has_logo: boolean } | undefined;
  const cols = ['consultancies.id', 'consultancies.accent_color', 'consultancies.is_demo', 'consultancies.name'] as const;
  // In the user's own tenant scope (an HR user's or director's consultancy is visible there).
  const consultancyId = scope.consultancyIds[0];
  const organisationId = scope.organisationIds[0];
  if (consultancyId) {
    const row = await withTenantScope(app.db, p, (tx) => tx.selectFrom('consultancies').select([...cols, 'consultancies.logo_mime']).where('id', '=', consultancyId).executeTakeFirst());
    if (row) consultancy = { ...row, has_logo: row.logo_mime !== null };
  } else if (organisationId) {
    const row = await withTenantScope(app.db, p, (tx) =>
      tx
        .selectFrom('organisations')
        .innerJoin('consultancies', 'consultancies.id', 'organisations.consultancy_id')
        .select([...cols, 'consultancies.logo_mime'])
        .where('organisations.id', '=', organisationId)
        .executeTakeFirst(),
    );
    if (row) consultancy = { ...row, has_logo: row.logo_mime !== null };
  }
  return {
    user: { name: p.name, csrfToken: p.csrfToken, roles: p.roles.map((r) => r.role) },
    accent: consultancy?.accent_color ?? null,
    demo: consultancy?.is_demo ?? false,
    brandName: null,
    logoUrl: consultancy?.has_logo ? '/app/branding/logo' : null,
  };
}

export function isConsultant(p: UserPrincipal): boolean {
  return p.roles.some((r) => r.role === 'consultant');
}

export type { SafeHtml };
