// Department pages (issue 18 item 3): the visible departments of a closed round with their reports,
// one page per visible department (the department against the organisation, as in its PDF), and a
// batch of the PDFs of every visible department for consultants and HR. Everything is read from the
// API: the published results (organisation and `department:<key>` view) and the department-report
// routes. A hidden department and an unknown one get the same 404.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { conversationQuestions, departmentComparison, visibleDepartments, DEPARTMENT_TEXT, type DepartmentComparison } from '../../../report-templates/department-report.js';
import { fmtScore, fmtScoreDelta } from '../../../report-templates/format.js';
import { differenceWords } from '../../../scans/differences.js';
import type { ResultModel } from '../../../scans/result-model.js';
import { roundParamsSchema } from '../../contracts/rounds.js';
import { NotFoundError } from '../../lib/errors.js';
import { ApiError, apiClient } from '../api-client.js';
import { requireStaffPage } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang } from '../i18n.js';
import { pageForm, pageParams } from '../params.js';
import { differenceMark } from '../views/dashboard.js';
import { csrfField, ctxOf, sendStaffPage, type Organisation, type Round } from './staff-common.js';

const T = {
  nl: {
    title: 'Afdelingen',
    lead: 'Per afdeling die de anonimiteitsregels toelaten: de afdeling naast de organisatie als geheel, als pagina en als kort rapport voor de leidinggevende en het teamgesprek. Afdelingen met te weinig respondenten, of die door aftrekken herleidbaar zouden zijn, staan hier niet.',
    none: 'De resultaten van deze ronde tonen geen afdeling: geen enkele afdeling heeft genoeg respondenten om apart te tonen.',
    view: 'Bekijken',
    pdf: 'PDF (Nederlands)',
    pdfEn: 'PDF (Engels)',
    batch: 'Alle afdelingsrapporten maken',
    batchLead: 'Maakt het rapport van elke zichtbare afdeling in één keer, op de achtergrond. U kunt ze downloaden zodra ze klaar zijn.',
    languages: 'Talen',
    nl: 'Nederlands',
    en: 'Engels',
    start: 'Rapporten maken',
    back: 'Terug naar de resultaten',
    backList: 'Terug naar de afdelingen',
    batchTitle: 'Afdelingsrapporten',
    progress: (done: number, total: number) => `${done} van ${total} klaar`,
    refresh: 'Vernieuwen',
    download: 'Downloaden',
    status: { queued: 'in de wachtrij', running: 'wordt gemaakt', done: 'klaar', failed: 'mislukt' },
    department: 'Afdeling',
    language: 'Taal',
    state: 'Status',
    link: 'Afdelingen en afdelingsrapporten',
    respondents: 'medewerkers van de afdeling',
    orgRespondents: 'medewerkers in de organisatie',
    hidden: 'verborgen',
    priorities: 'Prioriteiten van de organisatie',
  },
  en: {
    title: 'Departments',
    lead: 'For each department the anonymity rules allow: the department beside the organisation as a whole, as a page and as a short report for the manager and the team conversation. Departments with too few respondents, or that could be derived by subtraction, are not listed.',
    none: 'The results of this round show no department: no department has enough respondents to be shown on its own.',
    view: 'View',
    pdf: 'PDF (Dutch)',
    pdfEn: 'PDF (English)',
    batch: 'Make all department reports',
    batchLead: 'Makes the report of every visible department in one go, in the background. You can download them once they are ready.',
    languages: 'Languages',
    nl: 'Dutch',
    en: 'English',
    start: 'Make reports',
    back: 'Back to the results',
    backList: 'Back to the departments',
    batchTitle: 'Department reports',
    progress: (done: number, total: number) => `${done} of ${total} ready`,
    refresh: 'Refresh',
    download: 'Download',
    status: { queued: 'queued', running: 'being made', done: 'ready', failed: 'failed' },
    department: 'Department',
    language: 'Language',
    state: 'Status',
    link: 'Departments and department reports',
    respondents: 'employees of the department',
    orgRespondents: 'employees in the organisation',
    hidden: 'hidden',
    priorities: 'Priorities of the organisation',
  },
} as const;

