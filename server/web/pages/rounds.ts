// A round's page: status and actions, invitations (shared link, personal invitations mailed by the
// platform, or links for a mail merge when the round sends its own), reminders, live
// response rates, and the way to the checklist, the dialogue model, the results and the reports.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, apiClient, hasApiRoute, toApiError } from '../api-client.js';
import { requireStaffPage, type PageContext } from '../context.js';
import QRCode from 'qrcode';
import { html, raw, type SafeHtml } from '../html.js';
import { fmtDate, fmtPct, translateMessage, type Lang, type TextKey } from '../i18n.js';
import { isUploadedFile } from '../multipart.js';
import type { Invitation, InvitationSettings, MailBatch } from '../../contracts/invitations.js';
import { roundBatchParamsSchema, roundInvitationParamsSchema, roundParamsSchema } from '../../contracts/rounds.js';
import { pageForm, pageParams, pageQuery } from '../params.js';
import { canManage, csrfField, ctxOf, rateBar, sendStaffPage, statusBadge, type Organisation, type ResponseRates, type Round, loadRoundContext } from './staff-common.js';

type Segment = ResponseRates['total'];

/** A count, or "hidden" where the anonymity rules withhold it (null). */
function countCell(ctx: PageContext, n: number | null): SafeHtml {
  return n === null ? html`<td class="num muted small" title="${ctx.t('hiddenGroup')}">${ctx.t('hidden')}</td>` : html`<td class="num">${n}</td>`;
}

function bigCount(ctx: PageContext, n: number | null): SafeHtml {
  return n === null ? html`<span class="big-number muted" title="${ctx.t('hiddenGroup')}">${ctx.t('hidden')}</span>` : html`<span class="big-number">${n}</span>`;
}

function rateCell(ctx: PageContext, s: Segment): SafeHtml {
  if (s.rate === null) {
    return html`<td class="muted small">${s.rateReason === 'fewer_than_k_invitations' || s.rateReason === 'count_suppressed' ? ctx.t('noRateBelowK') : '–'}</td>`;
  }
  return html`<td><div class="nowrap num">${fmtPct(ctx.lang, s.rate)}</div>${rateBar(s.rate, fmtPct(ctx.lang, s.rate))}</td>`;
}

/** The response table: also served alone as the fragment the client script refreshes. */
export function ratesFragment(ctx: PageContext, rates: ResponseRates): SafeHtml {
  const { t } = ctx;
  const total = rates.total;
  return html`<div class="stat-row">
      <div class="stat"><span class="label">${t('invited')}</span>${bigCount(ctx, total.invited)}</div>
      <div class="stat"><span class="label">${t('started')}</span>${bigCount(ctx, total.started)}</div>
      <div class="stat"><span class="label">${t('submitted')}</span><span data-testid="submitted-total">${bigCount(ctx, total.submitted)}</span></div>
    </div>
    ${rates.forms.map(
      (f) => html`<h3 class="h-small">${t(`form_${f.form}` as TextKey)}</h3>
      <div class="table-wrap" tabindex="0"><table class="key-col">
        <caption class="visually-hidden">${t('responseRates')}: ${t(`form_${f.form}` as TextKey)}</caption>
        <thead><tr><th scope="col">${t('departments')}</th><th scope="col" class="num">${t('invited')}</th><th scope="col" class="num">${t('started')}</th><th scope="col" class="num">${t('submitted')}</th><th scope="col">${t('rate')}</th></tr></thead>
        <tbody>${f.segments.map(
          (s) => html`<tr><th scope="row">${s.department ?? html`<span class="muted">${t('noDepartment')}</span>`}</th>${countCell(ctx, s.invited)}${countCell(ctx, s.started)}${countCell(ctx, s.submitted)}${rateCell(ctx, s)}</tr>`,
        )}</tbody>
        <tfoot><tr><th scope="row">${t('total')}</th>${countCell(ctx, f.total.invited)}${countCell(ctx, f.total.started)}${countCell(ctx, f.total.submitted)}${rateCell(ctx, f.total)}</tr></tfoot>
      </table></div>`,
    )}`;
}

