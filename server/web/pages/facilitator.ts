// The facilitator page for the session in which the LLO dialogue model is discussed: place
// individually, reveal, explain, tell the route from past to now, agree what the desired position
// asks, and carry agreements into the action plan. Every figure comes from the round's result model
// (GET /api/v1/rounds/:id/results), so employees under the threshold stay hidden here as well.
import type { FastifyInstance } from 'fastify';
import { QUADRANT_IDS } from '../../../scans/instruments/dialogue-model.js';
import type { ResultModel } from '../../../scans/result-model.js';
import { narrateDifference, narrateGroup, quadrantShortName } from '../../../scans/scoring/dialogue.js';
import { buildDialogueCanvas } from '../../../report-templates/dialogue-canvas.js';
import { fmtPct } from '../../../report-templates/format.js';
import { apiClient } from '../api-client.js';
import { requireStaffPage, staffShell } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang, TextKey } from '../i18n.js';
import { ctxOf, sendStaffPage, type Organisation, type Round } from './staff-common.js';
import { roundParamsSchema } from '../../contracts/rounds.js';
import { pageParams } from '../params.js';

type Step = { title: string; body: string; questions: string[] };

const STEPS: Record<Lang, Step[]> = {
  nl: [
    {
      title: 'Plaats ieder voor zich',
      body: 'Laat iedere deelnemer eerst zonder overleg de organisatie plaatsen: een kenmerkende periode uit het verleden, nu en gewenst. Medewerkers deden dat in de vragenlijst al voor nu en gewenst.',
      questions: ['Welke periode uit het verleden kiest u, en waarom juist die?'],
    },
    {
      title: 'Maak de plaatsingen zichtbaar',
      body: 'Laat de verdeling per groep zien voordat iemand iets uitlegt. Een groep zonder gedeeld beeld is geen fout maar het begin van het gesprek.',
      questions: ['Wat valt u op aan de verdeling?', 'Waar had u iets anders verwacht?'],
    },
    {
      title: 'Laat toelichten',
      body: 'Vraag per groep waarom men de organisatie daar plaatst. Besteed extra aandacht aan plaatsingen op de grens tussen twee kwadranten en aan groepen die verdeeld zijn.',
      questions: ['Welk voorbeeld uit uw werk hoort bij deze plaats?', 'Wat zou u ertoe brengen de stip een kwadrant op te schuiven?'],
    },
    {
      title: 'Vertel de weg van toen naar nu',
      body: 'Bespreek wat de organisatie van de kenmerkende periode uit het verleden naar nu heeft gebracht: gebeurtenissen, besluiten, mensen.',
      questions: ['Wat heeft die beweging in gang gezet?', 'Wat is onderweg verloren gegaan dat de moeite waard was?'],
    },
    {
      title: 'Spreek af wat de gewenste positie vraagt',
      body: 'De doelen van leven lang ontwikkelen kunnen schuren: wat goed is voor de organisatie is niet altijd wat goed is voor de persoon. Benoem wat de stap naar gewenst vraagt van leidinggevenden, medewerkers en HR.',
      questions: ['Wat laten we los?', 'Wat moet er als eerste anders, en wie merkt dat?'],
    },
    {
      title: 'Neem de afspraken mee naar het actieplan',
      body: 'Leg per afspraak vast wat de eerste stap is, wie die trekt en welke uitspraak u bij de volgende meting volgt. De prioriteiten hieronder zijn een startpunt.',
      questions: ['Welke afspraak pakken we deze maand op?'],
    },
  ],
  en: [
    {
      title: 'Place individually',
      body: 'Let every participant first place the organisation without discussion: a characteristic period from the past, now and desired. Employees already did so in the questionnaire for now and desired.',
      questions: ['Which period from the past do you choose, and why that one?'],
    },
    {
      title: 'Reveal the placements',
      body: 'Show the spread per group before anyone explains anything. A group without a shared picture is not a mistake but the start of the conversation.',
      questions: ['What strikes you in the spread?', 'Where did you expect something else?'],
    },
    {
      title: 'Let people explain',
      body: 'Ask per group why they place the organisation there. Pay extra attention to placements on the border between two quadrants and to groups that are split.',
      questions: ['Which example from your work belongs to this place?', 'What would make you move the dot one quadrant?'],
    },
    {
      title: 'Tell the route from then to now',
      body: 'Discuss what brought the organisation from the characteristic period in the past to now: events, decisions, people.',
      questions: ['What set that movement going?', 'What was lost along the way that was worth keeping?'],
    },
    {
      title: 'Agree what the desired position asks',
      body: 'The goals of lifelong learning can pull against each other: what is good for the organisation is not always good for the person. Name what the step to desired asks of managers, employees and HR.',
      questions: ['What do we let go of?', 'What must change first, and who will notice?'],
    },
    {
      title: 'Carry the agreements into the action plan',
      body: 'For each agreement, record the first step, who leads it and which statement to watch in the next round. The priorities below are a starting point.',
      questions: ['Which agreement do we take up this month?'],
    },
  ],
};

