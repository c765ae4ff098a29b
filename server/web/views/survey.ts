// The respondent's questionnaire: an intro with the language choice, then the pages the respondent API
// lists (one per mechanism, the optional modules, the optional background questions), a review page
// and the thank-you. Plain HTML forms that post page by page; the client script adds autosave.
import type { QuestionnairePage, QuestionnaireText } from '../../rounds/questionnaire.js';
import { html, type SafeHtml } from '../html.js';
import type { Lang, Translate } from '../i18n.js';
import type { QuadrantId } from '../../../scans/index.js';
import { FRAME_SHORT, quadrantName, renderQuadrant, type QuadrantMarker } from './quadrant.js';

export type BackgroundField = 'department' | 'role' | 'education' | 'contract' | 'age_band' | 'tenure' | 'contract_hours';
export type Point = { x: number; y: number };

/** What the questionnaire pages need to know about one respondent's response. */
export interface SurveyModel {
  roundName: string;
  organisationName: string;
  form: 'employee' | 'management';
  status: 'in_progress' | 'submitted';
  /** Saved response language, if any. */
  language: Lang | null;
  languages: Lang[];
  questionnaire: QuestionnaireText;
  answers: Record<string, number | null>;
  background: Partial<Record<BackgroundField, string | null>>;
  factors: Record<string, number | null>;
  placements: Partial<Record<'current' | 'desired', Point | null>>;
  /** Saved answers of the optional modules (issue 17). */
  modules?: { motivation: Record<string, number | null>; learning: string | null; open: Partial<Record<'helps' | 'change', string>> };
}

export type StepKind = 'intro' | QuestionnairePage['kind'] | 'review';
export interface Step {
  id: string;
  kind: StepKind;
  page?: QuestionnairePage;
}

/** The pages of this respondent's questionnaire, in order. */
export function stepsOf(m: SurveyModel): Step[] {
  return [
    { id: 'intro', kind: 'intro' },
    ...m.questionnaire.pages.map((page): Step => ({ id: page.id, kind: page.kind, page })),
    { id: 'review', kind: 'review' },
  ];
}

/** Item ids of a mechanism page without an answer (a value or "don't know"). */
export function unansweredOn(m: SurveyModel, step: Step): string[] {
  if (step.page?.kind !== 'mechanism') return [];
  return step.page.items.filter((i) => !(i.id in m.answers)).map((i) => i.id);
}

/** Whether anything of a (non-statement) page is saved: a rating, a point, a background answer, a module answer. */
export function hasSavedOn(m: SurveyModel, step: Step): boolean {
  const page = step.page;
  if (!page) return false;
  switch (page.kind) {
    case 'mechanism':
      return page.items.some((i) => i.id in m.answers);
    case 'factors':
      return page.groups.some((g) => g.factors.some((f) => f.id in m.factors));
    case 'placements':
      return page.frames.some((f) => f.id in m.placements);
    case 'background':
      return page.questions.some((q) => q.id in m.background);
    case 'module':
      return (
        page.items.some((i) => i.id in (m.modules?.motivation ?? {})) ||
        (page.choice !== null && (m.modules?.learning ?? null) !== null) ||
        page.prompts.some((pr) => pr.id in (m.modules?.open ?? {}))
      );
  }
}

/**
 * Where a returning respondent continues: the first page with an unanswered statement, or the first
 * other page (factors, dialogue model, modules, background) of which nothing is saved and which this
 * browser has not shown yet (`seen`, step ids); the review page only when every page has been through.
 */
export function resumeStep(m: SurveyModel, seen: ReadonlySet<string> = new Set()): Step {
  const steps = stepsOf(m);
  const started = Object.keys(m.answers).length > 0 || Object.keys(m.factors).length > 0;
  if (!started) return steps[0]!;
  const open = (s: Step) => {
    if (s.kind === 'intro' || s.kind === 'review') return false;
    if (s.kind === 'mechanism') return unansweredOn(m, s).length > 0;
    return !hasSavedOn(m, s) && !seen.has(s.id);
  };
  return steps.find(open) ?? steps[steps.length - 1]!;
}

export function itemCount(m: SurveyModel): { answered: number; total: number } {
  const items = m.questionnaire.pages.flatMap((p) => (p.kind === 'mechanism' ? p.items : []));
  return { answered: items.filter((i) => i.id in m.answers).length, total: items.length };
}