function roundDetails(ctx: PageContext, r: Round): SafeHtml {
  const { t } = ctx;
  return html`<dl class="kv kv-stacked">
    <dt>${t('status')}</dt><dd>${statusBadge(ctx, r.status)}</dd>
    <dt>${t('opensAt')}</dt><dd>${fmtDate(ctx.lang, r.opensAt)}</dd>
    ${
      r.status === 'closed' && r.closedAt
        ? html`<dt>${t('closedOn')}</dt><dd>${fmtDate(ctx.lang, r.closedAt)}${r.closesAt && fmtDate(ctx.lang, r.closesAt) !== fmtDate(ctx.lang, r.closedAt) ? html` <span class="muted small">(${t('plannedClose', { d: fmtDate(ctx.lang, r.closesAt) })})</span>` : ''}</dd>`
        : html`<dt>${t('closesAt')}</dt><dd>${fmtDate(ctx.lang, r.closesAt)}</dd>`
    }
    <dt>${t('modules')}</dt><dd>${r.modules.map((m) => t(`module_${m}` as TextKey)).join(', ')}</dd>
    <dt>${t('languages')}</dt><dd>${r.languages.map((l) => t(`lang_${l}` as TextKey)).join(', ')}</dd>
    <dt>${t('threshold')}</dt><dd>${r.anonymityThreshold}</dd>
    <dt>${t('departments')}</dt><dd>${r.departments.length ? r.departments.join(', ') : '–'}</dd>
  </dl>`;
}

function statusActions(request: FastifyRequest, ctx: PageContext, r: Round): SafeHtml {
  const { t } = ctx;
  const form = (action: string, label: string, cls: string, confirm?: string) =>
    html`<form method="post" action="${`/app/rounds/${r.id}/${action}`}"${confirm ? html` data-confirm="${confirm}"` : ''}>${csrfField(request)}<button type="submit" class="${`btn ${cls}`}">${label}</button></form>`;
  if (r.status === 'draft') return form('open', t('openRound'), 'btn-primary');
  if (r.status === 'open') return form('close', t('closeRound'), 'btn-danger', t('closeRoundConfirm'));
  return form('reopen', t('reopenRound'), 'btn-secondary');
}

/** Seconds between refreshes of the response table: 15, or ?refresh=N (2..300) for a wall screen or a test. */
function refreshSeconds(request: FastifyRequest): number {
  const n = Number(pageQuery(request).refresh);
  return Number.isInteger(n) && n >= 2 && n <= 300 ? n : 15;
}

/** Shared links made so far: no link (only its hash is stored), but form, uses and cap, and a way to withdraw it. */
function sharedList(request: FastifyRequest, ctx: PageContext, r: Round, shared: Invitation[]): SafeHtml {
  const { t } = ctx;
  if (shared.length === 0) return html``;
  return html`<ul class="invite-list">${shared.map(
    (i) => html`<li>
      <div><strong>${t(`form_${i.form}` as TextKey)}</strong> <span class="muted small">${fmtDate(ctx.lang, i.createdAt)}</span><br>
      <span class="small">${t('uses', { n: i.uses })}${i.maxResponses !== null ? ` / ${i.maxResponses}` : ''}</span>
      ${i.revokedAt ? html` <span class="badge">${t('revoked')}</span>` : ''}</div>
      ${
        i.revokedAt
          ? ''
          : html`<form method="post" action="${`/app/rounds/${r.id}/invitations/${i.id}/revoke`}" data-confirm="${t('revokeConfirm')}">${csrfField(request)}<button type="submit" class="btn btn-quiet btn-small">${t('revoke')}</button></form>`
      }
    </li>`,
  )}</ul>`;
}

/** Personal links so far per form (a round that sends its own links), and new links for a reminder mail merge. */
function personalSummary(request: FastifyRequest, ctx: PageContext, r: Round, personal: Invitation[]): SafeHtml {
  const { t } = ctx;
  if (personal.length === 0) return html``;
  const forms = (['employee', 'management'] as const).filter((f) => personal.some((i) => i.form === f));
  return html`<ul class="invite-list">${forms.map((f) => {
    const mine = personal.filter((i) => i.form === f && !i.revokedAt);
    return html`<li><div><strong>${t(`form_${f}` as TextKey)}</strong><br><span class="small">${t('invitedCount', { n: mine.length })}</span></div>
      <form method="post" action="${`/app/rounds/${r.id}/personal-links/reissue`}">${csrfField(request)}<input type="hidden" name="form" value="${f}"><button type="submit" class="btn btn-quiet btn-small">${t('reissue')}</button></form></li>`;
  })}</ul>`;
}