function spreadTable(model: ResultModel, lang: Lang, t: (k: TextKey) => string): SafeHtml {
  const c = model.dialogue.conversation;
  if (!c || c.groups.length === 0) return html`<p class="empty">${t('notYetResults')}</p>`;
  const rows = c.groups.flatMap((g) =>
    g.frames.map(
      (f, i) => html`<tr>
        <th scope="row">${i === 0 ? t(`group_${g.group}` as TextKey) : ''}</th>
        <td>${t(`frame_${f.frame}` as TextKey)}</td>
        ${f.suppressed || !f.shares
          ? html`<td colspan="6" class="muted small">${t('hidden')}</td>`
          : html`${QUADRANT_IDS.map((q) => html`<td class="num">${f.shared === q ? html`<strong>${fmtPct(f.shares![q], lang)}</strong>` : fmtPct(f.shares![q], lang)}</td>`)}
            <td class="num">${f.onBorder === null ? '–' : fmtPct(f.onBorder, lang)}</td>
            <td>${f.shared ? quadrantShortName(f.shared, lang) : t('noSharedPicture')}</td>`}
      </tr>`,
    ),
  );
  return html`<div class="table-wrap" tabindex="0"><table class="stack-sm">
    <caption class="visually-hidden">${t('dialogueModel')}</caption>
    <thead><tr><th scope="col">${t('group')}</th><th scope="col"></th>${QUADRANT_IDS.map((q) => html`<th scope="col" class="num">${quadrantShortName(q, lang)}</th>`)}<th scope="col" class="num">${lang === 'nl' ? 'Op de grens' : 'On the border'}</th><th scope="col">${lang === 'nl' ? 'Beeld' : 'Picture'}</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>`;
}

export default async function facilitatorPages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  // The blank A3 canvas: one page of vector drawing and text, no charts, so it renders on request.
  app.get('/app/rounds/:roundId/dialogue-canvas.pdf', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const api = apiClient(app, request);
    const round = await api.get<Round>(`/api/v1/rounds/${encodeURIComponent(roundId)}`);
    const model = await api.get<ResultModel>(`/api/v1/rounds/${round.id}/results`);
    const shell = await staffShell(app, request);
    // Loaded on the first canvas: pdfmake, canvas and chart.js stay out of the server's start-up.
    const [{ default: pdfmake }, { configurePdfmake }] = await Promise.all([import('pdfmake'), import('../../reports/render.js')]);
    configurePdfmake();
    const doc = buildDialogueCanvas(model, { lang: ctx.lang, branding: { name: shell.brandName ?? model.meta.organisation.name, accentColor: shell.accent }, renderChart: () => ({ text: '' }) });
    const pdf = Buffer.from(await pdfmake.createPdf(doc).getBuffer());
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="dialoogcanvas-${ctx.lang}.pdf"`)
      .send(pdf);
  });

  app.get('/app/rounds/:roundId/dialogue-session', opts, async (request, reply) => {
    const ctx = ctxOf(request, reply);
    const { t, lang } = ctx;
    const { roundId } = pageParams(request, roundParamsSchema, 'Round');
    const api = apiClient(app, request);
    const round = await api.get<Round>(`/api/v1/rounds/${encodeURIComponent(roundId)}`);
    const org = await api.get<Organisation>(`/api/v1/organisations/${round.organisationId}`);
    const model = await api.get<ResultModel>(`/api/v1/rounds/${round.id}/results`);
    const c = model.dialogue.conversation;
    const steps = STEPS[lang];
    const stories = c ? c.groups.map((g) => html`<li><span class="${`dot tone-${g.group}`}" aria-hidden="true"></span> ${narrateGroup(g, lang)}</li>`) : [];
    const most = c ? narrateDifference(c, lang) : null;
    // Step 2 shows the spread, steps 3-5 the story and the largest difference, step 6 the priorities.
    const extra: SafeHtml[] = [
      html``,
      spreadTable(model, lang, t),
      html`<ul class="dialogue-story">${stories}</ul>`,
      html`<ul class="dialogue-story">${c ? c.groups.filter((g) => g.frames.some((f) => f.frame === 'past')).map((g) => html`<li>${narrateGroup(g, lang)}</li>`) : ''}</ul>`,
      most ? html`<p><strong>${t('differMost')}:</strong> ${most}</p>` : html``,
      html`<ol>${model.priorities.slice(0, 3).map(
        (p) => html`<li><strong>${p.name[lang]}</strong><ul>${p.interventions.slice(0, 3).map((i) => html`<li>${i.text[lang]}${i.firstStep ? html`<br><span class="small muted">${i.firstStep[lang]}</span>` : ''}</li>`)}</ul></li>`,
      )}</ol>`,
    ];
    return sendStaffPage(app, request, reply, ctx, {
      title: `${t('facilitatorPage')}: ${round.name}`,
      crumbs: [
        { href: '/app', label: t('organisations') },
        { href: `/app/organisations/${org.id}`, label: org.name },
        { href: `/app/rounds/${round.id}`, label: round.name },
        { href: `/app/rounds/${round.id}/results`, label: t('results') },
        { label: t('facilitatorPage') },
      ],
      body: html`<div class="page-head"><div><p class="eyebrow">${org.name} · ${round.name}</p><h1>${t('facilitatorPage')}</h1></div></div>
        <p><a class="btn btn-secondary" href="${`/app/rounds/${round.id}/dialogue-canvas.pdf`}">${lang === 'nl' ? 'A3-canvas voor de sessie (PDF)' : 'A3 canvas for the session (PDF)'}</a></p>
        ${!model.dialogue.included ? html`<p class="empty">${t('notYetResults')}</p>` : ''}
        <ol class="session-steps">${steps.map(
          (s, i) => html`<li class="card"><h2>${s.title}</h2><p>${s.body}</p>${extra[i] ?? ''}
            <p class="small"><strong>${lang === 'nl' ? 'Vragen' : 'Questions'}:</strong></p><ul class="small">${s.questions.map((q) => html`<li>${q}</li>`)}</ul></li>`,
        )}</ol>`,
    });
  });
}
