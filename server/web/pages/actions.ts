// The action plan of a round: the actions that answer its results (HR and consultants create and
// update them; directors read), and how the statements of earlier actions moved in this round.
// Everything through the API as the signed-in caller.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { differenceWords, type Difference } from '../../../scans/differences.js';
import type { ResultModel } from '../../../scans/result-model.js';
import { fmtScore, fmtScoreDelta } from '../../../report-templates/format.js';
import type { actionProgressSchema, actionSchema } from '../../contracts/actions.js';
import { ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { ApiError, apiClient } from '../api-client.js';
import { requireStaffPage } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { fmtDate, type Lang } from '../i18n.js';
import { canManage, csrfField, ctxOf, fieldErrors, loadRoundContext, sendStaffPage, type Organisation, type Round } from './staff-common.js';
import { actionPageParams, pageForm, pageParams, pageQuery } from '../params.js';
import { roundParamsSchema } from '../../contracts/rounds.js';

export type Action = z.infer<typeof actionSchema>;
export type ActionProgress = z.infer<typeof actionProgressSchema>;
type Api = ReturnType<typeof apiClient>;

export const ACTION_TEXT = {
  nl: {
    title: 'Actieplan',
    lead: 'Acties naar aanleiding van de resultaten: wat, wie, wanneer, en welke stellingen de actie wil verbeteren. De volgende meting laat zien hoe die stellingen bewogen.',
    none: 'Nog geen acties voor deze meting.',
    what: 'Actie',
    mechanism: 'Mechanisme',
    owner: 'Eigenaar',
    due: 'Klaar op',
    status: 'Status',
    items: 'Stellingen',
    notes: 'Notities',
    source: 'Aanleiding',
    source_priority: 'Prioriteit',
    source_mechanism: 'Mechanisme',
    status_planned: 'Gepland',
    status_in_progress: 'Bezig',
    status_done: 'Klaar',
    status_dropped: 'Vervallen',
    create: 'Actie toevoegen',
    createLead: 'Kies een prioriteit of een mechanisme uit de resultaten en de stellingen waar de actie op mikt.',
    save: 'Opslaan',
    remove: 'Verwijderen',
    itemsHint: 'Houd Ctrl (of Cmd) ingedrukt om meer stellingen te kiezen. Alleen stellingen van het gekozen mechanisme.',
    readOnly: 'Je kunt het actieplan bekijken; HR en de adviseur passen het aan.',
    afterClose: 'Acties kun je toevoegen zodra de meting is gesloten en de resultaten er zijn.',
    progress: 'Hoe de stellingen van eerdere acties bewogen',
    progressLead: 'Gepubliceerde cijfers van de meting waarin de actie werd gestart en van deze meting. Een verschil is alleen gekleurd als het groter is dan de onzekerheid.',
    from: 'Gestart na',
    before: 'Toen',
    after: 'Nu',
    change: 'Verandering',
    hidden: 'verborgen',
    noItems: 'Geen stellingen gekozen.',
    created: 'Actie toegevoegd.',
    updated: 'Actie bijgewerkt.',
    deleted: 'Actie verwijderd.',
    fix: 'Controleer de gemarkeerde velden.',
    edit: 'Bewerken',
    editTitle: 'Actie bewerken',
    editLead: 'Pas de actie aan. De aanleiding en het mechanisme blijven zoals ze zijn; de stellingen kies je binnen dat mechanisme.',
    cancel: 'Terug naar het actieplan',
    errors: {
      title: 'Beschrijf de actie (1 tot 200 tekens).',
      owner: 'Vul een eigenaar in (1 tot 120 tekens).',
      dueDate: 'Vul een geldige datum in.',
      mechanismId: 'Kies een mechanisme van deze meting (bij een prioriteit: een van de prioriteiten).',
      itemIds: 'Kies alleen stellingen van het gekozen mechanisme, elk één keer.',
      notes: 'Notities zijn te lang (hooguit 4000 tekens).',
      status: 'Kies een status.',
      source: 'Kies een aanleiding.',
    } as Record<string, string>,
  },
  en: {
    title: 'Action plan',
    lead: 'Actions in response to the results: what, who, when, and which statements the action aims to improve. The next round shows how those statements moved.',
    none: 'No actions for this round yet.',
    what: 'Action',
    mechanism: 'Mechanism',
    owner: 'Owner',
    due: 'Due',
    status: 'Status',
    items: 'Statements',
    notes: 'Notes',
    source: 'Starting point',
    source_priority: 'Priority',
    source_mechanism: 'Mechanism',
    status_planned: 'Planned',
    status_in_progress: 'In progress',
    status_done: 'Done',
    status_dropped: 'Dropped',
    create: 'Add an action',
    createLead: 'Pick a priority or a mechanism from the results and the statements the action targets.',
    save: 'Save',
    remove: 'Delete',
    itemsHint: 'Hold Ctrl (or Cmd) to pick more statements. Only statements of the chosen mechanism.',
    readOnly: 'You can view the action plan; HR and the consultant change it.',
    afterClose: 'Actions can be added once the round is closed and its results are in.',
    progress: 'How the statements of earlier actions moved',
    progressLead: 'Published figures of the round the action started from and of this round. A difference is coloured only when it is larger than its uncertainty.',
    from: 'Started after',
    before: 'Then',
    after: 'Now',
    change: 'Change',
    hidden: 'hidden',
    noItems: 'No statements chosen.',
    created: 'Action added.',
    updated: 'Action updated.',
    deleted: 'Action deleted.',
    fix: 'Check the marked fields.',
    edit: 'Edit',
    editTitle: 'Edit the action',
    editLead: 'Change the action. Its starting point and mechanism stay as they are; the statements are chosen within that mechanism.',
    cancel: 'Back to the action plan',
    errors: {
      title: 'Describe the action (1 to 200 characters).',
      owner: 'Enter an owner (1 to 120 characters).',
      dueDate: 'Enter a valid date.',
      mechanismId: 'Pick a mechanism of this round (for a priority: one of the priorities).',
      itemIds: 'Pick only statements of the chosen mechanism, each once.',
      notes: 'Notes are too long (at most 4000 characters).',
      status: 'Pick a status.',
      source: 'Pick a starting point.',
    } as Record<string, string>,
  },
} as const;

export type ActionText = (typeof ACTION_TEXT)[Lang];

export const statusLabel = (lang: Lang, s: Action['status']) => ACTION_TEXT[lang][`status_${s}`];

function mechanismName(model: ResultModel | null, id: string, lang: Lang): string {
  return model?.mechanisms.find((m) => m.mechanismId === id)?.name[lang] ?? id;
}

function itemText(model: ResultModel | null, id: string, lang: Lang): string {
  for (const m of model?.mechanisms ?? []) {
    const it = m.items.find((i) => i.itemId === id);
    if (it) return it.text[lang];
  }
  return id;
}

/** The plan as a table (also used on the dashboard). `manage` adds status and delete forms. */
export function actionTable(o: { actions: Action[]; model: ResultModel | null; lang: Lang; manage?: { csrf: SafeHtml; back: string } }): SafeHtml {
  const L = ACTION_TEXT[o.lang];
  if (o.actions.length === 0) return html`<p class="empty">${L.none}</p>`;
  return html`<div class="table-wrap" tabindex="0"><table class="action-table stack-sm">
    <caption class="visually-hidden">${L.title}</caption>
    <thead><tr><th scope="col">${L.what}</th><th scope="col">${L.mechanism}</th><th scope="col">${L.owner}</th><th scope="col">${L.due}</th><th scope="col">${L.status}</th></tr></thead>
    <tbody>${o.actions.map(
      (a) => html`<tr data-action-id="${a.id}">
        <td class="cell-main" data-label="${L.what}"><strong>${a.title}</strong>
          ${a.itemIds.length ? html`<ul class="small action-items">${a.itemIds.map((id) => html`<li>${itemText(o.model, id, o.lang)}</li>`)}</ul>` : ''}
          ${a.notes ? html`<p class="muted small">${a.notes}</p>` : ''}</td>
        <td data-label="${L.mechanism}">${mechanismName(o.model, a.mechanismId, o.lang)}<br><span class="muted small">${L[`source_${a.source}`]}</span></td>
        <td data-label="${L.owner}">${a.owner}</td>
        <td data-label="${L.due}">${a.dueDate ? fmtDate(o.lang, a.dueDate) : '–'}</td>
        <td data-label="${L.status}">${
          o.manage
            ? html`<form method="post" action="${`/app/actions/${a.id}/status`}" class="inline-form">${o.manage.csrf}<input type="hidden" name="back" value="${o.manage.back}">
                <label class="visually-hidden" for="${`status-${a.id}`}">${L.status}: ${a.title}</label>
                <select id="${`status-${a.id}`}" name="status">${(['planned', 'in_progress', 'done', 'dropped'] as const).map((s) => html`<option value="${s}"${a.status === s ? html` selected` : ''}>${statusLabel(o.lang, s)}</option>`)}</select>
                <button type="submit" class="btn btn-secondary btn-small">${L.save}</button></form>
              <a class="btn btn-quiet btn-small" href="${`/app/rounds/${a.roundId}/actions/${a.id}/edit`}" data-testid="action-edit">${L.edit}<span class="visually-hidden">: ${a.title}</span></a>
              <form method="post" action="${`/app/actions/${a.id}/delete`}" class="inline-form">${o.manage.csrf}<input type="hidden" name="back" value="${o.manage.back}"><button type="submit" class="btn btn-quiet btn-small">${L.remove}<span class="visually-hidden">: ${a.title}</span></button></form>`
            : html`<span class="${`badge badge-action-${a.status}`}">${statusLabel(o.lang, a.status)}</span>`
        }</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

function verdictSpan(lang: Lang, text: string, d: Difference | null): SafeHtml {
  if (!d) return html`${text}`;
  const cls = d.verdict === 'higher' ? 'delta-pos' : d.verdict === 'lower' ? 'delta-neg' : '';
  return html`<span class="${cls}" data-verdict="${d.verdict}">${text}</span><br><span class="muted small">${differenceWords(d, lang)}</span>`;
}

/** Per earlier action: its statements then and now (published figures; hidden stays hidden). */
export function progressTables(progress: ActionProgress, lang: Lang): SafeHtml {
  const L = ACTION_TEXT[lang];
  const fig = (f: { mean: number | null } | null) => (f && f.mean !== null ? fmtScore(f.mean, lang) : html`<span class="muted">${L.hidden}</span>`);
  return html`${progress.actions.map(
    (p) => html`<div class="card action-progress">
      <h3>${p.action.title} <span class="${`badge badge-action-${p.action.status}`}">${statusLabel(lang, p.action.status)}</span></h3>
      <p class="muted small">${L.from}: ${p.fromRound.name} · ${L.owner}: ${p.action.owner}</p>
      ${
        p.items.length === 0
          ? html`<p class="muted small">${L.noItems}</p>`
          : html`<div class="table-wrap" tabindex="0"><table class="stack-sm">
        <caption class="visually-hidden">${p.action.title}: ${L.items}</caption>
        <thead><tr><th scope="col">${L.items}</th><th scope="col" class="num">${L.before}</th><th scope="col" class="num">${L.after}</th><th scope="col" class="num">${L.change}</th></tr></thead>
        <tbody>${p.items.map(
          (i) => html`<tr><td class="cell-main">${i.text?.[lang] ?? i.itemId}</td><td class="num" data-label="${L.before}">${fig(i.before)}</td><td class="num" data-label="${L.after}">${fig(i.after)}</td>
            <td class="num" data-label="${L.change}">${i.change === null ? '–' : verdictSpan(lang, fmtScoreDelta(i.change, lang), i.difference)}</td></tr>`,
        )}</tbody></table></div>`
      }
    </div>`,
  )}`;
}

interface FormValues {
  source: string;
  mechanismId: string;
  title: string;
  owner: string;
  dueDate: string;
  itemIds: string[];
  notes: string;
}

function createForm(request: FastifyRequest, lang: Lang, round: Round, model: ResultModel, v: FormValues, errors: Map<string, string>): SafeHtml {
  const L = ACTION_TEXT[lang];
  const err = (key: string) => (errors.has(key) ? html`<p class="field-error" id="${`a-${key}-error`}">${L.errors[key] ?? errors.get(key)!}</p>` : '');
  const inv = (key: string, hint?: string) =>
    errors.has(key) ? html` aria-invalid="true" aria-describedby="${`a-${key}-error${hint ? ` ${hint}` : ''}`}"` : hint ? html` aria-describedby="${hint}"` : '';
  const priorities = new Set(model.priorities.map((p) => p.mechanismId));
  return html`<form method="post" action="${`/app/rounds/${round.id}/actions`}" class="card form-card" novalidate>
    ${csrfField(request)}
    <h2>${L.create}</h2>
    <p class="muted small">${L.createLead}</p>
    ${errorSummary(lang, errors, 'a')}
    <div class="field"><label for="a-source">${L.source}</label>
      <select id="a-source" name="source"${inv('source')}><option value="priority"${v.source === 'priority' ? html` selected` : ''}>${L.source_priority}</option><option value="mechanism"${v.source !== 'priority' ? html` selected` : ''}>${L.source_mechanism}</option></select>${err('source')}</div>
    <div class="field"><label for="a-mechanismId">${L.mechanism}</label>
      <select id="a-mechanismId" name="mechanismId"${inv('mechanismId')}>${model.mechanisms.map(
        (m) => html`<option value="${m.mechanismId}"${v.mechanismId === m.mechanismId ? html` selected` : ''}>${m.name[lang]}${priorities.has(m.mechanismId) ? ` (${L.source_priority.toLowerCase()})` : ''}</option>`,
      )}</select>${err('mechanismId')}</div>
    <div class="field"><label for="a-title">${L.what}</label><input id="a-title" name="title" type="text" maxlength="200" required value="${v.title}"${inv('title')}>${err('title')}</div>
    <div class="field"><label for="a-owner">${L.owner}</label><input id="a-owner" name="owner" type="text" maxlength="120" required value="${v.owner}"${inv('owner')}>${err('owner')}</div>
    <div class="field"><label for="a-dueDate">${L.due}</label><input id="a-dueDate" name="dueDate" type="date" value="${v.dueDate}"${inv('dueDate')}>${err('dueDate')}</div>
    <div class="field"><label for="a-itemIds">${L.items}</label>
      <select id="a-itemIds" name="itemIds" multiple size="8"${inv('itemIds', 'a-items-hint')}>${model.mechanisms.map(
        (m) => html`<optgroup label="${m.name[lang]}">${m.items.map((i) => html`<option value="${i.itemId}"${v.itemIds.includes(i.itemId) ? html` selected` : ''}>${i.text[lang]}</option>`)}</optgroup>`,
      )}</select>
      <p class="hint small" id="a-items-hint">${L.itemsHint}</p>${err('itemIds')}</div>
    <div class="field"><label for="a-notes">${L.notes}</label><textarea id="a-notes" name="notes" rows="3" maxlength="4000"${inv('notes')}>${v.notes}</textarea>${err('notes')}</div>
    <button type="submit" class="btn btn-primary">${L.create}</button>
  </form>`;
}

const FIELD_LABEL: Record<string, keyof ActionText> = { source: 'source', mechanismId: 'mechanism', title: 'what', owner: 'owner', dueDate: 'due', status: 'status', itemIds: 'items', notes: 'notes' };

/** "Check the marked fields: Action, Due" with a link to each field, so the message names them. */
function errorSummary(lang: Lang, errors: Map<string, string>, prefix: string): SafeHtml {
  if (errors.size === 0) return html``;
  const L = ACTION_TEXT[lang];
  const links = [...errors.keys()].map((k) => html`<a href="${`#${prefix}-${k}`}">${String(L[FIELD_LABEL[k] ?? 'what'])}</a>`);
  return html`<div class="notice notice-error" role="alert"><p>${L.fix.replace(/\.$/, '')}: ${links.map((a, i) => html`${i ? ', ' : ''}${a}`)}.</p></div>`;
}

interface EditValues {
  title: string;
  owner: string;
  dueDate: string;
  status: string;
  itemIds: string[];
  notes: string;
}

/** The edit form of one action: what, owner, due date, status, the statements (of its mechanism) and notes. */
function editForm(request: FastifyRequest, lang: Lang, round: Round, action: Action, model: ResultModel | null, v: EditValues, errors: Map<string, string>): SafeHtml {
  const L = ACTION_TEXT[lang];
  const err = (key: string) => (errors.has(key) ? html`<p class="field-error" id="${`e-${key}-error`}">${L.errors[key] ?? errors.get(key)!}</p>` : '');
  const inv = (key: string, hint?: string) =>
    errors.has(key) ? html` aria-invalid="true" aria-describedby="${`e-${key}-error${hint ? ` ${hint}` : ''}`}"` : hint ? html` aria-describedby="${hint}"` : '';
  const mech = model?.mechanisms.find((m) => m.mechanismId === action.mechanismId);
  // Statements of the action's mechanism; ids the model does not list (e.g. no results) stay choosable.
  const options = [...(mech?.items.map((i) => ({ id: i.itemId, text: i.text[lang] })) ?? [])];
  for (const id of action.itemIds) if (!options.some((o) => o.id === id)) options.push({ id, text: itemText(model, id, lang) });
  return html`<form method="post" action="${`/app/rounds/${round.id}/actions/${action.id}/edit`}" class="card form-card" novalidate data-testid="action-edit-form">
    ${csrfField(request)}
    <h2>${L.editTitle}</h2>
    <p class="muted small">${L.editLead}</p>
    ${errorSummary(lang, errors, 'e')}
    <dl class="kv small"><dt>${L.source}</dt><dd>${L[`source_${action.source}`]}</dd><dt>${L.mechanism}</dt><dd>${mechanismName(model, action.mechanismId, lang)}</dd></dl>
    <div class="field"><label for="e-title">${L.what}</label><input id="e-title" name="title" type="text" maxlength="200" required value="${v.title}"${inv('title')}>${err('title')}</div>
    <div class="field"><label for="e-owner">${L.owner}</label><input id="e-owner" name="owner" type="text" maxlength="120" required value="${v.owner}"${inv('owner')}>${err('owner')}</div>
    <div class="field"><label for="e-dueDate">${L.due}</label><input id="e-dueDate" name="dueDate" type="date" value="${v.dueDate}"${inv('dueDate')}>${err('dueDate')}</div>
    <div class="field"><label for="e-status">${L.status}</label>
      <select id="e-status" name="status"${inv('status')}>${(['planned', 'in_progress', 'done', 'dropped'] as const).map((st) => html`<option value="${st}"${v.status === st ? html` selected` : ''}>${statusLabel(lang, st)}</option>`)}</select>${err('status')}</div>
    <fieldset class="field" id="e-itemIds"${inv('itemIds')}><legend>${L.items}</legend>
      <div class="options-list">${options.map(
        (o) => html`<label class="choice choice-row choice-check"><input type="checkbox" name="itemIds" value="${o.id}"${v.itemIds.includes(o.id) ? html` checked` : ''}><span>${o.text}</span></label>`,
      )}</div>${err('itemIds')}</fieldset>
    <div class="field"><label for="e-notes">${L.notes}</label><textarea id="e-notes" name="notes" rows="4" maxlength="4000"${inv('notes')}>${v.notes}</textarea>${err('notes')}</div>
    <div class="form-actions"><button type="submit" class="btn btn-primary">${L.save}</button><a class="btn btn-secondary" href="${`/app/rounds/${round.id}/actions`}">${L.cancel}</a></div>
  </form>`;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : []);

export async function loadActionsFor(api: Api, round: Pick<Round, 'id' | 'status'>): Promise<{ actions: Action[]; progress: ActionProgress | null }> {
  const { actions } = await api.get<{ actions: Action[] }>(`/api/v1/rounds/${round.id}/actions`);
  const progress = round.status === 'closed' ? await api.get<ActionProgress>(`/api/v1/rounds/${round.id}/actions/progress`).catch(() => null) : null;
  return { actions, progress };
}

const actionEditParams = roundParamsSchema.extend(actionPageParams.shape);

export default async function actionPages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  async function page(request: FastifyRequest, reply: FastifyReply, form: FormValues | null, errors: Map<string, string>, status?: number) {
    const ctx = ctxOf(request, reply);
    const { lang, t } = ctx;
    const L = ACTION_TEXT[lang];
    const { api, round, org } = await loadRoundContext(app, request);
    const manage = canManage(org as Organisation);
    let model: ResultModel | null = null;
    if (round.status === 'closed') {
      model = await api.get<ResultModel>(`/api/v1/rounds/${round.id}/results`).catch((e: unknown) => {
        if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 404) return null;
        throw e;
      });
    }
    const { actions, progress } = await loadActionsFor(api, round);
    const notice = pageQuery(request).done;
    const back = `/app/rounds/${round.id}/actions`;
    const values: FormValues = form ?? { source: model?.priorities.length ? 'priority' : 'mechanism', mechanismId: model?.priorities[0]?.mechanismId ?? '', title: '', owner: '', dueDate: '', itemIds: [], notes: '' };
    return sendStaffPage(app, request, reply, ctx, {
      title: `${L.title}: ${round.name}`,
      status,
      crumbs: [
        { href: '/app', label: t('organisations') },
        { href: `/app/organisations/${org.id}`, label: org.name },
        { href: `/app/rounds/${round.id}`, label: round.name },
        { label: L.title },
      ],
      body: html`<div class="page-head"><div><p class="eyebrow">${org.name}</p><h1>${L.title}: ${round.name}</h1><p class="section-lead">${L.lead}</p></div></div>
        ${notice === 'created' || notice === 'updated' || notice === 'deleted' ? html`<p class="notice notice-ok" role="status">${L[notice]}</p>` : ''}
        <section aria-labelledby="plan-h"><h2 id="plan-h">${L.title}</h2>
          ${actionTable({ actions, model, lang, ...(manage ? { manage: { csrf: csrfField(request), back } } : {}) })}
          ${manage ? '' : html`<p class="muted small">${L.readOnly}</p>`}
        </section>
        ${
          progress && progress.actions.length > 0
            ? html`<section class="section" aria-labelledby="progress-h"><h2 id="progress-h">${L.progress}</h2><p class="section-lead">${L.progressLead}</p>${progressTables(progress, lang)}</section>`
            : ''
        }
        ${manage ? html`<div class="section">${model ? createForm(request, lang, round, model, values, errors) : html`<p class="empty">${L.afterClose}</p>`}</div>` : ''}`,
    });
  }

  app.get('/app/rounds/:roundId/actions', opts, async (request, reply) => page(request, reply, null, new Map()));

  app.post('/app/rounds/:roundId/actions', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const b = pageForm(request);
    const v: FormValues = {
      source: String(b.source ?? ''),
      mechanismId: String(b.mechanismId ?? ''),
      title: String(b.title ?? ''),
      owner: String(b.owner ?? ''),
      dueDate: String(b.dueDate ?? ''),
      itemIds: asList(b.itemIds),
      notes: String(b.notes ?? ''),
    };
    try {
      await apiClient(app, request).ok('POST', `/api/v1/rounds/${encodeURIComponent(roundId)}/actions`, {
        json: { source: v.source, mechanismId: v.mechanismId, title: v.title, owner: v.owner, dueDate: v.dueDate === '' ? null : v.dueDate, itemIds: v.itemIds, notes: v.notes },
      });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const errors = fieldErrors(err.problem.errors);
        if (errors.size === 0) errors.set('title', err.message);
        return page(request, reply, v, errors, 400);
      }
      throw err;
    }
    return reply.redirect(`/app/rounds/${roundId}/actions?done=created`, 303);
  });

  async function editPage(request: FastifyRequest, reply: FastifyReply, form: EditValues | null, errors: Map<string, string>, status?: number) {
    const ctx = ctxOf(request, reply);
    const { lang, t } = ctx;
    const L = ACTION_TEXT[lang];
    const { api, round, org } = await loadRoundContext(app, request);
    // Directors read the plan; the edit form is not theirs (the API refuses the write as well).
    if (!canManage(org as Organisation)) throw new ForbiddenError('HR and the consultant change the action plan');
    const { actionId } = pageParams(request, actionEditParams, 'Action');
    const { actions } = await api.get<{ actions: Action[] }>(`/api/v1/rounds/${round.id}/actions`);
    const action = actions.find((a) => a.id === actionId);
    if (!action) throw new NotFoundError('Action');
    const model = round.status === 'closed' ? await api.get<ResultModel>(`/api/v1/rounds/${round.id}/results`).catch(() => null) : null;
    const values: EditValues = form ?? { title: action.title, owner: action.owner, dueDate: action.dueDate ?? '', status: action.status, itemIds: action.itemIds, notes: action.notes };
    return sendStaffPage(app, request, reply, ctx, {
      title: `${L.editTitle}: ${action.title}`,
      status,
      crumbs: [
        { href: '/app', label: t('organisations') },
        { href: `/app/organisations/${org.id}`, label: org.name },
        { href: `/app/rounds/${round.id}`, label: round.name },
        { href: `/app/rounds/${round.id}/actions`, label: L.title },
        { label: L.editTitle },
      ],
      body: html`<div class="page-head"><div><p class="eyebrow">${org.name} · ${round.name}</p><h1>${L.editTitle}</h1></div></div>
        ${editForm(request, lang, round, action, model, values, errors)}`,
    });
  }

  app.get('/app/rounds/:roundId/actions/:actionId/edit', opts, async (request, reply) => editPage(request, reply, null, new Map()));

  app.post('/app/rounds/:roundId/actions/:actionId/edit', opts, async (request, reply) => {
    const { roundId, actionId } = pageParams(request, actionEditParams, 'Action');
    const b = pageForm(request);
    const v: EditValues = {
      title: String(b.title ?? ''),
      owner: String(b.owner ?? ''),
      dueDate: String(b.dueDate ?? ''),
      status: String(b.status ?? ''),
      itemIds: asList(b.itemIds),
      notes: String(b.notes ?? ''),
    };
    try {
      await apiClient(app, request).ok('PATCH', `/api/v1/actions/${encodeURIComponent(actionId)}`, {
        json: { title: v.title, owner: v.owner, dueDate: v.dueDate === '' ? null : v.dueDate, status: v.status, itemIds: v.itemIds, notes: v.notes },
      });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const errors = fieldErrors(err.problem.errors);
        if (errors.size === 0) errors.set('title', err.message);
        return editPage(request, reply, v, errors, 400);
      }
      throw err;
    }
    return reply.redirect(`/app/rounds/${roundId}/actions?done=updated`, 303);
  });

  const backTo = (b: Record<string, unknown>) => (typeof b.back === 'string' && /^\/app\/rounds\/[0-9a-f-]{36}(\/actions|\/results)?$/.test(b.back) ? b.back : '/app');

  app.post('/app/actions/:actionId/status', opts, async (request, reply) => {
    const { actionId } = pageParams(request, actionPageParams, 'Action');
    const b = pageForm(request);
    await apiClient(app, request).ok('PATCH', `/api/v1/actions/${encodeURIComponent(actionId)}`, { json: { status: String(b.status ?? '') } });
    return reply.redirect(`${backTo(b)}?done=updated`, 303);
  });

  app.post('/app/actions/:actionId/delete', opts, async (request, reply) => {
    const { actionId } = pageParams(request, actionPageParams, 'Action');
    const b = pageForm(request);
    await apiClient(app, request).ok('DELETE', `/api/v1/actions/${encodeURIComponent(actionId)}`);
    return reply.redirect(`${backTo(b)}?done=deleted`, 303);
  });
}