/** Invitation and reminder batches: status and counts, never who was reminded. */
function batchList(request: FastifyRequest, ctx: PageContext, r: Round, batches: MailBatch[]): SafeHtml {
  const { t } = ctx;
  if (batches.length === 0) return html``;
  return html`<h4 class="h-small">${t('mailBatches')}</h4><ul class="invite-list" data-testid="mail-batches">${batches.map(
    (b) => html`<li data-batch-kind="${b.kind}" data-batch-status="${b.status}"><div>
      <strong>${t(`batchKind_${b.kind}` as TextKey)}</strong> <span class="badge">${t(`batchStatus_${b.status}` as TextKey)}</span>
      <span class="muted small">${fmtDate(ctx.lang, b.scheduledFor ?? b.createdAt)}</span><br>
      <span class="small">${b.kind === 'reminder' ? t('remindedCount', { n: b.recipients }) + ' · ' : ''}${t('batchCounts', { sent: b.sent, queued: b.queued, failed: b.failed })}</span>
      ${b.failures.length ? html`<br><span class="small">${t('failedReason')}: ${b.failures.map((f) => `${f.reason} (${f.count})`).join('; ')}</span>` : ''}
      ${b.failedAddresses.length ? html`<br><span class="small">${b.failedAddresses.join(', ')}</span>` : ''}
    </div>
    ${b.status === 'scheduled' ? html`<form method="post" action="${`/app/rounds/${r.id}/mail-batches/${b.id}/cancel`}">${csrfField(request)}<button type="submit" class="btn btn-quiet btn-small">${t('cancel')}</button></form>` : ''}
    </li>`,
  )}</ul>`;
}

function platformInvitations(request: FastifyRequest, ctx: PageContext, r: Round, personal: Invitation[], batches: MailBatch[], settings: InvitationSettings): SafeHtml {
  const { t } = ctx;
  const formSelect = (id: string) => html`<div class="field"><label for="${id}">${t('form')}</label>
    <select id="${id}" name="form"><option value="employee">${t('form_employee')}</option><option value="management">${t('form_management')}</option></select></div>`;
  const counts = (['employee', 'management'] as const)
    .map((f) => ({ f, n: personal.filter((i) => i.form === f && !i.revokedAt).length }))
    .filter((c) => c.n > 0);
  return html`<h3>${t('personalInvitations')}</h3>
    <p class="muted small">${t('personalInvitationsLead')}</p>
    ${settings.mailTransport === 'outbox' ? html`<p class="small"><a href="/app/outbox">${t('outbox')}</a>: ${t('outboxModeNotice')}</p>` : html`<p class="small"><a href="/app/outbox">${t('outbox')}</a></p>`}
    <form method="post" action="${`/app/rounds/${r.id}/personal-links`}" enctype="multipart/form-data" class="stack-tight">
      ${csrfField(request)}
      ${formSelect('personal-form')}
      <div class="field"><label for="csv">${t('csvFile')}</label><input id="csv" name="csv" type="file" accept=".csv,text/csv,text/plain"></div>
      <div class="field"><label for="addresses">${t('addAddresses')}</label><textarea id="addresses" name="addresses" rows="4" autocomplete="off" spellcheck="false"></textarea></div>
      <p class="muted small">${t('csvColumnsHelp')}</p>
      <button type="submit" class="btn btn-primary">${t('sendInvitations')}</button>
    </form>
    ${counts.length ? html`<p class="small" data-testid="invited-counts">${counts.map((c) => `${t(`form_${c.f}` as TextKey)}: ${t('invitedCount', { n: c.n })}`).join(' · ')}</p>` : ''}
    <h4 class="h-small">${t('reminders')}</h4>
    <p class="muted small">${t('remindersLead')}</p>
    <div class="copy-row">
      <form method="post" action="${`/app/rounds/${r.id}/reminders`}">${csrfField(request)}<input type="hidden" name="when" value="now"><button type="submit" class="btn btn-secondary btn-small">${t('remindNow')}</button></form>
      ${
        r.closesAt
          ? html`<form method="post" action="${`/app/rounds/${r.id}/reminders`}" class="copy-row">${csrfField(request)}
        <label for="daysBeforeClose" class="small">${t('remindDaysBefore')}</label><input id="daysBeforeClose" name="daysBeforeClose" type="number" min="1" max="90" step="1" value="7" inputmode="numeric" class="input-narrow">
        <button type="submit" class="btn btn-quiet btn-small">${t('scheduleReminder')}</button></form>`
          : html`<span class="muted small">${t('needsClosingDate')}</span>`
      }
    </div>
    ${batchList(request, ctx, r, batches)}
    ${
      personal.length === 0
        ? html`<details class="section-tight"><summary class="small">${t('selfSendTitle')}</summary>
        <p class="small">${t('selfSendLead')}</p>
        <form method="post" action="${`/app/rounds/${r.id}/invitation-settings`}">${csrfField(request)}<input type="hidden" name="selfSendLinks" value="true"><button type="submit" class="btn btn-quiet btn-small">${t('selfSendChoose')}</button></form>
      </details>`
        : ''
    }`;
}

