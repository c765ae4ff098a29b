// The dashboard page of the extra result sections (issue 17): management roles side by side, who
// learns less against the rest with advice, and the optional modules. Reads GET .../results/extras,
// which holds only disclosed figures; hidden groups are named as hidden.
import type { FastifyInstance } from 'fastify';
import { LEARNING_WAYS, LEARNING_WAY_LABELS, MODEL_PART_LABELS, MOTIVATION_FACETS, MOTIVATION_FACET_LABELS, OPEN_PROMPT_TEXT, type ModelPart } from '../../../scans/modules/definitions.js';
import type { ReportExtras } from '../../../report-templates/modules.js';
import { ApiError, apiClient } from '../api-client.js';
import { requireStaffPage } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { fmtNumber, type Lang } from '../i18n.js';
import { ctxOf, sendStaffPage, type Organisation, type Round } from './staff-common.js';
import { pageParams } from '../params.js';
import { roundParamsSchema } from '../../contracts/rounds.js';

const T = {
  title: { nl: 'Rollen, groepen en extra onderdelen', en: 'Roles, groups and extra parts' },
  roles: { nl: 'Perspectieven per rol (managementvragenlijst)', en: 'Perspectives by role (management form)' },
  learnsLess: { nl: 'Wie leert er minder?', en: 'Who learns less?' },
  learnsLessLead: {
    nl: 'Groepen die volgens onderzoek minder aan leren toekomen, naast de overige medewerkers (gemiddelde 1-5), met passend advies.',
    en: 'Groups that research shows learn less, beside the other employees (mean 1-5), with fitting advice.',
  },
  group: { nl: 'Groep', en: 'Group' },
  rest: { nl: 'Overige medewerkers', en: 'Other employees' },
  mechanism: { nl: 'Mechanisme', en: 'Mechanism' },
  hidden: { nl: 'Niet getoond: te weinig respondenten, of af te leiden uit andere cijfers.', en: 'Not shown: too few respondents, or derivable from other figures.' },
  motivation: { nl: 'Motivatie om te leren', en: 'Motivation to learn' },
  wantOverMust: { nl: 'Wil > moet', en: 'Want > must' },
  firstStep: { nl: 'Eerste stap', en: 'First step' },
  mix: { nl: 'Hoe mensen leren', en: 'How people learn' },
  mixNote: {
    nl: '70-20-10 (Jennings, 2011) is een model van hoe leren vaak verdeeld is, geen norm en geen meting.',
    en: '70-20-10 (Jennings, 2011) is a model of how learning is often split, not a norm and not a measurement.',
  },
  model: { nl: 'Model', en: 'Model' },
  open: { nl: 'Open antwoorden', en: 'Open answers' },
  openNote: { nl: 'Alleen voor groepen met ten minste {n} antwoorden; zonder volgorde of naam.', en: 'Only for groups with at least {n} answers; without order or names.' },
  notAsked: { nl: 'Deze ronde bevat geen extra onderdelen.', en: 'This round has no extra parts.' },
  back: { nl: 'Terug naar de resultaten', en: 'Back to the results' },
} as const;