export interface SurveyPageInput {
  model: SurveyModel;
  step: Step;
  lang: Lang;
  t: Translate;
  csrf: string;
  /** Fresh per render of the review page; the same key on a repeated post returns the same result. */
  idempotencyKey?: string;
  error?: { message: string; fields: string[]; values?: Record<string, string> };
}

function progress(p: SurveyPageInput, steps: Step[]): SafeHtml {
  const idx = steps.findIndex((s) => s.id === p.step.id);
  // The intro is not counted: the first question page is step 1.
  const n = Math.max(idx, 0);
  const total = steps.length - 1;
  const label = p.t('pageOf', { n: Math.max(n, 1), total });
  return html`<div class="survey-progress">
    <div class="progress-text"><span>${p.model.organisationName}</span><span>${label}</span></div>
    <progress max="${total}" value="${n}" aria-label="${`${p.t('progress')}: ${label}`}">${label}</progress>
  </div>`;
}

function navButtons(p: SurveyPageInput, steps: Step[]): SafeHtml {
  const idx = steps.findIndex((s) => s.id === p.step.id);
  const hasPrev = idx > 1;
  return html`<div class="survey-nav">
    ${hasPrev ? html`<button type="submit" name="nav" value="prev" class="btn btn-secondary" formnovalidate>${p.t('previousPage')}</button>` : html`<span></span>`}
    <button type="submit" name="nav" value="next" class="btn btn-primary">${p.t('next')}</button>
  </div>`;
}

function errorBox(p: SurveyPageInput): SafeHtml {
  return p.error ? html`<div class="notice notice-error" role="alert" tabindex="-1" id="form-error">${p.error.message}</div>` : html``;
}

function radioScale(p: SurveyPageInput, itemId: string, text: string, index: number): SafeHtml {
  const q = p.model.questionnaire;
  const saved = p.model.answers[itemId];
  const has = itemId in p.model.answers;
  const invalid = p.error?.fields.includes(itemId);
  const name = `a.${itemId}`;
  const opt = (value: string, label: string, checked: boolean, extra: string) =>
    html`<label class="${`choice ${extra}`}"><input type="radio" name="${name}" value="${value}"${checked ? html` checked` : ''}><span>${label}</span></label>`;
  return html`<fieldset class="${`question${invalid ? ' is-invalid' : ''}`}" id="${`q-${itemId}`}">
    <legend><span class="q-number">${index}.</span> ${text}</legend>
    <div class="scale">
      ${q.answerOptions.map((o) => opt(String(o.value), o.label, has && saved === o.value, 'choice-scale'))}
    </div>
    <div class="scale-dk">${opt('dk', q.dontKnow.label, has && saved === null, 'choice-dk')}</div>
  </fieldset>`;
}

function pageHead(p: SurveyPageInput, title: string, description: string, badge?: SafeHtml): SafeHtml {
  return html`<h1 class="survey-title">${title}${badge ? html` ${badge}` : ''}</h1>${description.trim() ? html`<p class="lead">${description}</p>` : ''}`;
}

function mechanismPage(p: SurveyPageInput, page: Extract<QuestionnairePage, { kind: 'mechanism' }>): SafeHtml {
  const pages = p.model.questionnaire.pages;
  const before = pages.slice(0, pages.indexOf(page)).reduce((n, x) => n + (x.kind === 'mechanism' ? x.items.length : 0), 0);
  return html`${pageHead(p, page.title, page.description)}
    <details class="instructions"><summary>${p.t('howToAnswer')}</summary><p>${p.model.questionnaire.instructions}</p></details>
    ${page.items.map((item, i) => radioScale(p, item.id, item.text, before + i + 1))}`;
}

