// The Outbox: every message the platform sent or queued, for consultants and HR. Reminders show no
// recipient. In outbox mode (nothing is sent) a message can be opened, with its link, as the person
// would receive it; with SMTP no body is stored and nothing can be opened.
import type { FastifyInstance } from 'fastify';
import { ApiError, apiClient } from '../api-client.js';
import { requireStaffPage } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { fmtDate, type TextKey } from '../i18n.js';
import type { OutboxMessage } from '../../contracts/invitations.js';
import { ctxOf, sendStaffPage } from './staff-common.js';
import { messagePageParams, pageParams, pageQuery } from '../params.js';


/** The plain text with our own survey links made clickable (nothing else is turned into markup). */
function linkified(text: string, publicUrl: string): SafeHtml {
  const escaped = publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(${escaped}/s/[A-Za-z0-9_-]+(?:\\?lang=(?:nl|en))?)`, 'g');
  const parts = text.split(re);
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<a href="${p}" data-testid="message-link">${p}</a>` : p))}`;
}

export default async function outboxPages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  app.get('/app/outbox', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const { t } = ctx;
    const q = pageQuery(request);
    const roundId = typeof q.roundId === 'string' && /^[0-9a-f-]{36}$/i.test(q.roundId) ? q.roundId : null;
    const { transport, messages } = await apiClient(app, request).get<{ transport: 'outbox' | 'smtp'; messages: OutboxMessage[] }>(`/api/v1/outbox${roundId ? `?roundId=${roundId}` : ''}`);
    reply.header('cache-control', 'no-store');
    return sendStaffPage(app, request, reply, ctx, {
      title: t('outbox'),
      nav: 'outbox',
      crumbs: [{ href: '/app', label: t('organisations') }, { label: t('outbox') }],
      body: html`<div class="page-head"><div><h1>${t('outbox')}</h1><p class="muted">${t('outboxLead')}</p></div></div>
      ${transport === 'outbox' ? html`<p class="notice notice-info" role="note">${t('outboxModeNotice')}</p>` : ''}
      <section class="card">
      ${
        messages.length === 0
          ? html`<p class="muted">${t('outboxEmpty')}</p>`
          : html`<div class="table-wrap" tabindex="0"><table data-testid="outbox">
          <caption class="visually-hidden">${t('outbox')}</caption>
          <thead><tr><th scope="col">${t('recipient')}</th><th scope="col">${t('subject')}</th><th scope="col">${t('round')}</th><th scope="col">${t('status')}</th><th scope="col">${t('sentAt')}</th></tr></thead>
          <tbody>${messages.map(
            (m) => html`<tr data-kind="${m.kind}" data-status="${m.status}">
              <td>${m.to ?? html`<span class="muted">${t('recipientHidden')}</span>`}</td>
              <td>${m.viewable ? html`<a href="${`/app/outbox/${m.id}`}">${m.subject ?? t('openMessage')}</a>` : (m.subject ?? html`<span class="muted">${t(`batchKind_${m.kind}` as TextKey)}</span>`)}</td>
              <td class="small">${m.organisationName} · <a href="${`/app/rounds/${m.roundId}`}">${m.roundName}</a></td>
              <td><span class="badge">${t(`mailStatus_${m.status}` as TextKey)}</span>${m.error ? html`<br><span class="small muted">${m.error}</span>` : ''}</td>
              <td class="small nowrap">${m.sentAt ? fmtDate(ctx.lang, m.sentAt) : '–'}</td>
            </tr>`,
          )}</tbody></table></div>`
      }
      </section>`,
    });
  });

  const loadMessage = async (request: Parameters<typeof apiClient>[1], id: string) => {
    try {
      return await apiClient(app, request).get<OutboxMessage & { text: string; html: string }>(`/api/v1/outbox/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  };

  app.get('/app/outbox/:messageId', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const { t } = ctx;
    const { messageId } = pageParams(request, messagePageParams, 'Message');
    const m = await loadMessage(request, messageId);
    if (!m) return reply.redirect('/app/outbox', 303);
    reply.header('cache-control', 'no-store');
    return sendStaffPage(app, request, reply, ctx, {
      title: m.subject ?? t('outbox'),
      nav: 'outbox',
      crumbs: [{ href: '/app', label: t('organisations') }, { href: '/app/outbox', label: t('outbox') }, { label: m.subject ?? '' }],
      body: html`<div class="page-head"><div><p class="eyebrow">${t(`batchKind_${m.kind}` as TextKey)} · ${m.organisationName}</p><h1>${m.subject ?? ''}</h1></div></div>
      <p class="notice notice-info" role="note">${t('outboxModeNotice')}</p>
      <section class="card">
        <dl class="kv"><dt>${t('recipient')}</dt><dd>${m.to ?? t('recipientHidden')}</dd><dt>${t('language')}</dt><dd>${m.language.toUpperCase()}</dd><dt>${t('sentAt')}</dt><dd>${fmtDate(ctx.lang, m.sentAt)}</dd></dl>
        <pre class="mail-text" data-testid="message-text" lang="${m.language}">${linkified(m.text, app.config.publicUrl)}</pre>
        <p><a href="${`/app/outbox/${m.id}/html`}" target="_blank" rel="noopener">${t('htmlVersion')}</a></p>
      </section>`,
    });
  });

  // The HTML mail as received, on its own page under a CSP that allows the mail's inline styles and
  // nothing else (no scripts, no requests), so a stored message cannot run anything in the app.
  app.get('/app/outbox/:messageId/html', opts, async (request, reply) => {
    const { messageId } = pageParams(request, messagePageParams, 'Message');
    const m = await loadMessage(request, messageId);
    if (!m) return reply.redirect('/app/outbox', 303);
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
      .type('text/html; charset=utf-8')
      .send(m.html);
  });
}