const SHARED_FLASH = 'lcs_shared_link';
const flashPath = (request: FastifyRequest) => new URL(request.url, 'http://x').pathname;

export interface CreatedLink {
  url: string;
  form: 'employee' | 'management';
  /** The link as a QR code (SVG made by the qrcode package), for posters and staff without email. */
  qrSvg?: string;
}

/** Printable A4 posters of the link just made, one per round language (for notice boards and canteens). */
function posterForms(request: FastifyRequest, ctx: PageContext, r: Round, created: CreatedLink): SafeHtml {
  const nl = ctx.lang === 'nl';
  const langName = (l: string) => (l === 'nl' ? (nl ? 'Nederlands' : 'Dutch') : nl ? 'Engels' : 'English');
  return html`<div class="poster-links" data-testid="poster-links"><p class="small">${nl ? 'Poster om op te hangen (A4, met QR-code en deze link):' : 'Poster to put up (A4, with the QR code and this link):'}</p>
    <div class="copy-row">${r.languages.map(
      (l) => html`<form method="post" action="${`/app/rounds/${r.id}/shared-link/poster`}">${csrfField(request)}<input type="hidden" name="link" value="${created.url}"><input type="hidden" name="lang" value="${l}"><button type="submit" class="btn btn-secondary btn-small" lang="${l}">${`${nl ? 'Poster' : 'Poster'} (PDF, ${langName(l)})`}</button></form>`,
    )}</div></div>`;
}

function invitationsCard(
  app: FastifyInstance,
  request: FastifyRequest,
  ctx: PageContext,
  r: Round,
  created: CreatedLink | null,
  invitations: Invitation[],
  settings: InvitationSettings,
  batches: MailBatch[],
): SafeHtml {
  const { t } = ctx;
  const sharedAvailable = hasApiRoute(app, 'POST', '/api/v1/rounds/:roundId/invitations/shared');
  const personalAvailable = hasApiRoute(app, 'POST', '/api/v1/rounds/:roundId/invitations/personal');
  const formSelect = (id: string) => html`<div class="field"><label for="${id}">${t('form')}</label>
    <select id="${id}" name="form"><option value="employee">${t('form_employee')}</option><option value="management">${t('form_management')}</option></select></div>`;
  return html`<section class="card" aria-labelledby="inv-title">
    <h2 id="inv-title">${t('invite')}</h2>
    <div class="grid grid-2 invite-grid">
      <div class="invite-part">
        <h3>${t('sharedLink')}</h3>
        <p class="muted small">${t('sharedLinkLead')}</p>
        ${
          created
            ? html`<div class="notice notice-ok" role="status">
            <label class="label" for="shared-link">${t('sharedLink')} (${t(`form_${created.form}` as TextKey)})</label>
            <div class="copy-row"><input id="shared-link" type="text" readonly value="${created.url}"><button type="button" class="btn btn-secondary btn-small" data-copy-target="shared-link" data-copied-label="${t('copied')}" hidden>${t('copy')}</button></div>
            <p class="small">${t('linkShownOnce')}</p>
            ${created.qrSvg ? html`<figure class="qr"><div class="qr-code" role="img" aria-label="${t('qrCodeOf')}">${raw(created.qrSvg)}</div><figcaption class="small muted">${t('qrCodeHelp')}</figcaption></figure>` : ''}
            ${posterForms(request, ctx, r, created)}
          </div>`
            : ''
        }
        ${sharedList(request, ctx, r, invitations.filter((i) => i.kind === 'shared'))}
        ${
          sharedAvailable
            ? html`<form method="post" action="${`/app/rounds/${r.id}/shared-link`}" class="stack-tight">
            ${csrfField(request)}
            ${formSelect('shared-form')}
            <div class="field"><label for="maxResponses">${t('maxResponses')}</label><input id="maxResponses" name="maxResponses" type="number" min="1" step="1" inputmode="numeric"></div>
            <button type="submit" class="btn btn-primary">${t('createSharedLink')}</button>
          </form>`
            : html`<p class="muted small">${t('notAvailableYet')}</p>`
        }
      </div>
      <div class="invite-part">
        ${
          !personalAvailable
            ? html`<h3>${t('personalLinks')}</h3><p class="muted small">${t('notAvailableYet')}</p>`
            : settings.selfSendLinks
              ? html`<h3>${t('personalLinks')}</h3>
          <p class="notice notice-info small">${t('selfSendOn')}</p>
          <p class="muted small">${t('personalLinksLead')}</p>
          <form method="post" action="${`/app/rounds/${r.id}/personal-links`}" enctype="multipart/form-data" class="stack-tight">
            ${csrfField(request)}
            ${formSelect('personal-form')}
            <div class="field"><label for="csv">${t('csvFile')}</label><input id="csv" name="csv" type="file" accept=".csv,text/csv,text/plain" required></div>
            <button type="submit" class="btn btn-secondary">${t('uploadAndDownload')}</button>
          </form>
          ${personalSummary(request, ctx, r, invitations.filter((i) => i.kind === 'personal'))}`
              : platformInvitations(request, ctx, r, invitations.filter((i) => i.kind === 'personal'), batches, settings)
        }
      </div>
    </div>
  </section>`;
}