function factorsPage(p: SurveyPageInput, page: Extract<QuestionnairePage, { kind: 'factors' }>): SafeHtml {
  return html`${pageHead(p, page.title, page.description, html`<span class="badge badge-optional">${p.t('optional')}</span>`)}
    <p class="factor-key" aria-hidden="true">${page.ratingOptions.map((o) => html`<span><b>${FACTOR_SHORT[String(o.value)] ?? ''}</b> ${o.label}</span>`)}</p>
    ${page.groups.map(
      (g) => html`<section class="factor-group" aria-labelledby="${`fg-${g.id}`}"><h2 id="${`fg-${g.id}`}">${g.label}</h2>
      ${g.factors.map((factor) => {
        const name = `f.${factor.id}`;
        const has = factor.id in p.model.factors;
        const saved = p.model.factors[factor.id];
        return html`<fieldset class="question question-compact" id="${`q-${factor.id}`}">
          <legend>${factor.label}</legend>
          <div class="scale scale-factors">
            ${page.ratingOptions.map(
              (o) => html`<label class="choice choice-scale"><input type="radio" name="${name}" value="${String(o.value)}"${has && saved === o.value ? html` checked` : ''}><span><b class="opt-short" aria-hidden="true">${FACTOR_SHORT[String(o.value)] ?? String(o.value)}</b><span class="opt-full">${o.label}</span></span></label>`,
            )}
          </div>
          <div class="scale-dk"><label class="choice choice-dk"><input type="radio" name="${name}" value="na"${has && saved === null ? html` checked` : ''}><span>${page.notApplicable.label}</span></label></div>
        </fieldset>`;
      })}
    </section>`,
    )}`;
}

/** Compact marks for the factor ratings -2..2 on narrow screens (the full label stays readable by assistive technology). */
const FACTOR_SHORT: Record<string, string> = { '-2': '−−', '-1': '−', '0': '0', '1': '+', '2': '++' };

export interface FrameInfo {
  id: 'past' | 'current' | 'desired';
  label: string;
  prompt: string;
}

/**
 * Numeric inputs per time frame: the accessible way to place a point (and the no-JS way). The choice of
 * which point a click places only works with the script, so it starts hidden and the script shows it.
 */
export function placementFields(t: Translate, lang: Lang, frames: FrameInfo[], values: Partial<Record<string, Point | null>>, prefix: string): SafeHtml {
  const scaleHint = `${prefix}scale-hint`;
  return html`<div class="placement-inputs">
    <noscript><p class="hint nojs-hint">${t('placeNoScript')}</p></noscript>
    <fieldset class="frame-picker" data-frame-picker hidden>
      <legend>${t('placeWhich')}</legend>
      ${frames.map(
        (f, i) => html`<label class="${`choice choice-frame tone-${f.id}`}"><input type="radio" name="_active" value="${f.id}"${i === 0 ? html` checked` : ''}><span><b class="frame-badge" aria-hidden="true">${FRAME_SHORT[f.id][lang]}</b> ${f.label}</span></label>`,
      )}
    </fieldset>
    <p class="hint" id="${scaleHint}">${t('axesHint')}</p>
    ${frames.map((f) => {
      const v = values[f.id];
      return html`<fieldset class="${`coords tone-${f.id}`}" data-coords="${f.id}">
        <legend><b class="frame-badge" aria-hidden="true">${FRAME_SHORT[f.id][lang]}</b> ${f.label}</legend>
        <p class="hint" id="${`${prefix}${f.id}-hint`}">${f.prompt}</p>
        <div class="coords-row">
          <div class="field field-inline"><label for="${`${prefix}${f.id}-x`}">${t('focusAxis')}</label>
            <input type="number" inputmode="numeric" min="-100" max="100" step="1" id="${`${prefix}${f.id}-x`}" name="${`p.${f.id}.x`}" value="${v ? String(Math.round(v.x)) : ''}" data-axis="x" aria-describedby="${`${prefix}${f.id}-hint ${scaleHint}`}"></div>
          <div class="field field-inline"><label for="${`${prefix}${f.id}-y`}">${t('stanceAxis')}</label>
            <input type="number" inputmode="numeric" min="-100" max="100" step="1" id="${`${prefix}${f.id}-y`}" name="${`p.${f.id}.y`}" value="${v ? String(Math.round(v.y)) : ''}" data-axis="y" aria-describedby="${scaleHint}"></div>
        </div>
      </fieldset>`;
    })}
  </div>`;
}

