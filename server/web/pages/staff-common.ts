// Shared pieces of the staff workspace pages: the API shapes they read (inferred from the API's own
// response schemas, so a change there shows up here at compile time) and the page frame.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Organisation } from '../../contracts/organisations.js';
import type { RoundDto } from '../../contracts/rounds.js';
import type { responseRatesSchema } from '../../contracts/response-rates.js';
import { apiClient } from '../api-client.js';
import { pageContext, send, staffShell, type PageContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import type { TextKey } from '../i18n.js';
import { roundParamsSchema } from '../../contracts/rounds.js';
import { pageParams } from '../params.js';

export type { Organisation };
export type Round = RoundDto;
export type ResponseRates = z.infer<typeof responseRatesSchema>;

export interface Crumb {
  href?: string;
  label: string;
}

export interface StaffPageOptions {
  title: string;
  body: SafeHtml;
  nav?: 'organisations' | 'branding' | 'benchmarks' | 'outbox';
  crumbs?: Crumb[];
  scripts?: string[];
  status?: number;
  bodyData?: Record<string, string>;
}

export async function sendStaffPage(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, ctx: PageContext, o: StaffPageOptions) {
  const shell = await staffShell(app, request);
  const crumbs = o.crumbs?.length
    ? html`<nav class="breadcrumbs" aria-label="${ctx.lang === 'nl' ? 'Kruimelpad' : 'Breadcrumb'}">${o.crumbs.map((c, i) =>
        html`${i > 0 ? html`<span aria-hidden="true">/</span>` : ''}${c.href ? html`<a href="${c.href}">${c.label}</a>` : html`<span aria-current="page">${c.label}</span>`}`,
      )}</nav>`
    : '';
  return send(reply, ctx, {
    status: o.status,
    title: o.title,
    variant: 'app',
    user: shell.user,
    accent: shell.accent,
    demo: shell.demo,
    logoUrl: shell.logoUrl,
    nav: o.nav ?? 'organisations',
    scripts: o.scripts,
    bodyData: o.bodyData,
    body: html`${crumbs}${o.body}`,
  });
}

export function ctxOf(request: FastifyRequest, reply: FastifyReply): PageContext {
  return pageContext(request, reply);
}

export function statusBadge(ctx: PageContext, status: Round['status']): SafeHtml {
  return html`<span class="${`badge badge-${status}`}">${ctx.t(`status_${status}` as TextKey)}</span>`;
}

/** A horizontal bar as SVG (no inline styles under the CSP). */
export function rateBar(pct: number | null, label: string): SafeHtml {
  const w = pct === null ? 0 : Math.max(0, Math.min(100, pct));
  return html`<svg class="rate-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="${label}"><rect class="track" x="0" y="0" width="100" height="6" rx="3"/><rect class="fill" x="0" y="0" width="${w.toFixed(1)}" height="6" rx="3"/></svg>`;
}

/** Hidden form field with the session's CSRF token. */
export function csrfField(request: FastifyRequest): SafeHtml {
  const p = request.principal;
  return html`<input type="hidden" name="_csrf" value="${p?.kind === 'user' ? p.csrfToken : ''}">`;
}

export function canManage(org: Pick<Organisation, 'yourRoles'>): boolean {
  return org.yourRoles.some((r) => r === 'consultant' || r === 'hr' || r === 'integration');
}

export function fieldErrors(errors: Array<{ path: string; message: string }> | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of errors ?? []) {
    const key = e.path.replace(/^body\./, '').split('.')[0]!;
    if (!m.has(key)) m.set(key, e.message);
  }
  return m;
}

/** The round in the request's :roundId and its organisation, through the API as the signed-in caller. */
export async function loadRoundContext(app: FastifyInstance, request: FastifyRequest) {
  const { roundId } = pageParams(request, roundParamsSchema, 'Round');
  const api = apiClient(app, request);
  const round = await api.get<Round>(`/api/v1/rounds/${encodeURIComponent(roundId)}`);
  const org = await api.get<Organisation>(`/api/v1/organisations/${round.organisationId}`);
  return { api, round, org };
}
