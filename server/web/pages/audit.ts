// The audit trail page (/app/audit) for consultants and HR: who read which round's results, raw
// answers, exports and PDFs, when and from which account or token. Reads GET /api/v1/audit-events.
import type { FastifyInstance } from 'fastify';
import type { AuditEvent } from '../../contracts/audit.js';
import { apiClient } from '../api-client.js';
import { requireStaffPage, type PageContext } from '../context.js';
import { html } from '../html.js';
import { ctxOf, sendStaffPage } from './staff-common.js';


const TEXT = {
  nl: {
    title: 'Auditlog',
    lead: 'Wie welke resultaten, ruwe antwoorden, exports en rapporten bekeek of downloadde, en wie gebruikers of het actieplan wijzigde.',
    when: 'Wanneer',
    who: 'Wie',
    what: 'Wat',
    where: 'Organisatie en ronde',
    none: 'Nog niets vastgelegd.',
    actions: {
      'results.view': 'Resultaten bekeken',
      'results.csv': 'Resultaten als CSV',
      'results.xlsx': 'Resultaten als Excel',
      'raw.csv': 'Ruwe antwoorden als CSV',
      'report.client.pdf': 'Klantrapport (PDF)',
      'report.director.pdf': 'Directiesamenvatting (PDF)',
      'report.batch.pdf': 'Rapport uit een reeks (PDF)',
      'report.department.pdf': 'Afdelingsrapport (PDF)',
      'report.department.batch.pdf': 'Afdelingsrapport uit een reeks (PDF)',
      'organisation.export': 'Export van de organisatie',
      'organisation.create': 'Organisatie aangemaakt',
      'user.invite': 'Gebruiker uitgenodigd',
      'user.update': 'Gebruiker gewijzigd',
      'user.remove': 'Gebruiker verwijderd',
      'action.create': 'Actie toegevoegd',
      'action.update': 'Actie gewijzigd',
      'action.delete': 'Actie verwijderd',
    },
  },
  en: {
    title: 'Audit trail',
    lead: 'Who viewed or downloaded which results, raw answers, exports and reports, and who changed users or the action plan.',
    when: 'When',
    who: 'Who',
    what: 'What',
    where: 'Organisation and round',
    none: 'Nothing recorded yet.',
    actions: {
      'results.view': 'Viewed results',
      'results.csv': 'Results as CSV',
      'results.xlsx': 'Results as Excel',
      'raw.csv': 'Raw answers as CSV',
      'report.client.pdf': 'Client report (PDF)',
      'report.director.pdf': 'Director summary (PDF)',
      'report.batch.pdf': 'Report from a batch (PDF)',
      'report.department.pdf': 'Department report (PDF)',
      'report.department.batch.pdf': 'Department report from a batch (PDF)',
      'organisation.export': 'Organisation export',
      'organisation.create': 'Organisation created',
      'user.invite': 'User invited',
      'user.update': 'User changed',
      'user.remove': 'User removed',
      'action.create': 'Action added',
      'action.update': 'Action changed',
      'action.delete': 'Action deleted',
    },
  },
} as const;

function when(ctx: PageContext, iso: string): string {
  return new Intl.DateTimeFormat(ctx.lang === 'en' ? 'en-GB' : 'nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(new Date(iso));
}

export default async function auditPages(app: FastifyInstance): Promise<void> {
  app.get('/app/audit', { schema: { hide: true }, preHandler: requireStaffPage }, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const x = TEXT[ctx.lang === 'en' ? 'en' : 'nl'];
    const { events } = await apiClient(app, request).get<{ events: AuditEvent[] }>('/api/v1/audit-events?limit=200');
    const body = html`<div class="page-head"><div><h1>${x.title}</h1><p class="lead">${x.lead}</p></div></div>
      ${
        events.length === 0
          ? html`<p class="muted">${x.none}</p>`
          : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${x.title}"><table class="table stack-sm">
          <thead><tr><th scope="col">${x.what}</th><th scope="col">${x.when}</th><th scope="col">${x.who}</th><th scope="col">${x.where}</th></tr></thead>
          <tbody>${events.map(
            (e) => html`<tr><td class="cell-main">${x.actions[e.action]}${e.detail ? html` <span class="muted small">(${e.detail})</span>` : ''}</td><td data-label="${x.when}">${when(ctx, e.occurredAt)}</td><td data-label="${x.who}" class="cell-wrap">${e.actor.label}</td>
              <td data-label="${x.where}">${e.organisationName ?? ''}${e.roundName ? html` · ${e.roundName}` : ''}</td></tr>`,
          )}</tbody></table></div>`
      }`;
    reply.header('cache-control', 'no-store');
    return sendStaffPage(app, request, reply, ctx, { title: x.title, body });
  });
}