/** The quadrant with a person's own points (editable) for the given frames. */
export function ownQuadrant(t: Translate, lang: Lang, id: string, frames: FrameInfo[], values: Partial<Record<string, Point | null>>, extra: QuadrantMarker[] = [], extraArrows: Array<[string, string, string]> = []): SafeHtml {
  const markers: QuadrantMarker[] = [...extra];
  const pending: Array<{ key: string; frame: FrameInfo['id']; label: string; short: string; tone: string }> = [];
  for (const f of frames) {
    const v = values[f.id];
    const label = `${t('yourPlacement')}: ${f.label}`;
    if (v) markers.push({ key: f.id, frame: f.id, x: v.x, y: v.y, label, kind: 'own', short: FRAME_SHORT[f.id][lang], tone: f.id });
    else pending.push({ key: f.id, frame: f.id, label, short: FRAME_SHORT[f.id][lang], tone: f.id });
  }
  const arrows: Array<[string, string, string]> = [...extraArrows];
  for (let i = 1; i < frames.length; i++) arrows.push([frames[i - 1]!.id, frames[i]!.id, 'own']);
  return renderQuadrant({ lang, id, title: t('quadrantPicture'), markers, pending, editable: true, arrows });
}

// The employees' dialogue-model page, in plain words and without coordinates: per moment (now, as
// wished) two questions with four answers each. The answers are points on the model's axes (the
// values below); staff place by click, drag or numbers on their own page. Answers are listed in the
// order the model is drawn: organisation before people (left to right), reacting before looking
// ahead (top to bottom), so the list and the picture read the same way.
type L = { nl: string; en: string };
const PLAIN_PLACEMENT = {
  fourWays: { nl: 'De vier manieren', en: 'The four ways' },
  quadrants: [
    { id: 'defensive', name: { nl: 'Tekorten oplossen', en: 'Solving shortages' }, text: { nl: 'Er wordt vooral geleerd als de organisatie nu mensen of kennis mist.', en: 'People mainly learn when the organisation is short of people or knowledge right now.' } },
    { id: 'curative', name: { nl: 'Mensen weer sterker maken', en: 'Making people stronger again' }, text: { nl: 'Er wordt vooral geleerd als iemand vastloopt, om die persoon weer op weg te helpen.', en: 'People mainly learn when someone gets stuck, to help that person back on track.' } },
    { id: 'offensive', name: { nl: 'Groeien als organisatie', en: 'Growing as an organisation' }, text: { nl: 'Er wordt vooruit geleerd, om kansen te pakken en de organisatie en de samenleving te laten groeien.', en: 'People learn ahead of time, to seize chances and help the organisation and society grow.' } },
    { id: 'preventive', name: { nl: 'Groeien als mens', en: 'Growing as a person' }, text: { nl: 'Mensen leren steeds, vanuit hun eigen wensen en kansen, zodat ze hun werk goed blijven doen.', en: 'People keep learning, from their own wishes and chances, so they stay good at their work.' } },
  ] as Array<{ id: string; name: L; text: L }>,
  frames: {
    current: { nl: 'Zoals het nu is', en: 'As it is now' },
    desired: { nl: 'Zoals u het graag zou zien', en: 'As you would like it to be' },
  } as Record<'current' | 'desired', L>,
  focus: {
    question: { nl: 'Waar is leren vooral op gericht?', en: 'What is learning mainly aimed at?' },
    options: [
      { value: -75, label: { nl: 'Vooral op wat de organisatie en de samenleving nodig hebben', en: 'Mainly on what the organisation and society need' } },
      { value: -25, label: { nl: 'Iets meer op de organisatie dan op de mensen', en: 'A little more on the organisation than on the people' } },
      { value: 25, label: { nl: 'Iets meer op de mensen dan op de organisatie', en: 'A little more on the people than on the organisation' } },
      { value: 75, label: { nl: 'Vooral op hoe het met de mensen gaat en hoe ze groeien', en: 'Mainly on how the people are doing and how they grow' } },
    ],
  },
  stance: {
    question: { nl: 'Wanneer komt leren vooral op gang?', en: 'When does learning mostly get going?' },
    options: [
      { value: -75, label: { nl: 'Als er een probleem is dat meteen opgelost moet worden', en: 'When there is a problem that must be solved at once' } },
      { value: -25, label: { nl: 'Meestal als er een probleem is', en: 'Mostly when there is a problem' } },
      { value: 25, label: { nl: 'Meestal al vooraf, vanuit kansen en plannen', en: 'Mostly ahead of time, from chances and plans' } },
      { value: 75, label: { nl: 'Vooraf, vanuit kansen, wensen en ambities', en: 'Ahead of time, from chances, wishes and ambitions' } },
    ],
  },
  skip: { nl: 'Weet ik niet', en: "Don't know" },
  yourAnswer: { nl: 'Uw antwoord', en: 'Your answer' },
  pictureNote: {
    nl: 'Zo ziet het model eruit. Uw antwoorden verschijnen als stip zodra ze zijn opgeslagen.',
    en: 'This is what the model looks like. Your answers appear as dots once they are saved.',
  },
} as const;

