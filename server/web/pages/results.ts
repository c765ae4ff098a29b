// The results dashboard of a round, from GET /api/v1/rounds/:id/results, with a benchmark-set picker
// for those who manage the round.
import type { FastifyInstance } from 'fastify';
import type { ResultModel } from '../../../scans/result-model.js';
import { ApiError, apiClient, hasApiRoute } from '../api-client.js';
import { requireStaffPage, staffShell } from '../context.js';
import { html } from '../html.js';
import { dashboard } from '../views/dashboard.js';
import { loadActionsFor } from './actions.js';
import { canManage, csrfField, ctxOf, sendStaffPage, type Organisation, type Round } from './staff-common.js';
import { extrasLink } from './results-extras.js';
import { departmentsLink } from './departments.js';
import type { BenchmarkSetView } from '../../contracts/benchmarks.js';
import { roundParamsSchema } from '../../contracts/rounds.js';
import { pageForm, pageParams } from '../params.js';

export default async function resultPages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  app.get('/app/rounds/:roundId/results', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const { t } = ctx;
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const api = apiClient(app, request);
    const round = await api.get<Round>(`/api/v1/rounds/${encodeURIComponent(roundId)}`);
    const org = await api.get<Organisation>(`/api/v1/organisations/${round.organisationId}`);
    const crumbs = [
      { href: '/app', label: t('organisations') },
      { href: `/app/organisations/${org.id}`, label: org.name },
      { href: `/app/rounds/${round.id}`, label: round.name },
      { label: t('results') },
    ];
    let model: ResultModel;
    try {
      model = await api.get<ResultModel>(`/api/v1/rounds/${round.id}/results`);
    } catch (err) {
      if (err instanceof ApiError && err.status !== 401 && err.status !== 404) {
        const text = err.code === 'round_not_closed' ? t('resultsAfterClose') : t('notYetResults');
        return sendStaffPage(app, request, reply, ctx, {
          title: t('results'),
          crumbs,
          body: html`<div class="page-head"><div><p class="eyebrow">${org.name}</p><h1>${t('resultsFor')}: ${round.name}</h1></div></div>
            <p class="empty">${text} <a href="${`/app/rounds/${round.id}`}">${round.name}</a></p>`,
        });
      }
      throw err;
    }
    // The previous round's served model, for the intervals of the trend (not shown when unreadable).
    let previous: ResultModel | null = null;
    if (model.trend.previousRound) {
      previous = await api.get<ResultModel>(`/api/v1/rounds/${model.trend.previousRound.id}/results`).catch(() => null);
    }
    const plan = hasApiRoute(app, 'GET', '/api/v1/rounds/:roundId/actions') ? await loadActionsFor(api, round).catch(() => null) : null;
    const shell = await staffShell(app, request);
    let picker = html``;
    if (canManage(org) && hasApiRoute(app, 'GET', '/api/v1/benchmark-sets')) {
      const { sets } = await api.get<{ sets: BenchmarkSetView[] }>('/api/v1/benchmark-sets');
      if (sets.length > 0) {
        picker = html`<form method="post" action="${`/app/rounds/${round.id}/benchmark-set`}" class="card benchmark-picker">
          ${csrfField(request)}
          <div class="field"><label for="benchmarkSetId">${t('benchmarkSet')}</label>
          <select id="benchmarkSetId" name="benchmarkSetId"><option value="">${t('noBenchmarkSet')}</option>${sets.map((s) => html`<option value="${s.id}"${model.meta.benchmarkSet?.id === s.id ? html` selected` : ''}>${s.name}</option>`)}</select></div>
          <button type="submit" class="btn btn-secondary">${t('save')}</button>
        </form>`;
      }
    }
    return sendStaffPage(app, request, reply, ctx, {
      title: `${t('results')}: ${round.name}`,
      crumbs,
      scripts: ['/assets/vendor/chart.umd.min.js'],
      body: html`${dashboard({
        model,
        lang: ctx.lang,
        t,
        accent: shell.accent,
        reportsAvailable: hasApiRoute(app, 'GET', '/api/v1/rounds/:roundId/reports/client.pdf'),
        roundUrl: `/app/rounds/${round.id}`,
        previous,
        actions: plan ? { list: plan.actions, progress: plan.progress, url: `/app/rounds/${round.id}/actions` } : null,
      })}${extrasLink(round.id, ctx.lang)}${departmentsLink(round.id, ctx.lang)}${picker}`,
    });
  });

  app.post('/app/rounds/:roundId/benchmark-set', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const b = pageForm(request);
    const id = typeof b.benchmarkSetId === 'string' && b.benchmarkSetId !== '' ? b.benchmarkSetId : null;
    await apiClient(app, request).ok('PUT', `/api/v1/rounds/${encodeURIComponent(roundId)}/benchmark-set`, { json: { benchmarkSetId: id } });
    return reply.redirect(`/app/rounds/${roundId}/results`, 303);
  });

}