interface DepartmentList {
  departments: Array<{ key: string; label: { nl: string; en: string }; report: string }>;
}

interface DepartmentBatch {
  id: string;
  total: number;
  done: number;
  failed: number;
  finished: boolean;
  jobs: Array<{ id: string; department: string; label: { nl: string; en: string } | null; lang: 'nl' | 'en'; status: 'queued' | 'running' | 'done' | 'failed'; error: string | null; download: string | null }>;
}

const base = (roundId: string) => `/app/rounds/${roundId}/departments`;
const viewUrl = (roundId: string, key: string) => `${base(roundId)}/view?department=${encodeURIComponent(key)}`;
const pdfUrl = (roundId: string, key: string, lang: Lang) => `/api/v1/rounds/${roundId}/reports/department.pdf?department=${encodeURIComponent(key)}&lang=${lang}`;

/** The comparison as a page section: the table per mechanism, the statements, the questions. */
function comparisonView(cmp: DepartmentComparison, org: ResultModel, lang: Lang): SafeHtml {
  const x = DEPARTMENT_TEXT[lang];
  const y = T[lang];
  const count = (n: number | null) => (n === null ? y.hidden : String(n));
  // A list rather than a table: four columns do not fit a phone without hiding the difference.
  const mechanisms = html`<section class="card" aria-labelledby="dept-mechanisms"><h2 id="dept-mechanisms">${x.mechanisms}</h2><p class="muted small">${x.mechanismsLead}</p>
    <ul class="dept-compare">${cmp.mechanisms.map((m) => {
      const d = m.difference;
      return html`<li class="dept-mech" data-mechanism="${m.mechanismId}"><h3>${m.name[lang]}</h3>
        <p>${x.colDept} <strong>${m.department ? fmtScore(m.department.mean, lang) : x.noFigure}</strong> · ${x.colOrg} <strong>${m.organisation ? fmtScore(m.organisation.mean, lang) : x.noFigure}</strong> · ${x.colDiff}
        ${d ? html`${differenceMark(lang, fmtScoreDelta(d.delta, lang), d)} <span class="small muted">(${x.verdict[d.verdict]})</span>` : html`<span class="muted">${x.noFigureWords}</span>`}</p></li>`;
    })}</ul></section>`;
  const items = !cmp.itemsAvailable
    ? html`<p>${x.itemsNone}</p>`
    : cmp.items.length === 0
      ? html`<p>${x.itemsNoneOther}</p>`
      : html`<p class="muted small">${x.itemsLead}</p><ol class="dept-items">${cmp.items.map(
          (it) => html`<li><p>${it.text[lang]} <span class="muted small">(${it.mechanismName[lang]}${it.reverse ? html`; ${x.reversed}` : ''})</span></p>
            <p class="small">${x.colDept} ${fmtScore(it.department.mean, lang)} · ${x.colOrg} ${fmtScore(it.organisation.mean, lang)} · ${differenceMark(lang, fmtScoreDelta(it.difference.delta, lang), it.difference)}: ${differenceWords(it.difference, lang)}</p></li>`,
        )}</ol>`;
  const priorities = org.priorities.slice(0, 3);
  return html`<div class="stack"><dl class="kv"><dt>${y.respondents}</dt><dd>${count(cmp.respondents)}</dd><dt>${y.orgRespondents}</dt><dd>${count(cmp.organisationRespondents)}</dd></dl>
    ${mechanisms}
    <section class="card" aria-labelledby="dept-items"><h2 id="dept-items">${x.items}</h2>${items}</section>
    <section class="card" aria-labelledby="dept-questions"><h2 id="dept-questions">${x.questions}</h2><p class="muted small">${x.questionsLead}</p>
      <ol>${conversationQuestions(cmp, lang).map((q) => html`<li>${q}</li>`)}</ol></section>
    <section class="card" aria-labelledby="dept-context"><h2 id="dept-context">${x.context}</h2><p class="muted small">${x.contextLead}</p>
      ${priorities.length === 0 ? html`<p>${x.noPriorities}</p>` : html`<ol>${priorities.map((p) => html`<li><strong>${p.name[lang]}</strong>${p.reasons[0] ? html`: ${p.reasons[0].text[lang]}` : ''}</li>`)}</ol>`}</section>
    <section class="card" aria-labelledby="dept-method"><h2 id="dept-method">${x.method}</h2><p class="small">${x.methodText}</p><p class="small">${x.anonymity(cmp.threshold)}</p></section></div>`;
}