/** The answer a saved value falls under: the nearest option on the same side of 0 (0 counts as the + side). */
export function plainOptionFor(options: ReadonlyArray<{ value: number }>, saved: number | null | undefined): number | null {
  if (saved === null || saved === undefined || !Number.isFinite(saved)) return null;
  const side = options.filter((o) => (o.value >= 0) === (saved >= 0));
  return side.reduce((best, o) => (Math.abs(o.value - saved) < Math.abs(best - saved) ? o.value : best), side[0]!.value);
}

function plainPlacementQuestion(p: SurveyPageInput, frame: 'current' | 'desired', axis: 'x' | 'y', saved: number | null | undefined): SafeHtml {
  const spec = axis === 'x' ? PLAIN_PLACEMENT.focus : PLAIN_PLACEMENT.stance;
  const chosen = plainOptionFor(spec.options, saved);
  const name = `p.${frame}.${axis}`;
  return html`<fieldset class="question question-compact" id="${`q-${frame}-${axis}`}">
    <legend>${spec.question[p.lang]}</legend>
    <div class="options-list">
      ${spec.options.map((o) => html`<label class="choice choice-row"><input type="radio" name="${name}" value="${String(o.value)}"${chosen === o.value ? html` checked` : ''}><span>${o.label[p.lang]}</span></label>`)}
      <label class="choice choice-row choice-dk"><input type="radio" name="${name}" value=""${chosen === null ? html` checked` : ''}><span>${PLAIN_PLACEMENT.skip[p.lang]}</span></label>
    </div>
  </fieldset>`;
}

function placementPage(p: SurveyPageInput, page: Extract<QuestionnairePage, { kind: 'placements' }>): SafeHtml {
  const lang = p.lang;
  const markers: QuadrantMarker[] = [];
  for (const f of page.frames) {
    const v = p.model.placements[f.id];
    if (v) markers.push({ key: f.id, frame: f.id, x: v.x, y: v.y, label: `${PLAIN_PLACEMENT.yourAnswer[lang]}: ${PLAIN_PLACEMENT.frames[f.id][lang]}`, kind: 'own', short: FRAME_SHORT[f.id][lang], tone: f.id });
  }
  const arrows: Array<[string, string, string]> = markers.length === 2 ? [['current', 'desired', 'own']] : [];
  return html`${pageHead(p, page.title, page.description, html`<span class="badge badge-optional">${p.t('anonymousNote')}</span>`)}
    <section class="plain-quadrants" aria-labelledby="four-ways"><h2 id="four-ways">${PLAIN_PLACEMENT.fourWays[lang]}</h2>
      <ul>${PLAIN_PLACEMENT.quadrants.map((q) => html`<li><b>${q.name[lang]}</b> <span class="muted">(${quadrantName(q.id as QuadrantId, lang).toLowerCase()})</span>. ${q.text[lang]}</li>`)}</ul>
    </section>
    <div class="placement-layout">
      <div>
        ${renderQuadrant({ lang, id: 'survey-quadrant', title: p.t('quadrantPicture'), markers, arrows })}
        <p class="hint">${PLAIN_PLACEMENT.pictureNote[lang]}</p>
      </div>
      <div class="placement-inputs">
        ${page.frames.map(
          (f) => html`<section class="${`plain-frame tone-${f.id}`}" aria-labelledby="${`frame-${f.id}`}">
          <h2 id="${`frame-${f.id}`}"><b class="frame-badge" aria-hidden="true">${FRAME_SHORT[f.id][lang]}</b> ${PLAIN_PLACEMENT.frames[f.id][lang]}</h2>
          ${plainPlacementQuestion(p, f.id, 'x', p.model.placements[f.id]?.x)}
          ${plainPlacementQuestion(p, f.id, 'y', p.model.placements[f.id]?.y)}
        </section>`,
        )}
      </div>
    </div>`;
}

