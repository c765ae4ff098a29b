// The questionnaire a respondent sees, in one language and for one form: a page per mechanism with
// the form's wording of each item, then the factors module, the dialogue-model placements and the
// background questions, as the round enables them. The instrument part is built once per
// (instrument, form, language) and reused; only the department options come from the round.
import {
  BACKGROUND_QUESTIONS,
  type Form,
  type Language,
  type LocalizedText,
  type MechanismId,
  respondentPageTitle,
} from '../../scans/index.js';
import { EXTRA_BACKGROUND_QUESTIONS, roleQuestionFor } from '../../scans/instruments/background.js';
import {
  LEARNING_QUESTION,
  LEARNING_WAYS,
  LEARNING_WAY_LABELS,
  MOTIVATION_ITEMS,
  OPEN_ANSWER_MAX,
  OPEN_PROMPTS,
  OPEN_PROMPT_TEXT,
  type OpenPrompt,
  type SurveyModule,
} from '../../scans/modules/definitions.js';
import { DIALOGUE_MODEL, EMPLOYEE_FRAMES, FACTORS, requireCompiledScan } from './instruments.js';
import { factorsAllowed, placementsAllowed, surveyModuleAllowed, type AnswerRules } from './validation.js';

export interface Option<V> {
  value: V;
  label: string;
}

export type QuestionnairePage =
  | { kind: 'mechanism'; id: MechanismId; title: string; description: string; items: Array<{ id: string; text: string }> }
  | {
      kind: 'factors';
      id: 'factors';
      title: string;
      description: string;
      ratingOptions: Option<number>[];
      notApplicable: Option<null>;
      groups: Array<{ id: string; label: string; factors: Array<{ id: string; label: string }> }>;
    }
  | {
      kind: 'placements';
      id: 'placements';
      title: string;
      description: string;
      axisRule: string;
      axes: Array<{ id: 'x' | 'y'; name: string; min: number; max: number; minLabel: string; maxLabel: string }>;
      quadrants: Array<{ id: string; focus: string; stance: string; label: string; description: string }>;
      frames: Array<{ id: 'current' | 'desired'; label: string; prompt: string }>;
    }
  | {
      kind: 'background';
      id: 'background';
      title: string;
      description: string;
      questions: Array<{ id: string; label: string; note: string | null; optional: true; options: Option<string>[] }>;
    }
  | {
      /** An optional module (issue 17): rated statements, one choice, or open prompts. */
      kind: 'module';
      id: SurveyModule;
      title: string;
      description: string;
      items: Array<{ id: string; text: string }>;
      choice: { id: string; label: string; options: Option<string>[] } | null;
      prompts: Array<{ id: OpenPrompt; label: string; maxLength: number }>;
    };

export interface QuestionnaireText {
  instructions: string;
  answerOptions: Option<number>[];
  dontKnow: Option<null>;
  pages: QuestionnairePage[];
}

const BACKGROUND_PAGE: { title: LocalizedText; description: LocalizedText } = {
  title: { nl: 'Over u', en: 'About you' },
  description: {
    nl: 'Deze vragen zijn allemaal optioneel. Ze worden alleen gebruikt om uitkomsten per groep te tonen, en nooit voor een groep van minder dan vijf personen.',
    en: 'All of these questions are optional. They are only used to show results per group, and never for a group of fewer than five people.',
  },
};
// Respondent-facing, in plain words: the model's name and axes are for the dialogue, not for the page.
const PLACEMENT_PAGE_TITLE: LocalizedText = { nl: 'Hoe gaat uw organisatie om met leren?', en: 'How does your organisation approach learning?' };
const PLACEMENT_PAGE_DESCRIPTION: LocalizedText = {
  nl: 'Er zijn geen goede of foute antwoorden. Organisaties pakken leren op vier manieren aan. Geef aan hoe dat nu is, en hoe u het graag zou zien.',
  en: 'There are no right or wrong answers. Organisations approach learning in four ways. Say how it is now, and how you would like it to be.',
};

const cache = new Map<string, { instructions: string; answerOptions: Option<number>[]; dontKnow: Option<null>; mechanisms: QuestionnairePage[] }>();

function instrumentPart(instrumentId: string, form: Form, lang: Language) {
  const key = `${instrumentId}|${form}|${lang}`;
  let part = cache.get(key);
  if (!part) {
    const scan = requireCompiledScan(instrumentId).instrument;
    part = {
      instructions: scan.instructions[form][lang],
      answerOptions: scan.answerOptions.map((o) => ({ value: o.value, label: o.label[lang] })),
      dontKnow: { value: null, label: scan.dontKnowOption.label[lang] },
      mechanisms: scan.scales.map((s) => ({
        kind: 'mechanism' as const,
        id: s.mechanism,
        // Plain topic titles and no construct description: naming the mechanism steers answers.
        title: respondentPageTitle(s.mechanism, form)[lang],
        description: '',
        items: s.items.map((i) => ({ id: i.id, text: i.text[form][lang] })),
      })),
    };
    cache.set(key, part);
  }
  return part;
}

function factorsPage(lang: Language): QuestionnairePage {
  return {
    kind: 'factors',
    id: 'factors',
    title: FACTORS.name[lang],
    description: FACTORS.description[lang],
    ratingOptions: FACTORS.ratingOptions.map((o) => ({ value: o.value, label: o.label[lang] })),
    notApplicable: { value: null, label: FACTORS.notApplicableOption.label[lang] },
    groups: FACTORS.groups.map((g) => ({ id: g.id, label: g.label[lang], factors: g.factors.map((f) => ({ id: f.id, label: f.label[lang] })) })),
  };
}