const viewQuery = z.object({ department: z.string().min(1).max(200) });
const batchParams = roundParamsSchema.extend({ batchId: z.uuid() });

export default async function departmentPages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  async function context(request: Parameters<typeof ctxOf>[0], roundId: string) {
    const api = apiClient(app, request);
    const round = await api.get<Round>(`/api/v1/rounds/${encodeURIComponent(roundId)}`);
    const org = await api.get<Organisation>(`/api/v1/organisations/${round.organisationId}`);
    return { api, round, org };
  }

  const crumbsOf = (ctx: ReturnType<typeof ctxOf>, org: Organisation, round: Round, last: string, list = false) => [
    { href: '/app', label: ctx.t('organisations') },
    { href: `/app/organisations/${org.id}`, label: org.name },
    { href: `/app/rounds/${round.id}`, label: round.name },
    { href: `/app/rounds/${round.id}/results`, label: ctx.t('results') },
    ...(list ? [{ href: base(round.id), label: T[ctx.lang].title }] : []),
    { label: last },
  ];

  app.get('/app/rounds/:roundId/departments', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const y = T[ctx.lang];
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const { api, round, org } = await context(request, roundId);
    let body: SafeHtml;
    try {
      const { departments } = await api.get<DepartmentList>(`/api/v1/rounds/${round.id}/departments`);
      const mayBatch = org.yourRoles.some((r) => r === 'consultant' || r === 'hr');
      body = departments.length === 0
        ? html`<p class="empty">${y.none}</p>`
        : html`<div class="table-wrap" tabindex="0"><table class="table table-compact">
            <caption class="visually-hidden">${y.title}</caption>
            <thead><tr><th scope="col">${y.department}</th><th scope="col">${y.download}</th></tr></thead>
            <tbody>${departments.map(
              (d) => html`<tr><th scope="row"><a class="table-link" href="${viewUrl(round.id, d.key)}">${d.label[ctx.lang]}</a></th>
                <td><a href="${pdfUrl(round.id, d.key, 'nl')}" download>${y.pdf}</a> · <a href="${pdfUrl(round.id, d.key, 'en')}" download>${y.pdfEn}</a></td></tr>`,
            )}</tbody></table></div>
          ${mayBatch
            ? html`<form method="post" action="${`${base(round.id)}/batch`}" class="card section">
                ${csrfField(request)}
                <h2>${y.batch}</h2><p class="muted small">${y.batchLead}</p>
                <fieldset><legend>${y.languages}</legend>
                  <label><input type="checkbox" name="languages" value="nl" checked> ${y.nl}</label>
                  <label><input type="checkbox" name="languages" value="en"> ${y.en}</label></fieldset>
                <button type="submit" class="btn btn-primary">${y.start}</button></form>`
            : ''}`;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 401 || err.status === 404) throw err;
      body = html`<p class="empty">${err.code === 'round_not_closed' ? ctx.t('resultsAfterClose') : ctx.t('notYetResults')}</p>`;
    }
    return sendStaffPage(app, request, reply, ctx, {
      title: `${y.title}: ${round.name}`,
      crumbs: crumbsOf(ctx, org, round, y.title),
      body: html`<div class="page-head"><div><p class="eyebrow">${org.name}</p><h1>${y.title}</h1><p class="lead">${y.lead}</p></div></div>${body}
        <p><a href="${`/app/rounds/${round.id}/results`}">${y.back}</a></p>`,
    });
  });

  app.get('/app/rounds/:roundId/departments/view', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const y = T[ctx.lang];
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const q = viewQuery.safeParse(request.query);
    if (!q.success) throw new NotFoundError('Department');
    const { api, round, org } = await context(request, roundId);
    const model = await api.get<ResultModel>(`/api/v1/rounds/${round.id}/results`);
    // Only a department the published results show; hidden and unknown alike are a 404.
    const visible = visibleDepartments(model).find((d) => d.key === q.data.department);
    if (!visible) throw new NotFoundError('Department');
    let dept: ResultModel;
    try {
      dept = await api.get<ResultModel>(`/api/v1/rounds/${round.id}/results?segment=${encodeURIComponent(`department:${visible.key}`)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) throw new NotFoundError('Department');
      throw err;
    }
    const cmp = departmentComparison(model, dept);
    const name = visible.label[ctx.lang];
    const title = DEPARTMENT_TEXT[ctx.lang].title(name);
    return sendStaffPage(app, request, reply, ctx, {
      title: `${title}: ${round.name}`,
      crumbs: crumbsOf(ctx, org, round, name, true),
      body: html`<div class="page-head"><div><p class="eyebrow">${org.name} · ${round.name}</p><h1>${title}</h1><p class="lead">${DEPARTMENT_TEXT[ctx.lang].pageLead}</p></div>
          <div class="actions"><a class="btn btn-primary" href="${pdfUrl(round.id, visible.key, ctx.lang)}" download>${ctx.lang === 'nl' ? y.pdf : y.pdfEn}</a></div></div>
        ${comparisonView(cmp, model, ctx.lang)}
        <p><a href="${base(round.id)}">${y.backList}</a></p>`,
    });
  });

  app.post('/app/rounds/:roundId/departments/batch', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const raw = pageForm(request);
    const list = Array.isArray(raw.languages) ? raw.languages : raw.languages === undefined ? [] : [raw.languages];
    const languages = list.filter((l): l is 'nl' | 'en' => l === 'nl' || l === 'en');
    const batch = await apiClient(app, request).ok<DepartmentBatch>('POST', `/api/v1/rounds/${encodeURIComponent(roundId)}/reports/department-batches`, {
      json: { languages: languages.length > 0 ? languages : ['nl'] },
    });
    return reply.redirect(`${base(roundId)}/batches/${batch.id}`, 303);
  });

  app.get('/app/rounds/:roundId/departments/batches/:batchId', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const y = T[ctx.lang];
    const { roundId, batchId } = pageParams(request, batchParams, 'Report batch');
    const { api, round, org } = await context(request, roundId);
    const batch = await api.get<DepartmentBatch>(`/api/v1/rounds/${round.id}/reports/department-batches/${batchId}`);
    return sendStaffPage(app, request, reply, ctx, {
      title: `${y.batchTitle}: ${round.name}`,
      crumbs: crumbsOf(ctx, org, round, y.batchTitle, true),
      body: html`<div class="page-head"><div><p class="eyebrow">${org.name}</p><h1>${y.batchTitle}</h1><p class="lead">${y.progress(batch.done, batch.total)}</p></div>
          ${batch.finished ? '' : html`<div class="actions"><a class="btn btn-secondary" href="${`${base(round.id)}/batches/${batch.id}`}">${y.refresh}</a></div>`}</div>
        <div class="table-wrap" tabindex="0"><table class="table table-compact">
          <caption class="visually-hidden">${y.batchTitle}</caption>
          <thead><tr><th scope="col">${y.department}</th><th scope="col">${y.language}</th><th scope="col">${y.state}</th></tr></thead>
          <tbody>${batch.jobs.map(
            (j) => html`<tr><th scope="row">${j.label?.[ctx.lang] ?? j.department}</th><td>${T[ctx.lang][j.lang]}</td>
              <td>${j.download ? html`<a href="${j.download}" download>${y.download}</a>` : y.status[j.status]}${j.status === 'failed' && j.error ? html` <span class="small muted">(${j.error})</span>` : ''}</td></tr>`,
          )}</tbody></table></div>
        <p><a href="${base(round.id)}">${y.backList}</a></p>`,
    });
  });
}

/** The link the results page shows to the department pages. */
export function departmentsLink(roundId: string, lang: Lang): SafeHtml {
  return html`<p class="results-departments-link"><a class="btn btn-secondary" href="${base(roundId)}">${T[lang].link}</a></p>`;
}
