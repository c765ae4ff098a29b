// Consultancy settings: branding (name, accent colour, logo) and the consultancy's own benchmark sets.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { principalScope } from '../../auth/principal.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import type { Branding } from '../../contracts/consultancy.js';
import { NotFoundError } from '../../lib/errors.js';
import { ApiError, apiClient } from '../api-client.js';
import { isConsultant, requireStaffPage, staffUser, type PageContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { fmtDate } from '../i18n.js';
import { isUploadedFile } from '../multipart.js';
import { CULTURE_SCAN_V1 } from '../../../scans/index.js';
import { BENCHMARK_CSV_COLUMNS } from '../../results/benchmark-sets.js';
import { csrfField, ctxOf, sendStaffPage } from './staff-common.js';
import { pageForm, pageQuery } from '../params.js';
import type { BenchmarkSetView } from '../../contracts/benchmarks.js';

type Notice = { text: string; tone: 'ok' | 'error'; details?: string[] } | null;

function noticeBox(n: Notice): SafeHtml {
  if (!n) return html``;
  return html`<div class="${`notice notice-${n.tone}`}" role="${n.tone === 'ok' ? 'status' : 'alert'}" tabindex="-1" id="${n.tone === 'error' ? 'form-error' : 'form-ok'}">
    <p>${n.text}</p>${n.details?.length ? html`<ul>${n.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`;
}

export default async function settingsPages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  function onlyConsultants(request: FastifyRequest) {
    if (!isConsultant(staffUser(request))) throw new NotFoundError('Page');
  }

  // ---- branding -------------------------------------------------------------------------------------

  async function brandingPage(request: FastifyRequest, reply: FastifyReply, notice: Notice, status = 200) {
    onlyConsultants(request);
    const ctx = ctxOf(request, reply);
    const { t } = ctx;
    const b = await apiClient(app, request).get<Branding>('/api/v1/consultancy/branding');
    return sendStaffPage(app, request, reply, ctx, {
      status,
      nav: 'branding',
      title: t('branding'),
      body: html`<div class="page-head"><div><h1>${t('branding')}</h1><p class="lead">${t('brandingLead')}</p></div></div>
      ${noticeBox(notice)}
      <form method="post" action="/app/branding" enctype="multipart/form-data" class="card card-form">
        ${csrfField(request)}
        <div class="field"><label for="name">${t('consultancyName')}</label><input id="name" name="name" type="text" required maxlength="200" value="${b.name}"></div>
        <div class="field"><label for="accentColor">${t('accentColour')}</label>
          <div class="colour-row"><input id="accentColor" name="accentColor" type="color" value="${b.accentColor}" aria-describedby="accent-hint"><span class="muted small" id="accent-hint">${b.accentColor}</span></div></div>
        <div class="field"><label for="logo">${t('logo')}</label><input id="logo" name="logo" type="file" accept="image/png,image/jpeg"></div>
        ${
          b.logo
            ? html`<div class="field"><span class="label">${t('currentLogo')}</span><img class="logo-preview" src="/app/branding/logo" alt="${`${t('currentLogo')}: ${b.name}`}">
              <label class="check"><input type="checkbox" name="removeLogo" value="true"> ${t('removeLogo')}</label></div>`
            : ''
        }
        <div class="form-actions"><button type="submit" class="btn btn-primary">${t('save')}</button></div>
      </form>`,
    });
  }

  app.get('/app/branding', opts, async (request, reply) => {
    const q = pageQuery(request);
    return brandingPage(request, reply, q.saved === '1' ? { text: ctxOf(request, reply).t('saved'), tone: 'ok' } : null);
  });

  app.post('/app/branding', opts, async (request, reply) => {
    onlyConsultants(request);
    const b = pageForm(request);
    const body: Record<string, unknown> = {
      name: typeof b.name === 'string' ? b.name.trim() : '',
      accentColor: typeof b.accentColor === 'string' ? b.accentColor : '',
    };
    if (isUploadedFile(b.logo) && b.logo.data.length > 0) body.logo = b.logo.data.toString('base64');
    else if (b.removeLogo === 'true') body.logo = null;
    try {
      await apiClient(app, request).ok('PUT', '/api/v1/consultancy/branding', { json: body });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const ctx = ctxOf(request, reply);
        return brandingPage(request, reply, { text: ctx.t('formErrors'), tone: 'error', details: (err.problem.errors ?? []).map((e) => `${e.path}: ${e.message}`).concat(err.problem.errors?.length ? [] : [err.problem.detail ?? '']) }, 400);
      }
      throw err;
    }
    return reply.redirect('/app/branding?saved=1', 303);
  });

  /** The logo of the consultancy the signed-in user works with (shown in the header). */
  app.get('/app/branding/logo', opts, async (request, reply) => {
    const p = staffUser(request);
    const scope = principalScope(p);
    let consultancyId = scope.consultancyIds[0];
    if (!consultancyId && scope.organisationIds[0]) {
      const org = await withTenantScope(app.db, p, (tx) => tx.selectFrom('organisations').select('consultancy_id').where('id', '=', scope.organisationIds[0]!).executeTakeFirst());
      consultancyId = org?.consultancy_id;
    }
    if (!consultancyId) throw new NotFoundError('Logo');
    const id = consultancyId;
    const row = await withTenantScope(app.db, p, (tx) => tx.selectFrom('consultancies').select(['logo', 'logo_mime']).where('id', '=', id).executeTakeFirst());
    if (!row?.logo || !row.logo_mime) throw new NotFoundError('Logo');
    return reply.type(row.logo_mime).header('cache-control', 'private, no-cache').send(Buffer.from(row.logo));
  });

  // ---- benchmark sets ---------------------------------------------------------------------------------

  async function benchmarksPage(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, notice: Notice, name = '', status = 200) {
    onlyConsultants(request);
    const { t } = ctx;
    const { sets } = await apiClient(app, request).get<{ sets: BenchmarkSetView[] }>('/api/v1/benchmark-sets');
    return sendStaffPage(app, request, reply, ctx, {
      status,
      nav: 'benchmarks',
      title: t('benchmarks'),
      body: html`<div class="page-head"><div><h1>${t('benchmarkSets')}</h1><p class="lead">${t('benchmarkLead')}</p></div></div>
      ${noticeBox(notice)}
      <div class="grid grid-main-side">
        <section aria-labelledby="sets-title">
          <h2 id="sets-title" class="visually-hidden">${t('benchmarkSets')}</h2>
          ${
            sets.length === 0
              ? html`<p class="empty">${t('noBenchmarkSets')}</p>`
              : html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${t('setName')}</th><th scope="col" class="num">${t('values')}</th><th scope="col">${t('uploaded')}</th></tr></thead>
              <tbody>${sets.map((s) => html`<tr><th scope="row">${s.name}</th><td class="num">${s.valueCount}</td><td>${fmtDate(ctx.lang, s.createdAt)}</td></tr>`)}</tbody></table></div>`
          }
        </section>
        <form method="post" action="/app/benchmarks" enctype="multipart/form-data" class="card stack-tight">
          <h2>${t('upload')}</h2>
          ${csrfField(request)}
          <div class="field"><label for="set-name">${t('setName')}</label><input id="set-name" name="name" type="text" required maxlength="200" value="${name}"></div>
          <div class="field"><label for="set-csv">${t('csvFile')}</label><input id="set-csv" name="csv" type="file" accept=".csv,text/csv,text/plain" required></div>
          <p class="hint benchmark-columns">${ctx.lang === 'nl' ? 'Kolommen' : 'Columns'}: ${BENCHMARK_CSV_COLUMNS.map((c, i) => html`${i > 0 ? ', ' : ''}<code>${c}</code>`)}. <a href="/app/benchmarks/template.csv" download>${ctx.lang === 'nl' ? 'Voorbeeldbestand (CSV)' : 'Template (CSV)'}</a></p>
          <button type="submit" class="btn btn-primary">${t('upload')}</button>
        </form>
      </div>
      <details class="card section benchmark-targets">
        <summary>${ctx.lang === 'nl' ? 'Geldige waarden voor target_id' : 'Valid values of target_id'}</summary>
        <p class="muted small">${ctx.lang === 'nl'
          ? 'target_kind "scale": het mechanisme; target_kind "item": de uitspraak. metric "favourable" (0–100, percentage gunstig) of "mean" (1–5); n is het aantal respondenten van de vergelijkingsgroep.'
          : 'target_kind "scale": the mechanism; target_kind "item": the statement. metric "favourable" (0–100, percentage favourable) or "mean" (1–5); n is the number of respondents of the comparison group.'}</p>
        <div class="table-wrap" tabindex="0"><table class="stack-sm table-compact"><thead><tr><th scope="col">target_kind</th><th scope="col">target_id</th><th scope="col">${ctx.lang === 'nl' ? 'Betekenis' : 'Meaning'}</th></tr></thead><tbody>
          ${CULTURE_SCAN_V1.scales.map((sc) => html`<tr><td data-label="target_kind"><code>scale</code></td><td data-label="target_id"><code>${sc.id}</code></td><td data-label="${ctx.lang === 'nl' ? 'Betekenis' : 'Meaning'}">${sc.name[ctx.lang]}</td></tr>
          ${sc.items.map((it) => html`<tr><td data-label="target_kind"><code>item</code></td><td data-label="target_id"><code>${it.id}</code></td><td data-label="${ctx.lang === 'nl' ? 'Betekenis' : 'Meaning'}">${it.text.employee[ctx.lang]}</td></tr>`)}`)}
        </tbody></table></div>
      </details>
      <div>
      </div>`,
    });
  }

  // A template with one row per mechanism, the columns the upload requires, ready to fill in.
  app.get('/app/benchmarks/template.csv', opts, async (request, reply) => {
    onlyConsultants(request);
    const rows = CULTURE_SCAN_V1.scales.map((sc) => ['scale', sc.id, 'favourable', '', '', '', String(new Date().getFullYear())].join(','));
    return reply
      .header('content-disposition', 'attachment; filename="benchmark-template.csv"')
      .type('text/csv; charset=utf-8')
      .send(`${BENCHMARK_CSV_COLUMNS.join(',')}\n${rows.join('\n')}\n`);
  });

  app.get('/app/benchmarks', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const q = pageQuery(request);
    return benchmarksPage(request, reply, ctx, q.uploaded ? { text: `${ctx.t('uploaded')}: ${q.uploaded}`, tone: 'ok' } : null);
  });

  app.post('/app/benchmarks', opts, async (request, reply) => {
    onlyConsultants(request);
    const ctx = ctxOf(request, reply);
    const b = pageForm(request);
    const name = typeof b.name === 'string' ? b.name.trim() : '';
    const file = b.csv;
    if (!name || !isUploadedFile(file) || file.data.length === 0) {
      return benchmarksPage(request, reply, ctx, { text: ctx.t('formErrors'), tone: 'error' }, name, 400);
    }
    try {
      await apiClient(app, request).ok('POST', `/api/v1/benchmark-sets?name=${encodeURIComponent(name)}`, { body: file.data.toString('utf8'), contentType: 'text/csv' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const details = (err.problem.errors ?? []).slice(0, 20).map((e) => `${e.path}: ${e.message}`);
        return benchmarksPage(request, reply, ctx, { text: `${ctx.t('uploadRejected')} ${err.problem.detail ?? ''}`, tone: 'error', details }, name, 400);
      }
      throw err;
    }
    return reply.redirect(`/app/benchmarks?uploaded=${encodeURIComponent(name)}`, 303);
  });
}