function backgroundPage(p: SurveyPageInput, page: Extract<QuestionnairePage, { kind: 'background' }>): SafeHtml {
  return html`${pageHead(p, page.title, page.description, html`<span class="badge badge-optional">${p.t('optional')}</span>`)}
    ${page.questions.map((q) => {
      const saved = p.model.background[q.id as BackgroundField];
      const name = `b.${q.id}`;
      return html`<fieldset class="question question-compact" id="${`q-${q.id}`}">
        <legend>${q.label} <span class="muted small">(${p.t('optional')})</span></legend>
        ${q.note ? html`<p class="hint">${q.note}</p>` : ''}
        <div class="options-list">
          ${q.options.map((o) => html`<label class="choice choice-row"><input type="radio" name="${name}" value="${o.value}"${saved === o.value ? html` checked` : ''}><span>${o.label}</span></label>`)}
          <label class="choice choice-row choice-dk"><input type="radio" name="${name}" value=""${saved === null || saved === undefined ? html` checked` : ''}><span>${p.t('preferNotToSay')}</span></label>
        </div>
      </fieldset>`;
    })}`;
}

const MODULE_TEXT = {
  dontKnow: { nl: 'Weet ik niet', en: "Don't know" },
  skip: { nl: 'Zeg ik liever niet', en: 'Prefer not to say' },
  maxChars: { nl: 'Maximaal {n} tekens, gewone tekst.', en: 'At most {n} characters, plain text.' },
} as const;

function modulePage(p: SurveyPageInput, page: Extract<QuestionnairePage, { kind: 'module' }>): SafeHtml {
  const q = p.model.questionnaire;
  const saved = p.model.modules ?? { motivation: {}, learning: null, open: {} };
  const ratings = page.items.map((item, i) => {
    const name = `m.${item.id}`;
    const has = item.id in saved.motivation;
    const value = saved.motivation[item.id];
    const invalid = p.error?.fields.includes(item.id);
    const opt = (v: string, label: string, checked: boolean, extra: string) =>
      html`<label class="${`choice ${extra}`}"><input type="radio" name="${name}" value="${v}"${checked ? html` checked` : ''}><span>${label}</span></label>`;
    return html`<fieldset class="${`question${invalid ? ' is-invalid' : ''}`}" id="${`q-${item.id}`}">
      <legend><span class="q-number">${i + 1}.</span> ${item.text}</legend>
      <div class="scale">${q.answerOptions.map((o) => opt(String(o.value), o.label, has && value === o.value, 'choice-scale'))}</div>
      <div class="scale-dk">${opt('dk', q.dontKnow.label, has && value === null, 'choice-dk')}</div>
    </fieldset>`;
  });
  const choice = page.choice
    ? html`<fieldset class="question question-compact" id="${`q-${page.choice.id}`}">
        <legend>${page.choice.label} <span class="muted small">(${p.t('optional')})</span></legend>
        <div class="options-list">
          ${page.choice.options.map((o) => html`<label class="choice choice-row"><input type="radio" name="ml" value="${o.value}"${saved.learning === o.value ? html` checked` : ''}><span>${o.label}</span></label>`)}
          <label class="choice choice-row choice-dk"><input type="radio" name="ml" value=""${saved.learning === null ? html` checked` : ''}><span>${MODULE_TEXT.skip[p.lang]}</span></label>
        </div>
      </fieldset>`
    : html``;
  const prompts = page.prompts.map((pr) => {
    const invalid = p.error?.fields.includes(pr.id);
    const hint = MODULE_TEXT.maxChars[p.lang].replace('{n}', String(pr.maxLength));
    return html`<div class="${`question question-compact field${invalid ? ' is-invalid' : ''}`}" id="${`q-${pr.id}`}">
      <label for="${`open-${pr.id}`}">${pr.label} <span class="muted small">(${p.t('optional')})</span></label>
      <p class="hint" id="${`open-${pr.id}-hint`}">${hint}</p>
      <textarea id="${`open-${pr.id}`}" name="${`o.${pr.id}`}" rows="4" maxlength="${String(pr.maxLength)}" aria-describedby="${`open-${pr.id}-hint`}"${invalid ? html` aria-invalid="true"` : ''}>${p.error?.values?.[pr.id] ?? saved.open[pr.id] ?? ''}</textarea>
    </div>`;
  });
  return html`${pageHead(p, page.title, page.description, page.items.length ? undefined : html`<span class="badge badge-optional">${p.t('optional')}</span>`)}
    ${ratings}${choice}${prompts}`;
}