function placementsPage(lang: Language): QuestionnairePage {
  return {
    kind: 'placements',
    id: 'placements',
    title: PLACEMENT_PAGE_TITLE[lang],
    description: PLACEMENT_PAGE_DESCRIPTION[lang],
    axisRule: DIALOGUE_MODEL.axisRule[lang],
    axes: DIALOGUE_MODEL.axes.map((a) => ({ id: a.id, name: a.name[lang], min: a.min, max: a.max, minLabel: a.minLabel[lang], maxLabel: a.maxLabel[lang] })),
    quadrants: DIALOGUE_MODEL.quadrants.map((q) => ({ id: q.id, focus: q.focus, stance: q.stance, label: q.label[lang], description: q.description[lang] })),
    frames: DIALOGUE_MODEL.timeFrames
      .filter((f) => (EMPLOYEE_FRAMES as readonly string[]).includes(f.id))
      .map((f) => ({ id: f.id as 'current' | 'desired', label: f.label[lang], prompt: f.prompt[lang] })),
  };
}

// Plain page titles, no construct names (issue 17: the questionnaire does not steer).
const MODULE_PAGES: Readonly<Record<SurveyModule, { title: LocalizedText; description: LocalizedText }>> = {
  motivation: {
    title: { nl: 'Waarom u leert', en: 'Why you learn' },
    description: { nl: 'Geef aan in hoeverre u het eens bent met elke zin.', en: 'Say how far you agree with each sentence.' },
  },
  learning_mix: {
    title: { nl: 'Hoe u leert', en: 'How you learn' },
    description: { nl: 'Kies het antwoord dat het best past. Deze vraag is optioneel.', en: 'Choose the answer that fits best. This question is optional.' },
  },
  open_questions: {
    title: { nl: 'In uw eigen woorden', en: 'In your own words' },
    description: {
      nl: 'Deze vragen zijn optioneel. Uw antwoord wordt zonder naam getoond, alleen in groepen van ten minste tien personen. Noem geen namen van collega’s.',
      en: 'These questions are optional. Your answer is shown without your name, only in groups of at least ten people. Do not mention colleagues by name.',
    },
  },
};

function modulePage(module: SurveyModule, lang: Language): QuestionnairePage {
  const head = { kind: 'module' as const, id: module, title: MODULE_PAGES[module].title[lang], description: MODULE_PAGES[module].description[lang] };
  switch (module) {
    case 'motivation':
      return { ...head, items: MOTIVATION_ITEMS.map((i) => ({ id: i.id, text: i.text[lang] })), choice: null, prompts: [] };
    case 'learning_mix':
      return {
        ...head,
        items: [],
        choice: { id: 'learning', label: LEARNING_QUESTION[lang], options: LEARNING_WAYS.map((w) => ({ value: w, label: LEARNING_WAY_LABELS[w][lang] })) },
        prompts: [],
      };
    case 'open_questions':
      return { ...head, items: [], choice: null, prompts: OPEN_PROMPTS.map((id) => ({ id, label: OPEN_PROMPT_TEXT[id][lang], maxLength: OPEN_ANSWER_MAX })) };
  }
}

function backgroundPage(instrumentId: string, departments: readonly string[], lang: Language, form: Form): QuestionnairePage {
  const scan = requireCompiledScan(instrumentId).instrument;
  // The role question offers the form's roles (employee / manager, or HR / line manager / director),
  // and tenure and contract hours follow the instrument's questions (issue 17, "who learns less").
  const base = (scan.background.length ? scan.background : BACKGROUND_QUESTIONS).map((q) => (q.id === 'role' ? roleQuestionFor(form) : q));
  const extra = EXTRA_BACKGROUND_QUESTIONS.map((q) => ({ id: q.id, label: q.label[lang], note: null, optional: true as const, options: q.options.map((o) => ({ value: o.value, label: o.label[lang] })) }));
  const questions = base.map((q) => ({
    id: q.id,
    label: q.label[lang],
    note: q.optionsSource === 'fixed' && q.note ? q.note[lang] : null,
    optional: true as const,
    options: q.optionsSource === 'round' ? departments.map((d) => ({ value: d, label: d })) : q.options.map((o) => ({ value: o.value, label: o.label[lang] })),
  }));
  return {
    kind: 'background',
    id: 'background',
    title: BACKGROUND_PAGE.title[lang],
    description: BACKGROUND_PAGE.description[lang],
    // Without departments in the round there is nothing to choose from: leave the question out.
    questions: [...questions, ...extra].filter((q) => q.id !== 'department' || departments.length > 0),
  };
}

export function buildQuestionnaire(rules: AnswerRules, form: Form, lang: Language): QuestionnaireText {
  const part = instrumentPart(rules.instrument_id, form, lang);
  const pages: QuestionnairePage[] = [];
  if (rules.modules.includes('culture_scan')) pages.push(...part.mechanisms);
  if (factorsAllowed(rules, form)) pages.push(factorsPage(lang));
  if (placementsAllowed(rules, form)) pages.push(placementsPage(lang));
  for (const m of ['motivation', 'learning_mix', 'open_questions'] as const) if (surveyModuleAllowed(rules, form, m)) pages.push(modulePage(m, lang));
  pages.push(backgroundPage(rules.instrument_id, rules.departments, lang, form));
  return { instructions: part.instructions, answerOptions: part.answerOptions, dontKnow: part.dontKnow, pages };
}