function view(x: ReportExtras, lang: Lang, mechNames: Map<string, string>): SafeHtml {
  const n = (v: number | null, d = 2) => (v === null ? '–' : fmtNumber(lang, v, d));
  const mech = (id: string) => mechNames.get(id) ?? id;
  const roles = x.roles.groups;
  const shownRoles = roles.filter((g) => !g.hidden);
  const rolesSection = roles.length
    ? html`<section class="card" aria-labelledby="x-roles"><h2 id="x-roles">${T.roles[lang]}</h2>
      ${shownRoles.length
        ? html`<div class="table-wrap"><table class="table"><thead><tr><th scope="col">${T.mechanism[lang]}</th>${shownRoles.map((g) => html`<th scope="col" class="num">${g.label[lang]} (n=${String(g.n)})</th>`)}</tr></thead>
          <tbody>${(shownRoles[0]?.mechanisms ?? []).map((m) => html`<tr><th scope="row">${mech(m.mechanismId)}</th>${shownRoles.map((g) => html`<td class="num">${n(g.mechanisms.find((y) => y.mechanismId === m.mechanismId)?.mean ?? null)}</td>`)}</tr>`)}</tbody></table></div>`
        : ''}
      ${roles.filter((g) => g.hidden).length ? html`<p class="muted small">${roles.filter((g) => g.hidden).map((g) => g.label[lang]).join(', ')}: ${T.hidden[lang]}</p>` : ''}
    </section>`
    : html``;
  const ll = x.learnsLess.groups.length
    ? html`<section class="card" aria-labelledby="x-ll"><h2 id="x-ll">${T.learnsLess[lang]}</h2><p class="muted">${T.learnsLessLead[lang]}</p>
      ${x.learnsLess.groups.map(
        (g) => html`<h3>${g.label[lang]}</h3>
        ${g.hidden
          ? html`<p class="muted small">${T.hidden[lang]}</p>`
          : html`<div class="table-wrap"><table class="table"><thead><tr><th scope="col">${T.mechanism[lang]}</th><th scope="col" class="num">${T.group[lang]} (n=${String(g.group.n)})</th><th scope="col" class="num">${T.rest[lang]} (n=${String(g.rest.n)})</th></tr></thead>
            <tbody>${g.group.mechanisms.map((m) => html`<tr><th scope="row">${mech(m.mechanismId)}</th><td class="num">${n(m.mean)}</td><td class="num">${n(g.rest.mechanisms.find((y) => y.mechanismId === m.mechanismId)?.mean ?? null)}</td></tr>`)}</tbody></table></div>`}
        <ul>${g.advice.map((a) => html`<li>${a[lang]}</li>`)}</ul>`,
      )}</section>`
    : html``;
  const mot = x.motivation.included
    ? html`<section class="card" aria-labelledby="x-mot"><h2 id="x-mot">${T.motivation[lang]}</h2>
      <div class="table-wrap"><table class="table"><thead><tr><th scope="col">${T.group[lang]}</th>${MOTIVATION_FACETS.map((f) => html`<th scope="col" class="num">${MOTIVATION_FACET_LABELS[f][lang]}</th>`)}<th scope="col" class="num">${T.wantOverMust[lang]}</th></tr></thead>
      <tbody>${x.motivation.groups.filter((g) => !g.hidden && g.profile).map((g) => html`<tr><th scope="row">${g.label[lang]} (n=${String(g.profile!.n)})</th>${MOTIVATION_FACETS.map((f) => html`<td class="num">${n(g.profile!.facets.find((y) => y.facet === f)?.mean ?? null)}</td>`)}<td class="num">${g.profile!.wantOverMust.percent === null ? '–' : `${g.profile!.wantOverMust.percent}%`}</td></tr>`)}</tbody></table></div>
      ${(() => { const all = x.motivation.groups.find((g) => g.group === 'all'); return all?.move ? html`<p><strong>${T.firstStep[lang]}:</strong> ${all.move[lang]}</p>` : ''; })()}
    </section>`
    : html``;
  const mix = x.learningMix.included
    ? html`<section class="card" aria-labelledby="x-mix"><h2 id="x-mix">${T.mix[lang]}</h2>
      <div class="table-wrap"><table class="table"><thead><tr><th scope="col">${T.group[lang]}</th>${LEARNING_WAYS.map((w) => html`<th scope="col" class="num">${LEARNING_WAY_LABELS[w][lang]}</th>`)}${(['experience', 'others', 'formal'] as ModelPart[]).map((p) => html`<th scope="col" class="num">${MODEL_PART_LABELS[p][lang]} (${T.model[lang]} ${String(x.learningMix.model[p])}%)</th>`)}</tr></thead>
      <tbody>${x.learningMix.groups.filter((g) => !g.hidden && g.mix).map((g) => html`<tr><th scope="row">${g.label[lang]} (n=${String(g.mix!.n)})</th>${LEARNING_WAYS.map((w) => html`<td class="num">${n(g.mix!.ways.find((y) => y.way === w)?.percent ?? null, 1)}%</td>`)}${g.mix!.model.map((p) => html`<td class="num">${n(p.percent, 1)}%</td>`)}</tr>`)}</tbody></table></div>
      <p class="muted small">${T.mixNote[lang]}</p></section>`
    : html``;
  const open = x.open.included
    ? html`<section class="card" aria-labelledby="x-open"><h2 id="x-open">${T.open[lang]}</h2><p class="muted small">${T.openNote[lang].replace('{n}', String(x.open.minimum))}</p>
      ${x.open.groups.filter((g) => !g.hidden && g.prompts).map(
        (g) => html`<h3>${g.label[lang]}</h3>${g.prompts!.map(
          (p) => html`<h4>${OPEN_PROMPT_TEXT[p.prompt as keyof typeof OPEN_PROMPT_TEXT][lang]} (n=${String(p.n)})</h4>
          <p class="small">${p.themes.filter((th) => th.count > 0).map((th) => `${th.label[lang]}: ${th.count}`).join(' · ')}</p>
          <ul class="open-answers">${p.answers.map((a) => html`<li>${a}</li>`)}</ul>`,
        )}`,
      )}</section>`
    : html``;
  const any = roles.length || x.learnsLess.groups.length || x.motivation.included || x.learningMix.included || x.open.included;
  return any ? html`${rolesSection}${ll}${mot}${mix}${open}` : html`<p class="empty">${T.notAsked[lang]}</p>`;
}