function stepTiles(app: FastifyInstance, ctx: PageContext, r: Round, org: Organisation): SafeHtml {
  const { t } = ctx;
  const tiles: SafeHtml[] = [];
  const manage = canManage(org);
  if (r.modules.includes('sme_checklist') && manage) {
    tiles.push(html`<a class="tile" href="${`/app/rounds/${r.id}/checklist`}"><strong>${t('checklist')}</strong><span>${t('module_sme_checklist')}</span></a>`);
  }
  if (r.modules.includes('dialogue_model')) {
    tiles.push(html`<a class="tile" href="${`/app/rounds/${r.id}/dialogue`}"><strong>${t('dialogueModel')}</strong><span>${t('module_dialogue_model')}</span></a>`);
  }
  tiles.push(html`<a class="tile" href="${`/app/rounds/${r.id}/results`}"><strong>${t('results')}</strong><span>${r.status === 'closed' ? t('mechanisms') : t('afterClose')}</span></a>`);
  if (r.status === 'closed') {
    const nl = ctx.lang === 'nl';
    tiles.push(html`<a class="tile" href="${`/app/rounds/${r.id}/actions`}"><strong>${nl ? 'Actieplan' : 'Action plan'}</strong><span>${nl ? 'Acties op prioriteiten en mechanismen' : 'Actions on priorities and mechanisms'}</span></a>`);
  }
  void app;
  return html`<div class="action-tiles">${tiles}</div>`;
}