function reviewPage(p: SurveyPageInput, steps: Step[]): SafeHtml {
  const { answered, total } = itemCount(p.model);
  const missing = steps.filter((s) => unansweredOn(p.model, s).length > 0);
  return html`<h1 class="survey-title">${p.t('reviewTitle')}</h1>
    <p class="lead">${p.t('reviewLead', { answered, total })}</p>
    ${
      missing.length > 0
        ? html`<div class="notice notice-warn" id="submit-blocked"><p>${p.t('unansweredPages')}</p><ul>${missing.map(
            (s) => html`<li><a href="${`/survey/${s.id}`}">${s.page && 'title' in s.page ? s.page.title : s.id}</a> (${unansweredOn(p.model, s).length})</li>`,
          )}</ul></div>`
        : ''
    }
    <input type="hidden" name="idempotency_key" value="${p.idempotencyKey ?? ''}">`;
}

export function surveyPage(p: SurveyPageInput): SafeHtml {
  const steps = stepsOf(p.model);
  let content: SafeHtml;
  const page = p.step.page;
  if (page?.kind === 'mechanism') content = mechanismPage(p, page);
  else if (page?.kind === 'factors') content = factorsPage(p, page);
  else if (page?.kind === 'placements') content = placementPage(p, page);
  else if (page?.kind === 'background') content = backgroundPage(p, page);
  else if (page?.kind === 'module') content = modulePage(p, page);
  else if (p.step.kind === 'review') content = reviewPage(p, steps);
  else content = html``;
  const isReview = p.step.kind === 'review';
  const missing = isReview && steps.some((s) => unansweredOn(p.model, s).length > 0);
  return html`${progress(p, steps)}
  <form method="post" action="${`/survey/${p.step.id}`}" class="survey-form" data-autosave="${isReview ? 'false' : 'true'}" novalidate>
    <input type="hidden" name="_csrf" value="${p.csrf}">
    ${errorBox(p)}
    ${content}
    ${
      isReview
        ? html`<div class="survey-nav">
          <button type="submit" name="nav" value="prev" class="btn btn-secondary">${p.t('previousPage')}</button>
          <button type="submit" name="nav" value="submit" class="btn btn-primary"${missing ? html` aria-describedby="submit-blocked"` : ''}>${p.t('submit')}</button>
        </div>`
        : navButtons(p, steps)
    }
    <p class="autosave-status muted small" aria-live="polite" data-autosave-status></p>
  </form>`;
}

export function introPage(p: { model: SurveyModel; lang: Lang; t: Translate; csrf: string; resumeLabel: boolean }): SafeHtml {
  const { model, lang, t } = p;
  const langs = model.languages.length > 0 ? model.languages : (['nl'] as Lang[]);
  return html`<section class="survey-intro">
    <p class="eyebrow">${model.organisationName}</p>
    <h1 class="survey-title">${t('surveyWelcome')}</h1>
    <p class="lead">${t('surveyIntro')}</p>
    <p class="muted">${model.questionnaire.instructions}</p>
    <form method="post" action="/survey/intro" class="stack">
      <input type="hidden" name="_csrf" value="${p.csrf}">
      ${
        langs.length > 1
          ? html`<fieldset class="question question-compact lang-choice">
        <legend>${t('chooseLanguage')}</legend>
        <div class="options-inline">
          ${langs.map((l) => html`<label class="choice choice-row" lang="${l}"><input type="radio" name="language" value="${l}"${l === lang ? html` checked` : ''}><span>${l === 'nl' ? 'Nederlands' : 'English'}</span></label>`)}
        </div>
      </fieldset>`
          : html`<input type="hidden" name="language" value="${langs[0]!}">`
      }
      <div class="survey-nav survey-nav-end">
        <button type="submit" name="nav" value="next" class="btn btn-primary btn-large">${p.resumeLabel ? t('continue') : t('start')}</button>
      </div>
    </form>
  </section>`;
}

export function messagePage(title: string, text: string, tone: 'ok' | 'info' | 'warn' = 'info'): SafeHtml {
  return html`<section class="${`card message-card message-${tone}`}">
    ${
      tone === 'ok'
        ? html`<svg class="message-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false"><circle cx="24" cy="24" r="22"/><path d="M14 25l7 7 13-15"/></svg>`
        : html`<svg class="message-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false"><circle cx="24" cy="24" r="22"/><path d="M24 13v14M24 33v2"/></svg>`
    }
    <h1>${title}</h1>
    <p>${text}</p>
  </section>`;
}