export default async function resultExtrasPages(app: FastifyInstance): Promise<void> {
  app.get('/app/rounds/:roundId/results/extras', { schema: { hide: true }, preHandler: requireStaffPage }, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const api = apiClient(app, request);
    const round = await api.get<Round>(`/api/v1/rounds/${encodeURIComponent(roundId)}`);
    const org = await api.get<Organisation>(`/api/v1/organisations/${round.organisationId}`);
    const crumbs = [
      { href: '/app', label: ctx.t('organisations') },
      { href: `/app/organisations/${org.id}`, label: org.name },
      { href: `/app/rounds/${round.id}`, label: round.name },
      { href: `/app/rounds/${round.id}/results`, label: ctx.t('results') },
      { label: T.title[ctx.lang] },
    ];
    let body: SafeHtml;
    try {
      const extras = await api.get<ReportExtras>(`/api/v1/rounds/${round.id}/results/extras`);
      const model = await api.get<{ mechanisms: Array<{ mechanismId: string; name: { nl: string; en: string } }> }>(`/api/v1/rounds/${round.id}/results`);
      body = view(extras, ctx.lang, new Map(model.mechanisms.map((m) => [m.mechanismId, m.name[ctx.lang]])));
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 401 || err.status === 404) throw err;
      body = html`<p class="empty">${err.code === 'round_not_closed' ? ctx.t('resultsAfterClose') : ctx.t('notYetResults')}</p>`;
    }
    return sendStaffPage(app, request, reply, ctx, {
      title: `${T.title[ctx.lang]}: ${round.name}`,
      crumbs,
      body: html`<div class="page-head"><div><p class="eyebrow">${org.name}</p><h1>${T.title[ctx.lang]}</h1></div></div>${body}
        <p><a href="${`/app/rounds/${round.id}/results`}">${T.back[ctx.lang]}</a></p>`,
    });
  });
}

/** The link the results page shows to this page. */
export function extrasLink(roundId: string, lang: Lang): SafeHtml {
  return html`<p class="results-extras-link"><a class="btn btn-secondary" href="${`/app/rounds/${roundId}/results/extras`}">${T.title[lang]}</a></p>`;
}