export default async function roundPages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  const loadRound = (request: FastifyRequest) => loadRoundContext(app, request);

  async function roundPage(request: FastifyRequest, reply: FastifyReply, created: CreatedLink | null, notice?: { text: string; tone: 'ok' | 'error' }, status = 200) {
    const ctx = ctxOf(request, reply);
    const { t } = ctx;
    const { api, round, org } = await loadRound(request);
    const manage = canManage(org);
    const rates = await api.get<ResponseRates>(`/api/v1/rounds/${round.id}/response-rates`);
    const showInvitations = manage && round.status !== 'closed';
    const invitations = showInvitations ? (await api.get<{ invitations: Invitation[] }>(`/api/v1/rounds/${round.id}/invitations`)).invitations : [];
    const settings = showInvitations ? await api.get<InvitationSettings>(`/api/v1/rounds/${round.id}/invitations/settings`) : { selfSendLinks: false, headcounts: {}, mailTransport: 'outbox' as const };
    const batches = showInvitations ? (await api.get<{ batches: MailBatch[] }>(`/api/v1/rounds/${round.id}/mail-batches`)).batches : [];
    const reportsAvailable = hasApiRoute(app, 'GET', '/api/v1/rounds/:roundId/reports/client.pdf');
    return sendStaffPage(app, request, reply, ctx, {
      status,
      title: round.name,
      crumbs: [{ href: '/app', label: t('organisations') }, { href: `/app/organisations/${org.id}`, label: org.name }, { label: round.name }],
      body: html`<div class="page-head">
        <div><p class="eyebrow">${org.name}</p><h1>${round.name} ${statusBadge(ctx, round.status)}</h1></div>
        ${manage ? html`<div class="actions">${statusActions(request, ctx, round)}</div>` : ''}
      </div>
      ${notice ? html`<p class="${`notice notice-${notice.tone}`}" role="${notice.tone === 'ok' ? 'status' : 'alert'}">${notice.text}</p>` : ''}
      ${stepTiles(app, ctx, round, org)}
      <div class="grid grid-main-side section">
        <div class="stack">
          <section class="card" aria-labelledby="rates-title">
            <div class="card-head"><h2 id="rates-title">${t('responseRates')}</h2><span class="muted small">${round.status === 'open' ? t('responseRatesLive', { s: refreshSeconds(request) }) : ''}</span></div>
            <div aria-live="polite" data-testid="rates"${round.status === 'open' ? html` data-refresh-url="${`/app/rounds/${round.id}/rates`}" data-refresh-seconds="${String(refreshSeconds(request))}"` : ''}>${ratesFragment(ctx, rates)}</div>
          </section>
        </div>
        <div class="stack">
          <section class="card" aria-labelledby="details-title"><h2 id="details-title">${t('round')}</h2>${roundDetails(ctx, round)}</section>
          <section class="card" aria-labelledby="reports-title"><h2 id="reports-title">${t('reports')}</h2>
            ${
              reportsAvailable
                ? html`<ul class="link-list">
              <li><a href="${`/api/v1/rounds/${round.id}/reports/client.pdf?lang=${ctx.lang}`}" download>${t('clientReport')}</a></li>
              <li><a href="${`/api/v1/rounds/${round.id}/reports/director.pdf?lang=${ctx.lang}`}" download>${t('directorSummary')}</a></li>
            </ul>`
                : html`<p class="muted small">${t('notAvailableYet')}</p>`
            }
          </section>
        </div>
      </div>
      ${manage && round.status !== 'closed' ? html`<div class="section">${invitationsCard(app, request, ctx, round, created, invitations, settings, batches)}</div>` : ''}`,
    });
  }

  app.get('/app/rounds/:roundId', opts, async (request, reply) => {
    const q = pageQuery(request);
    const ctx = ctxOf(request, reply);
    // POST-redirect-GET of "create shared link": the new link waits in a short-lived cookie of this
    // browser (the server keeps only its hash), is shown once, and a reload creates nothing.
    const flash = request.cookies[SHARED_FLASH];
    if (flash) {
      reply.clearCookie(SHARED_FLASH, { path: flashPath(request) });
      const m = /^(employee|management) (\S+)$/.exec(flash);
      const { roundId } = pageParams(request, roundParamsSchema, 'Round');
      if (m && m[2]!.startsWith(`${app.config.publicUrl}/s/`) && flashPath(request) === `/app/rounds/${roundId}`) {
        const url = m[2]!;
        const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
        return roundPage(request, reply, { url, form: m[1] as 'employee' | 'management', qrSvg });
      }
    }
    if (q.created === '1') return roundPage(request, reply, null, { text: ctx.t('roundCreatedNotice'), tone: 'ok' });
    return roundPage(request, reply, null);
  });

  app.get('/app/rounds/:roundId/rates', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const rates = await apiClient(app, request).get<ResponseRates>(`/api/v1/rounds/${encodeURIComponent(roundId)}/response-rates`);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(ratesFragment(ctx, rates).value);
  });

  for (const action of ['open', 'close', 'reopen'] as const) {
    app.post(`/app/rounds/:roundId/${action}`, opts, async (request, reply) => {
      const { roundId } = pageParams(request, roundParamsSchema, 'Round');
      try {
        await apiClient(app, request).ok('POST', `/api/v1/rounds/${encodeURIComponent(roundId)}/${action}`, action === 'reopen' ? { json: {} } : {});
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          const ctx = ctxOf(request, reply);
          return roundPage(request, reply, null, { text: `${ctx.t('errorTitle')}: ${err.problem.detail ?? err.code}`, tone: 'error' }, 409);
        }
        throw err;
      }
      return reply.redirect(`/app/rounds/${roundId}`, 303);
    });
  }

  app.post('/app/rounds/:roundId/shared-link', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const b = pageForm(request);
    const form = b.form === 'management' ? 'management' : 'employee';
    const max = typeof b.maxResponses === 'string' && b.maxResponses.trim() !== '' ? Number(b.maxResponses) : null;
    const res = await apiClient(app, request).ok<{ url?: string; link?: string; token?: string }>('POST', `/api/v1/rounds/${encodeURIComponent(roundId)}/invitations/shared`, {
      json: { form, ...(max !== null ? { maxResponses: max } : {}) },
    });
    const url = res.url ?? res.link ?? (res.token ? `${app.config.publicUrl}/s/${res.token}` : '');
    // Shown by the GET after the redirect (with its QR code), so a reload does not make a second link.
    reply.setCookie(SHARED_FLASH, `${form} ${url}`, { path: `/app/rounds/${roundId}`, httpOnly: true, sameSite: 'strict', maxAge: 120, secure: app.config.publicUrl.startsWith('https:') });
    return reply.redirect(`/app/rounds/${roundId}`, 303);
  });

  app.post('/app/rounds/:roundId/shared-link/poster', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const b = pageForm(request);
    const res = await apiClient(app, request).call('POST', `/api/v1/rounds/${encodeURIComponent(roundId)}/invitations/shared/poster`, {
      json: { link: typeof b.link === 'string' ? b.link : '', ...(typeof b.lang === 'string' ? { lang: b.lang } : {}) },
      headers: { accept: 'application/pdf' },
    });
    if (res.status !== 200) throw toApiError(res);
    return reply
      .type('application/pdf')
      .header('content-disposition', String(res.headers['content-disposition'] ?? 'attachment; filename="poster.pdf"'))
      .header('cache-control', 'private, no-store')
      .send(res.rawPayload);
  });

  app.post('/app/rounds/:roundId/invitations/:invitationId/revoke', opts, async (request, reply) => {
    const { roundId, invitationId } = pageParams(request, roundInvitationParamsSchema, 'Invitation');
    await apiClient(app, request).ok('POST', `/api/v1/rounds/${encodeURIComponent(roundId)}/invitations/${encodeURIComponent(invitationId)}/revoke`);
    return reply.redirect(`/app/rounds/${roundId}`, 303);
  });

  app.post('/app/rounds/:roundId/personal-links/reissue', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const form = pageForm(request).form === 'management' ? 'management' : 'employee';
    const res = await apiClient(app, request).call('POST', `/api/v1/rounds/${encodeURIComponent(roundId)}/invitations/personal/reissue?form=${form}`, { headers: { accept: 'text/csv' } });
    if (res.status >= 400) {
      const ctx = ctxOf(request, reply);
      return roundPage(request, reply, null, { text: ctx.t('errorTitle'), tone: 'error' }, res.status);
    }
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="reminder-links-${form}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(res.rawPayload);
  });

  /** A problem from the API as one line for the notice, in the page's language. */
  const problemLine = (res: { status: number; json: <T>() => T }, lang: Lang) => {
    try {
      const p = res.json<{ detail?: string; errors?: Array<{ path: string; message: string }> }>();
      const where = (path: string) => path.replace(/^body\.?/, '').replace(/^line (\d+)/, lang === 'nl' ? 'regel $1' : 'line $1');
      return [translateMessage(lang, p.detail), ...(p.errors ?? []).slice(0, 5).map((e) => `${where(e.path) ? `${where(e.path)}: ` : ''}${translateMessage(lang, e.message)}`)].filter(Boolean).join(' · ');
    } catch {
      return String(res.status);
    }
  };

  app.post('/app/rounds/:roundId/personal-links', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const b = pageForm(request);
    const form = b.form === 'management' ? 'management' : 'employee';
    const file = b.csv;
    const typed = typeof b.addresses === 'string' ? b.addresses.trim() : '';
    const data = isUploadedFile(file) && file.data.length > 0 ? file.data : typed ? Buffer.from(`${typed}\n`, 'utf8') : null;
    if (!data) {
      const ctx = ctxOf(request, reply);
      return roundPage(request, reply, null, { text: ctx.t('formErrors'), tone: 'error' }, 400);
    }
    const api = apiClient(app, request);
    const settings = await api.get<InvitationSettings>(`/api/v1/rounds/${encodeURIComponent(roundId)}/invitations/settings`);
    const res = await api.call('POST', `/api/v1/rounds/${encodeURIComponent(roundId)}/invitations/personal?form=${form}`, {
      body: data,
      contentType: 'text/csv',
      headers: { accept: settings.selfSendLinks ? 'text/csv' : 'application/json' },
    });
    if (res.status >= 400) {
      const ctx = ctxOf(request, reply);
      return roundPage(request, reply, null, { text: `${ctx.t('errorTitle')}: ${problemLine(res, ctx.lang)}`, tone: 'error' }, res.status);
    }
    // Every address already had a link: say so instead of handing out a file without links.
    if (settings.selfSendLinks && res.body.trim().split(/\r?\n/).length <= 1) {
      const ctx = ctxOf(request, reply);
      return roundPage(request, reply, null, { text: ctx.t('allAlreadyInvited', { n: String(res.headers['x-already-invited'] ?? '0') }), tone: 'error' }, 409);
    }
    if (!settings.selfSendLinks) {
      const ctx = ctxOf(request, reply);
      const r = res.json<{ created: number; alreadyInvited: unknown[] }>();
      const round = await api.get<Round>(`/api/v1/rounds/${encodeURIComponent(roundId)}`);
      const text = [
        ctx.t('invitationsQueued', { n: r.created }),
        round.status === 'draft' || !round.answerable ? ctx.t('invitationsWaitForOpening') : '',
        r.alreadyInvited.length ? ctx.t('alreadyInvitedCount', { n: r.alreadyInvited.length }) : '',
      ].filter(Boolean).join(' ');
      return roundPage(request, reply, null, { text, tone: 'ok' });
    }
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="personal-links-${form}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(res.rawPayload);
  });

  app.post('/app/rounds/:roundId/reminders', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const b = pageForm(request);
    const days = typeof b.daysBeforeClose === 'string' && b.daysBeforeClose.trim() !== '' ? Number(b.daysBeforeClose) : null;
    const res = await apiClient(app, request).call('POST', `/api/v1/rounds/${encodeURIComponent(roundId)}/reminders`, { json: days !== null ? { daysBeforeClose: days } : {} });
    const ctx = ctxOf(request, reply);
    if (res.status >= 400) return roundPage(request, reply, null, { text: `${ctx.t('errorTitle')}: ${problemLine(res, ctx.lang)}`, tone: 'error' }, res.status);
    return roundPage(request, reply, null, { text: days !== null ? ctx.t('reminderScheduled') : ctx.t('reminderQueued'), tone: 'ok' });
  });

  app.post('/app/rounds/:roundId/mail-batches/:batchId/cancel', opts, async (request, reply) => {
    const { roundId, batchId } = pageParams(request, roundBatchParamsSchema, 'Mail batch');
    const res = await apiClient(app, request).call('DELETE', `/api/v1/rounds/${encodeURIComponent(roundId)}/mail-batches/${encodeURIComponent(batchId)}`);
    if (res.status >= 400) {
      const ctx = ctxOf(request, reply);
      return roundPage(request, reply, null, { text: `${ctx.t('errorTitle')}: ${problemLine(res, ctx.lang)}`, tone: 'error' }, res.status);
    }
    return reply.redirect(`/app/rounds/${roundId}`, 303);
  });

  app.post('/app/rounds/:roundId/invitation-settings', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const b = pageForm(request);
    const res = await apiClient(app, request).call('PUT', `/api/v1/rounds/${encodeURIComponent(roundId)}/invitations/settings`, { json: { selfSendLinks: b.selfSendLinks === 'true' } });
    if (res.status >= 400) {
      const ctx = ctxOf(request, reply);
      return roundPage(request, reply, null, { text: `${ctx.t('errorTitle')}: ${problemLine(res, ctx.lang)}`, tone: 'error' }, res.status);
    }
    return reply.redirect(`/app/rounds/${roundId}`, 303);
  });
}
