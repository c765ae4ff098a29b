// The round's staff-filled modules: the SME policy checklist (HR, consultant) and the dialogue model,
// where directors, HR and consultants place the organisation for past, current and desired and see
// their placement beside the means of the other groups.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DIALOGUE_MODEL, describeMove, summarisePlacements, type QuadrantId, type TimeFrame } from '../../../scans/index.js';
import type { ResultModel } from '../../../scans/result-model.js';
import type { Checklist } from '../../contracts/checklist.js';
import type { NamedPlacement } from '../../contracts/placements.js';
import { ApiError, apiClient } from '../api-client.js';
import { requireStaffPage, type PageContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { fmtPublishedPct } from '../../../report-templates/format.js';
import { fmtNumber, type Lang, type TextKey } from '../i18n.js';
import { FRAME_SHORT, quadrantName, quadrantOfSafe, type QuadrantMarker } from '../views/quadrant.js';
import { ownQuadrant, placementFields, type FrameInfo } from '../views/survey.js';
import { canManage, csrfField, ctxOf, sendStaffPage, type Organisation, type Round, loadRoundContext } from './staff-common.js';
import { roundParamsSchema } from '../../contracts/rounds.js';
import { pageForm, pageParams, pageQuery } from '../params.js';

type Point = { x: number; y: number };

const GROUP_SHORT: Record<string, { nl: string; en: string }> = {
  director: { nl: 'D', en: 'D' },
  hr: { nl: 'HR', en: 'HR' },
  employee: { nl: 'M', en: 'E' },
  consultant: { nl: 'A', en: 'C' },
};

function frames(lang: Lang): FrameInfo[] {
  return DIALOGUE_MODEL.timeFrames.map((f) => ({ id: f.id, label: f.label[lang], prompt: f.prompt[lang] }));
}

function pointText(ctx: PageContext, p: Point | null | undefined): SafeHtml {
  if (!p) return html`<span class="muted">${ctx.t('notPlaced')}</span>`;
  const q = quadrantOfSafe(p);
  return html`<strong>${quadrantName(q, ctx.lang)}</strong> <span class="muted small nowrap">(${fmtNumber(ctx.lang, p.x, 0)}, ${fmtNumber(ctx.lang, p.y, 0)})</span>`;
}

function moveText(ctx: PageContext, from: Point | null | undefined, to: Point | null | undefined): SafeHtml {
  if (!from || !to) return html`<span class="muted">–</span>`;
  const m = describeMove(from, to);
  const a = quadrantName(m.fromQuadrant as QuadrantId, ctx.lang);
  const b = quadrantName(m.toQuadrant as QuadrantId, ctx.lang);
  return html`${m.quadrantChanged ? ctx.t('moveFromTo', { from: a, to: b }) : ctx.t('sameQuadrant', { q: a })} <span class="muted small nowrap">(${fmtNumber(ctx.lang, m.distance, 0)})</span>`;
}

interface GroupMeans {
  group: string;
  points: Partial<Record<TimeFrame, Point>>;
  n: Partial<Record<TimeFrame, number>>;
}

/**
 * Mean points per group and frame. Staff groups come from the named placements (live, summarised with
 * the scans function); employees only from the result model, which exists once the round is closed and
 * applies the anonymity threshold (suppressed frames are absent).
 */
function groupMeans(named: NamedPlacement[], results: ResultModel | null): GroupMeans[] {
  const out: GroupMeans[] = [];
  for (const group of ['director', 'hr', 'consultant'] as const) {
    const members = named.filter((p) => p.group === group);
    const g: GroupMeans = { group, points: {}, n: {} };
    for (const frame of ['past', 'current', 'desired'] as const) {
      const summary = summarisePlacements(members.flatMap((m) => (m.frames[frame] ? [{ x: m.frames[frame]!.x, y: m.frames[frame]!.y }] : [])));
      if (summary) {
        g.points[frame] = summary.mean;
        g.n[frame] = summary.n;
      }
    }
    if (Object.keys(g.points).length > 0) out.push(g);
  }
  const employees = results?.dialogue.included ? results.dialogue.groups.find((g) => g.group === 'employee') : undefined;
  if (employees) {
    const g: GroupMeans = { group: 'employee', points: {}, n: {} };
    for (const f of employees.frames) {
      if (f.summary && !f.suppressed) {
        g.points[f.frame] = f.summary.mean;
        g.n[f.frame] = f.summary.n;
      }
    }
    if (Object.keys(g.points).length > 0) out.push(g);
  }
  return out;
}

export default async function roundModulePages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  const loadRound = (request: FastifyRequest) => loadRoundContext(app, request);

  const crumbs = (ctx: PageContext, org: Organisation, round: Round, label: string) => [
    { href: '/app', label: ctx.t('organisations') },
    { href: `/app/organisations/${org.id}`, label: org.name },
    { href: `/app/rounds/${round.id}`, label: round.name },
    { label },
  ];

  // ---- SME checklist ------------------------------------------------------------------------------

  async function checklistPage(request: FastifyRequest, reply: FastifyReply, notice: { text: string; tone: 'ok' | 'error' } | null, status = 200) {
    const ctx = ctxOf(request, reply);
    const { t, lang } = ctx;
    const { api, round, org } = await loadRound(request);
    const checklist = await api.get<Checklist>(`/api/v1/rounds/${round.id}/checklist`);
    const editable = canManage(org) && round.status !== 'closed';
    const s = checklist.summary;
    return sendStaffPage(app, request, reply, ctx, {
      status,
      title: t('checklist'),
      crumbs: crumbs(ctx, org, round, t('checklist')),
      body: html`<div class="page-head"><div><p class="eyebrow">${round.name}</p><h1>${checklist.name[lang]}</h1></div>
        <p class="muted">${t('inPlaceOf', { n: s.yes, total: checklist.practices.length })}</p></div>
      <p class="lead">${t('checklistLead')}</p>
      ${notice ? html`<p class="${`notice notice-${notice.tone}`}" role="${notice.tone === 'ok' ? 'status' : 'alert'}">${notice.text}</p>` : ''}
      ${round.status === 'closed' ? html`<p class="notice notice-info">${t('roundClosedReadOnly')}</p>` : ''}
      <form method="post" action="${`/app/rounds/${round.id}/checklist`}" class="stack">
        ${csrfField(request)}
        ${checklist.practices.map(
          (p, i) => html`<fieldset class="question question-compact checklist-q" id="${`p-${p.id}`}"${editable ? '' : html` disabled`}>
          <legend><span class="q-number">${i + 1}.</span> ${p.text[lang]}</legend>
          <div class="checklist-row">
            <div class="options-inline">
              ${checklist.answerOptions.map(
                (o) => html`<label class="choice choice-row"><input type="radio" name="${`c.${p.id}`}" value="${o.value}"${p.answer === o.value ? html` checked` : ''}><span>${o.label[lang]}</span></label>`,
              )}
            </div>
            <p class="benchmark-note"><strong>${fmtPublishedPct(p.published.value, 1, lang)}</strong> ${t('ofSmes')}<span class="muted small"> · ${p.published.source.split('(')[0]!.trim()} (${p.published.year ?? '–'})</span></p>
          </div>
        </fieldset>`,
        )}
        ${editable ? html`<div class="form-actions"><button type="submit" class="btn btn-primary">${t('save')}</button><a class="btn btn-secondary" href="${`/app/rounds/${round.id}`}">${t('back')}</a></div>` : ''}
      </form>`,
    });
  }

  app.get('/app/rounds/:roundId/checklist', opts, async (request, reply) => {
    const q = pageQuery(request);
    const ctx = ctxOf(request, reply);
    return checklistPage(request, reply, q.saved === '1' ? { text: ctx.t('saved'), tone: 'ok' } : null);
  });

  app.post('/app/rounds/:roundId/checklist', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const b = pageForm(request);
    const answers: Record<string, string> = {};
    for (const [k, v] of Object.entries(b)) if (k.startsWith('c.') && typeof v === 'string') answers[k.slice(2)] = v;
    try {
      if (Object.keys(answers).length > 0) await apiClient(app, request).ok('PUT', `/api/v1/rounds/${encodeURIComponent(roundId)}/checklist`, { json: { answers } });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 409)) {
        return checklistPage(request, reply, { text: err.problem.detail ?? err.code, tone: 'error' }, err.status);
      }
      throw err;
    }
    return reply.redirect(`/app/rounds/${roundId}/checklist?saved=1`, 303);
  });

  // ---- dialogue model -----------------------------------------------------------------------------

  async function dialoguePage(request: FastifyRequest, reply: FastifyReply, notice: { text: string; tone: 'ok' | 'error' } | null, status = 200) {
    const ctx = ctxOf(request, reply);
    const { t, lang } = ctx;
    const { api, round, org } = await loadRound(request);
    const me = await api.get<NamedPlacement>(`/api/v1/rounds/${round.id}/placements/me`);
    const { placements: named } = await api.get<{ placements: NamedPlacement[] }>(`/api/v1/rounds/${round.id}/placements`);
    let results: ResultModel | null = null;
    if (round.status === 'closed') {
      try {
        results = await api.get<ResultModel>(`/api/v1/rounds/${round.id}/results`);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
      }
    }
    // The director's own points are shown as their own; the director group's mean only counts others too.
    const means = groupMeans(named, results).filter((g) => !(g.group === me.group && named.filter((p) => p.group === me.group).every((p) => p.userId === me.userId)));
    const fs = frames(lang);
    const mine: Partial<Record<TimeFrame, Point>> = {};
    for (const f of fs) {
      const v = me.frames[f.id];
      if (v) mine[f.id] = { x: v.x, y: v.y };
    }
    const editable = round.status !== 'closed';
    // Others: the mean of each group for current and desired, with an arrow current -> desired.
    const extra: QuadrantMarker[] = [];
    const extraArrows: Array<[string, string, string]> = [];
    for (const g of means) {
      for (const f of ['current', 'desired'] as const) {
        const p = g.points[f];
        if (!p) continue;
        extra.push({
          key: `${g.group}-${f}`,
          frame: f,
          x: p.x,
          y: p.y,
          kind: 'group',
          tone: g.group,
          short: `${GROUP_SHORT[g.group]![lang]}`,
          label: `${t(`mean_${g.group}` as TextKey)}: ${fs.find((x) => x.id === f)!.label}`,
        });
      }
      if (g.points.current && g.points.desired) extraArrows.push([`${g.group}-current`, `${g.group}-desired`, g.group]);
    }
    const rows = [
      { label: html`<strong>${t('yourPlacement')}</strong>`, current: mine.current, desired: mine.desired, past: mine.past },
      ...means.map((g) => ({
        label: html`<span class="${`frame-badge tone-${g.group}`}" aria-hidden="true">${GROUP_SHORT[g.group]![lang]}</span> ${t(`mean_${g.group}` as TextKey)}${g.n.current ? html` <span class="muted small nowrap">(n = ${g.n.current})</span>` : ''}`,
        current: g.points.current,
        desired: g.points.desired,
        past: g.points.past,
      })),
    ];
    return sendStaffPage(app, request, reply, ctx, {
      status,
      title: t('dialogueModel'),
      crumbs: crumbs(ctx, org, round, t('dialogueModel')),
      body: html`<div class="page-head"><div><p class="eyebrow">${round.name}</p><h1>${DIALOGUE_MODEL.name[lang]}</h1></div></div>
      <p class="lead">${t('dialogueLead')}</p>
      ${notice ? html`<p class="${`notice notice-${notice.tone}`}" role="${notice.tone === 'ok' ? 'status' : 'alert'}">${notice.text}</p>` : ''}
      ${editable ? '' : html`<p class="notice notice-info">${t('roundClosedReadOnly')}</p>`}
      <form method="post" action="${`/app/rounds/${round.id}/dialogue`}" class="card">
        ${csrfField(request)}
        <div class="placement-layout"${editable ? html` data-placement` : ''}>
          <div>
            ${ownQuadrant(t, lang, 'director-quadrant', fs, mine, extra, extraArrows)}
            <ul class="legend-list" aria-label="${t('others')}">
              ${fs.map((f) => html`<li><span class="${`frame-badge tone-${f.id}`}" aria-hidden="true">${FRAME_SHORT[f.id][lang]}</span>${t('yourPlacement')}: ${f.label.toLowerCase()}</li>`)}
              ${means.filter((g) => g.points.current || g.points.desired).map((g) => html`<li><span class="${`frame-badge tone-${g.group}`}" aria-hidden="true">${GROUP_SHORT[g.group]![lang]}</span>${t(`mean_${g.group}` as TextKey)} (${t('currentVsDesired').toLowerCase()})</li>`)}
            </ul>
          </div>
          <div>
            ${editable ? placementFields(t, lang, fs, mine, 'dp-') : html`<fieldset disabled class="readonly-fields">${placementFields(t, lang, fs, mine, 'dp-')}</fieldset>`}
            ${editable ? html`<div class="form-actions"><button type="submit" class="btn btn-primary">${t('savePlacements')}</button></div>` : ''}
          </div>
        </div>
      </form>
      <section class="section" aria-labelledby="compare-title">
        <h2 id="compare-title">${t('currentVsDesired')}</h2>
        ${round.status !== 'closed' && round.employeePlacements ? html`<p class="muted small">${t('employeeMeanAfterClose')}</p>` : ''}
        <div class="table-wrap" tabindex="0"><table class="compare-table stack-sm">
          <thead><tr><th scope="col">${t('group')}</th><th scope="col">${fs[0]!.label}</th><th scope="col">${fs[1]!.label}</th><th scope="col">${fs[2]!.label}</th><th scope="col">${t('currentToDesired')}</th></tr></thead>
          <tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td data-label="${fs[0]!.label}">${pointText(ctx, r.past)}</td><td data-label="${fs[1]!.label}">${pointText(ctx, r.current)}</td><td data-label="${fs[2]!.label}">${pointText(ctx, r.desired)}</td><td data-label="${t('currentToDesired')}">${moveText(ctx, r.current, r.desired)}</td></tr>`)}</tbody>
        </table></div>
      </section>`,
    });
  }

  app.get('/app/rounds/:roundId/dialogue', opts, async (request, reply) => {
    const q = pageQuery(request);
    const ctx = ctxOf(request, reply);
    return dialoguePage(request, reply, q.saved === '1' ? { text: ctx.t('placementsSaved'), tone: 'ok' } : null);
  });

  app.post('/app/rounds/:roundId/dialogue', opts, async (request, reply) => {
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const b = pageForm(request);
    const body: Record<string, Point | null> = {};
    const bad: string[] = [];
    for (const f of ['past', 'current', 'desired'] as const) {
      const xs = typeof b[`p.${f}.x`] === 'string' ? (b[`p.${f}.x`] as string).trim() : '';
      const ys = typeof b[`p.${f}.y`] === 'string' ? (b[`p.${f}.y`] as string).trim() : '';
      if (xs === '' && ys === '') {
        body[f] = null;
        continue;
      }
      const x = Number(xs);
      const y = Number(ys);
      if (xs === '' || ys === '' || !Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 100 || Math.abs(y) > 100) bad.push(f);
      else body[f] = { x, y };
    }
    const ctx = ctxOf(request, reply);
    if (bad.length > 0) return dialoguePage(request, reply, { text: `${ctx.t('formErrors')} (−100 … 100)`, tone: 'error' }, 400);
    try {
      await apiClient(app, request).ok('PUT', `/api/v1/rounds/${encodeURIComponent(roundId)}/placements/me`, { json: body });
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 409)) {
        return dialoguePage(request, reply, { text: err.problem.detail ?? err.code, tone: 'error' }, err.status);
      }
      throw err;
    }
    return reply.redirect(`/app/rounds/${roundId}/dialogue?saved=1`, 303);
  });
}
