// Workspace home (a consultant's client organisations), an organisation's rounds, and creating a round.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CURRENT_CULTURE_SCAN, MODULES, listInstruments } from '../../../scans/index.js';
import { SURVEY_MODULES, SURVEY_MODULE_NAMES } from '../../../scans/modules/definitions.js';
import { SECTORS, SIZE_CLASSES } from '../../contracts/organisations.js';
import { ApiError, apiClient } from '../api-client.js';
import { requireStaffPage, type PageContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { fmtDate, type TextKey } from '../i18n.js';
import { dayToIso } from './dates.js';
import { canManage, csrfField, ctxOf, fieldErrors, sendStaffPage, statusBadge, type Organisation, type Round } from './staff-common.js';
import { orgPageParams, pageForm, pageParams } from '../params.js';

function sectorLabel(id: string, lang: 'nl' | 'en') {
  return SECTORS.find((s) => s.id === id)?.label[lang] ?? id;
}
function sizeLabel(id: string, lang: 'nl' | 'en') {
  return (SIZE_CLASSES.find((s) => s.id === id)?.label[lang] ?? id).replace(/\s*\(.*\)$/, '');
}

/** When a round ran (or will run): opened, else planned opening, else created. Newest first. */
const roundTime = (r: Round) => Date.parse(r.openedAt ?? r.opensAt ?? r.createdAt);
export function newestFirst(rounds: Round[]): Round[] {
  return [...rounds].sort((a, b) => roundTime(b) - roundTime(a) || Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

export function roundMeta(ctx: PageContext, r: Round): string {
  const parts: string[] = [];
  if (r.opensAt || r.closesAt) parts.push(`${fmtDate(ctx.lang, r.opensAt)} – ${fmtDate(ctx.lang, r.closesAt)}`);
  parts.push(r.modules.map((m) => ctx.t(`module_${m}` as TextKey)).join(', '));
  return parts.join(' · ');
}

interface RoundFormValues {
  name: string;
  modules: string[];
  languages: string[];
  opensAt: string;
  closesAt: string;
  departments: string;
  anonymityThreshold: string;
  employeePlacements: boolean;
  instrumentId: string;
  surveyModules: string[];
}

// The round form's instrument choice and optional modules (issue 17).
const ROUND_FORM_TEXT = {
  instrument: { nl: 'Versie van de vragenlijst', en: 'Questionnaire version' },
  instrumentHint: {
    nl: 'Nieuwe rondes gebruiken de nieuwste versie. Kies de oudere versie alleen om precies te vergelijken met een eerdere ronde.',
    en: 'New rounds use the newest version. Choose the older version only to compare exactly with an earlier round.',
  },
  items: { nl: 'stellingen', en: 'statements' },
  current: { nl: 'nieuwste', en: 'newest' },
  surveyModules: { nl: 'Extra onderdelen voor medewerkers (optioneel)', en: 'Extra parts for employees (optional)' },
} as const;

function roundForm(request: FastifyRequest, ctx: PageContext, org: Organisation, v: RoundFormValues, errors: Map<string, string>): SafeHtml {
  const { t } = ctx;
  const err = (key: string, id: string) => (errors.has(key) ? html`<p class="field-error" id="${`${id}-error`}">${errors.get(key)!}</p>` : '');
  const inv = (key: string, id: string) => (errors.has(key) ? html` aria-invalid="true" aria-describedby="${`${id}-error`}"` : '');
  return html`<form method="post" action="${`/app/organisations/${org.id}/rounds`}" class="card card-form card-form-wide" novalidate>
    ${csrfField(request)}
    ${errors.size > 0 ? html`<div class="notice notice-error" role="alert" id="form-error" tabindex="-1">${t('formErrors')}</div>` : ''}
    <div class="field">
      <label for="name">${t('roundName')}</label>
      <input id="name" name="name" type="text" required maxlength="200" value="${v.name}"${inv('name', 'name')}>
      ${err('name', 'name')}
    </div>
    <fieldset class="form-section">
      <legend>${ROUND_FORM_TEXT.instrument[ctx.lang]}</legend>
      <p class="hint" id="instrument-hint">${ROUND_FORM_TEXT.instrumentHint[ctx.lang]}</p>
      <div class="checks">
        ${listInstruments()
          .filter((i) => i.module === 'culture_scan')
          .map((i) => {
            const items = i.module === 'culture_scan' ? i.scales.reduce((n, sc) => n + sc.items.length, 0) : 0;
            const label = `${i.name[ctx.lang]} (v${i.version}, ${items} ${ROUND_FORM_TEXT.items[ctx.lang]}${i.id === CURRENT_CULTURE_SCAN ? `, ${ROUND_FORM_TEXT.current[ctx.lang]}` : ''})`;
            return html`<label class="check"><input type="radio" name="instrumentId" value="${i.id}" aria-describedby="instrument-hint"${v.instrumentId === i.id ? html` checked` : ''}> ${label}</label>`;
          })}
      </div>
      ${err('instrumentId', 'instrumentId')}
    </fieldset>
    <fieldset class="form-section">
      <legend>${ROUND_FORM_TEXT.surveyModules[ctx.lang]}</legend>
      <div class="checks">
        ${SURVEY_MODULES.map((m) => html`<label class="check"><input type="checkbox" name="surveyModules" value="${m}"${v.surveyModules.includes(m) ? html` checked` : ''}> ${SURVEY_MODULE_NAMES[m][ctx.lang]}</label>`)}
      </div>
      ${err('surveyModules', 'surveyModules')}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t('modules')}</legend>
      <div class="checks">
        ${MODULES.map((m) => html`<label class="check"><input type="checkbox" name="modules" value="${m}"${v.modules.includes(m) ? html` checked` : ''}> ${t(`module_${m}` as TextKey)}</label>`)}
      </div>
      ${err('modules', 'modules')}
      <label class="check check-sub"><input type="checkbox" name="employeePlacements" value="true"${v.employeePlacements ? html` checked` : ''}> ${t('employeePlacements')}</label>
      ${err('employeePlacements', 'employeePlacements')}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t('languages')}</legend>
      <div class="checks">
        ${(['nl', 'en'] as const).map((l) => html`<label class="check"><input type="checkbox" name="languages" value="${l}"${v.languages.includes(l) ? html` checked` : ''}> ${t(`lang_${l}`)}</label>`)}
      </div>
      ${err('languages', 'languages')}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t('dates')}</legend>
      <div class="form-row form-row-2">
        <div class="field"><label for="opensAt">${t('opensAt')}</label><input id="opensAt" name="opensAt" type="date" value="${v.opensAt}"${inv('opensAt', 'opensAt')}>${err('opensAt', 'opensAt')}</div>
        <div class="field"><label for="closesAt">${t('closesAt')}</label><input id="closesAt" name="closesAt" type="date" value="${v.closesAt}"${inv('closesAt', 'closesAt')}>${err('closesAt', 'closesAt')}</div>
      </div>
    </fieldset>
    <div class="form-section form-row form-row-2">
      <div class="field">
        <label for="departments">${t('departments')}</label>
        <textarea id="departments" name="departments" rows="6" aria-describedby="departments-hint"${inv('departments', 'departments')}>${v.departments}</textarea>
        <p class="hint" id="departments-hint">${t('departmentsHint')}</p>
        ${err('departments', 'departments')}
      </div>
      <div class="field">
        <label for="anonymityThreshold">${t('threshold')}</label>
        <input id="anonymityThreshold" name="anonymityThreshold" type="number" min="5" max="100" step="1" inputmode="numeric" value="${v.anonymityThreshold}" aria-describedby="threshold-hint"${inv('anonymityThreshold', 'anonymityThreshold')}>
        <p class="hint" id="threshold-hint">${t('thresholdHint')}</p>
        ${err('anonymityThreshold', 'anonymityThreshold')}
      </div>
    </div>
    <div class="form-actions">
      <button type="submit" class="btn btn-primary">${t('createRound')}</button>
      <a class="btn btn-secondary" href="${`/app/organisations/${org.id}`}">${t('cancel')}</a>
    </div>
  </form>`;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export default async function organisationPages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  app.get('/app', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const { t } = ctx;
    const api = apiClient(app, request);
    const { organisations } = await api.get<{ organisations: Organisation[] }>('/api/v1/organisations');
    const p = request.principal!;
    const consultant = p.kind === 'user' && p.roles.some((r) => r.role === 'consultant');
    if (!consultant && organisations.length === 1) return reply.redirect(`/app/organisations/${organisations[0]!.id}`, 303);
    // The latest round of each organisation, so the overview says where every client stands.
    const latest = await Promise.all(organisations.map((o) => api.get<{ rounds: Round[] }>(`/api/v1/organisations/${o.id}/rounds`).then((r) => newestFirst(r.rounds)[0])));
    return sendStaffPage(app, request, reply, ctx, {
      title: consultant ? t('clientOrganisations') : t('organisations'),
      body: html`<div class="page-head"><div><h1>${consultant ? t('clientOrganisations') : t('organisations')}</h1><p class="muted">${t('organisationsLead')}</p></div>
      ${consultant ? html`<div class="actions"><a class="btn btn-primary" href="/app/organisations/new">${t('newOrganisation')}</a></div>` : ''}</div>
      ${
        organisations.length === 0
          ? html`<p class="empty">${t('noOrganisations')}</p>`
          : html`<ul class="org-list">${organisations.map(
              (o, i) => html`<li class="org-item"><div>
                <a href="${`/app/organisations/${o.id}`}">${o.name}</a>
                <p class="org-meta">${sectorLabel(o.sector, ctx.lang)} · ${sizeLabel(o.sizeClass, ctx.lang)}</p>
                ${latest[i] ? html`<p class="org-latest"><span class="muted">${t('latestRound')}:</span> <a class="table-link" href="${`/app/rounds/${latest[i]!.id}`}">${latest[i]!.name}</a> ${statusBadge(ctx, latest[i]!.status)}</p>` : html`<p class="org-latest muted">${t('noRounds')}</p>`}</div>
                ${o.isDemo ? html`<span class="badge badge-demo">${t('demo')}</span>` : ''}
              </li>`,
            )}</ul>`
      }`,
    });
  });

  app.get('/app/organisations/:orgId', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const { t } = ctx;
    const { orgId } = pageParams(request, orgPageParams, 'Organisation');
    const api = apiClient(app, request);
    const org = await api.get<Organisation>(`/api/v1/organisations/${encodeURIComponent(orgId)}`);
    const rounds = newestFirst((await api.get<{ rounds: Round[] }>(`/api/v1/organisations/${org.id}/rounds`)).rounds);
    const manage = canManage(org);
    return sendStaffPage(app, request, reply, ctx, {
      title: org.name,
      crumbs: [{ href: '/app', label: t('organisations') }, { label: org.name }],
      body: html`<div class="page-head">
        <div><h1>${org.name}</h1><p class="muted">${sectorLabel(org.sector, ctx.lang)} · ${sizeLabel(org.sizeClass, ctx.lang)}</p></div>
        ${manage ? html`<div class="actions"><a class="btn btn-secondary" href="${`/app/organisations/${org.id}/users`}">${t('manageUsers')}</a> <a class="btn btn-primary" href="${`/app/organisations/${org.id}/rounds/new`}">${t('newRound')}</a></div>` : ''}
      </div>
      <section aria-labelledby="rounds-title">
        <h2 id="rounds-title">${t('rounds')}</h2>
        ${
          rounds.length === 0
            ? html`<p class="empty">${t('noRounds')}</p>`
            : html`<ul class="round-list">${rounds.map(
                (r) => html`<li class="round-item"><div>
                  <a class="round-name" href="${`/app/rounds/${r.id}`}">${r.name}</a>
                  <p class="round-meta">${roundMeta(ctx, r)}</p></div>
                  <div class="nowrap">${r.isDemo ? html`<span class="badge badge-demo">${t('demo')}</span> ` : ''}${statusBadge(ctx, r.status)}</div>
                </li>`,
              )}</ul>`
        }
      </section>`,
    });
  });

  async function newRoundPage(request: FastifyRequest, reply: FastifyReply, v: RoundFormValues, errors: Map<string, string>, status = 200) {
    const ctx = ctxOf(request, reply);
    const { orgId } = pageParams(request, orgPageParams, 'Organisation');
    const org = await apiClient(app, request).get<Organisation>(`/api/v1/organisations/${encodeURIComponent(orgId)}`);
    // A director may read but not create rounds: refused before filling in the form, not on submit.
    if (!canManage(org)) throw new ApiError({ status: 403, code: 'forbidden', detail: 'Your role does not allow this' });
    return sendStaffPage(app, request, reply, ctx, {
      status,
      title: ctx.t('newRound'),
      crumbs: [{ href: '/app', label: ctx.t('organisations') }, { href: `/app/organisations/${org.id}`, label: org.name }, { label: ctx.t('newRound') }],
      body: html`<div class="page-head"><h1>${ctx.t('newRound')}</h1></div>${roundForm(request, ctx, org, v, errors)}`,
    });
  }

  app.get('/app/organisations/:orgId/rounds/new', opts, async (request, reply) => {
    const year = new Date().getFullYear();
    return newRoundPage(request, reply, {
      name: `Leercultuurscan ${year}`,
      modules: ['culture_scan', 'sme_checklist', 'dialogue_model'],
      languages: ['nl', 'en'],
      opensAt: '',
      closesAt: '',
      departments: '',
      anonymityThreshold: '5',
      employeePlacements: false,
      instrumentId: CURRENT_CULTURE_SCAN,
      surveyModules: [],
    }, new Map());
  });

  app.post('/app/organisations/:orgId/rounds', opts, async (request, reply) => {
    const { orgId } = pageParams(request, orgPageParams, 'Organisation');
    const b = pageForm(request);
    const v: RoundFormValues = {
      name: typeof b.name === 'string' ? b.name : '',
      modules: list(b.modules),
      languages: list(b.languages),
      opensAt: typeof b.opensAt === 'string' ? b.opensAt : '',
      closesAt: typeof b.closesAt === 'string' ? b.closesAt : '',
      departments: typeof b.departments === 'string' ? b.departments : '',
      anonymityThreshold: typeof b.anonymityThreshold === 'string' ? b.anonymityThreshold : '5',
      employeePlacements: b.employeePlacements === 'true',
      instrumentId: typeof b.instrumentId === 'string' && b.instrumentId ? b.instrumentId : CURRENT_CULTURE_SCAN,
      surveyModules: list(b.surveyModules),
    };
    const errors = new Map<string, string>();
    const opensAt = dayToIso(v.opensAt, 'start');
    const closesAt = dayToIso(v.closesAt, 'end');
    if (opensAt === 'invalid') errors.set('opensAt', 'YYYY-MM-DD');
    if (closesAt === 'invalid') errors.set('closesAt', 'YYYY-MM-DD');
    const threshold = Number(v.anonymityThreshold);
    if (!Number.isInteger(threshold)) errors.set('anonymityThreshold', '≥ 5');
    if (errors.size > 0) return newRoundPage(request, reply, v, errors, 400);
    const departments = v.departments
      .split(/\r?\n/)
      .map((d) => d.trim())
      .filter(Boolean);
    try {
      const round = await apiClient(app, request).ok<Round>('POST', `/api/v1/organisations/${encodeURIComponent(orgId)}/rounds`, {
        json: {
          name: v.name.trim(),
          modules: v.modules,
          languages: v.languages,
          ...(departments.length > 0 ? { departments } : {}),
          anonymityThreshold: threshold,
          employeePlacements: v.employeePlacements,
          instrumentId: v.instrumentId,
          surveyModules: v.surveyModules,
          opensAt,
          closesAt,
        },
      });
      return reply.redirect(`/app/rounds/${round.id}?created=1`, 303);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) return newRoundPage(request, reply, v, fieldErrors(err.problem.errors), 400);
      throw err;
    }
  });

}
