// The optional modules of a round (issue 17): Motivation, How people learn, Open questions. Each is
// chosen per round when it is created (rounds.survey_modules) and asked of employees only: all three
// are about the respondent's own learning. Item texts are written fresh for this project, at B1, one
// idea per item, without negation under disagreement; they follow the motivation documents in the
// sources (autonomy, competence and relatedness from self-determination theory, Deci & Ryan, 2000;
// learning "because I want to" versus "because I must").
import type { LocalizedText } from '../types.js';

export const SURVEY_MODULES = ['motivation', 'learning_mix', 'open_questions'] as const;
export type SurveyModule = (typeof SURVEY_MODULES)[number];

export const SURVEY_MODULE_NAMES: Readonly<Record<SurveyModule, LocalizedText>> = {
  motivation: { nl: 'Motivatie om te leren', en: 'Motivation to learn' },
  learning_mix: { nl: 'Hoe mensen leren', en: 'How people learn' },
  open_questions: { nl: 'Open vragen', en: 'Open questions' },
};

// --- motivation ----------------------------------------------------------------------------------

export const MOTIVATION_FACETS = ['autonomy', 'competence', 'relatedness', 'intrinsic', 'must'] as const;
export type MotivationFacet = (typeof MOTIVATION_FACETS)[number];

export const MOTIVATION_FACET_LABELS: Readonly<Record<MotivationFacet, LocalizedText>> = {
  autonomy: { nl: 'Zelf kiezen (autonomie)', en: 'Own choice (autonomy)' },
  competence: { nl: 'Merken dat je groeit (competentie)', en: 'Feeling able (competence)' },
  relatedness: { nl: 'Samen leren (verbondenheid)', en: 'Learning with others (relatedness)' },
  intrinsic: { nl: 'Leren omdat ik het wil', en: 'Learning because I want to' },
  must: { nl: 'Leren omdat het moet', en: 'Learning because I must' },
};

export interface MotivationItem {
  id: string;
  facet: MotivationFacet;
  text: LocalizedText;
}

export const MOTIVATION_ITEMS: readonly MotivationItem[] = Object.freeze([
  { id: 'mo_aut1', facet: 'autonomy', text: { nl: 'Ik kies zelf wat ik wil leren.', en: 'I choose for myself what I want to learn.' } },
  { id: 'mo_aut2', facet: 'autonomy', text: { nl: 'Ik bepaal zelf hoe ik iets leer.', en: 'I decide for myself how I learn something.' } },
  { id: 'mo_com1', facet: 'competence', text: { nl: 'Ik merk dat ik beter word in mijn werk.', en: 'I notice that I am getting better at my work.' } },
  { id: 'mo_com2', facet: 'competence', text: { nl: 'Ik heb vertrouwen dat ik nieuwe dingen kan leren.', en: 'I am confident that I can learn new things.' } },
  { id: 'mo_rel1', facet: 'relatedness', text: { nl: 'Ik leer graag samen met collega\u2019s.', en: 'I like to learn together with colleagues.' } },
  { id: 'mo_rel2', facet: 'relatedness', text: { nl: 'Als ik iets leer, voel ik me gesteund.', en: 'When I learn something, I feel supported.' } },
  { id: 'mo_int1', facet: 'intrinsic', text: { nl: 'Ik leer omdat ik het interessant vind.', en: 'I learn because I find it interesting.' } },
  { id: 'mo_int2', facet: 'intrinsic', text: { nl: 'Ik leer omdat het mijn werk leuker maakt.', en: 'I learn because it makes my work more enjoyable.' } },
  { id: 'mo_mst1', facet: 'must', text: { nl: 'Ik leer vooral omdat het verplicht is.', en: 'I learn mainly because it is required.' } },
  { id: 'mo_mst2', facet: 'must', text: { nl: 'Ik leer vooral omdat mijn leidinggevende het vraagt.', en: 'I learn mainly because my manager asks me to.' } },
]);
export const MOTIVATION_ITEM_IDS: ReadonlySet<string> = new Set(MOTIVATION_ITEMS.map((i) => i.id));

/**
 * The concrete moves from the sources, per facet, written in our own words: what HR and managers can
 * do when a facet is low. Shown beside the profile.
 */
export const MOTIVATION_MOVES: Readonly<Record<MotivationFacet, LocalizedText>> = {
  autonomy: {
    nl: 'Laat mensen kiezen uit wat en hoe ze leren, binnen heldere afspraken over het doel. Vraag: wat heb jij nodig om dit zinvol te maken?',
    en: 'Let people choose what and how they learn, within clear agreements on the goal. Ask: what do you need to make this worthwhile?',
  },
  competence: {
    nl: 'Knip leren op in kleine stappen, geef snel en concreet terugkoppeling en vier kleine successen.',
    en: 'Split learning into small steps, give quick and concrete feedback, and celebrate small successes.',
  },
  relatedness: {
    nl: 'Laat mensen samen leren: een leermaatje, een vaste collega die meekijkt, of met twee of drie collega\u2019s naar een training.',
    en: 'Let people learn together: a learning buddy, a colleague who follows along, or going to a training with two or three colleagues.',
  },
  intrinsic: {
    nl: 'Verbind leren aan wat mensen zelf belangrijk vinden in hun werk, en laat zien waar hun werk aan bijdraagt.',
    en: 'Connect learning to what people themselves value in their work, and show what their work contributes to.',
  },
  must: {
    nl: 'Leert men vooral omdat het moet? Leg uit waarom een verplichte training ertoe doet en koppel die aan iemands eigen doelen.',
    en: 'Do people learn mainly because they must? Explain why a required training matters and link it to their own goals.',
  },
};

// --- how people learn ----------------------------------------------------------------------------

export const LEARNING_WAYS = ['doing', 'colleagues', 'searching', 'feedback', 'courses'] as const;
export type LearningWay = (typeof LEARNING_WAYS)[number];

export const LEARNING_QUESTION: LocalizedText = {
  nl: 'Hoe heeft u het afgelopen jaar vooral geleerd voor uw werk?',
  en: 'In the past year, how did you mostly learn for your work?',
};

export const LEARNING_WAY_LABELS: Readonly<Record<LearningWay, LocalizedText>> = {
  doing: { nl: 'Door te doen en dingen uit te proberen', en: 'By doing things and trying them out' },
  colleagues: { nl: 'Van collega\u2019s', en: 'From colleagues' },
  searching: { nl: 'Door zelf dingen op te zoeken', en: 'By looking things up myself' },
  feedback: { nl: 'Door feedback op mijn werk', en: 'Through feedback on my work' },
  courses: { nl: 'Door een cursus of training', en: 'Through a course or training' },
};

/**
 * Where each way of learning sits in the 70-20-10 model (Jennings, 2011): 70 learning through work,
 * 20 from others, 10 from formal training. A model, not a norm: reports say so beside it.
 */
export const MODEL_70_20_10 = { experience: 70, others: 20, formal: 10 } as const;
export type ModelPart = keyof typeof MODEL_70_20_10;
export const LEARNING_WAY_MODEL_PART: Readonly<Record<LearningWay, ModelPart>> = {
  doing: 'experience',
  searching: 'experience',
  colleagues: 'others',
  feedback: 'others',
  courses: 'formal',
};
export const MODEL_PART_LABELS: Readonly<Record<ModelPart, LocalizedText>> = {
  experience: { nl: 'Leren in het werk', en: 'Learning through work' },
  others: { nl: 'Leren van anderen', en: 'Learning from others' },
  formal: { nl: 'Formeel leren', en: 'Formal learning' },
};

// --- open questions ------------------------------------------------------------------------------

export const OPEN_PROMPTS = ['helps', 'change'] as const;
export type OpenPrompt = (typeof OPEN_PROMPTS)[number];

export const OPEN_PROMPT_TEXT: Readonly<Record<OpenPrompt, LocalizedText>> = {
  helps: { nl: 'Wat helpt u het meest om te leren in uw werk?', en: 'What helps you most to learn in your work?' },
  change: { nl: 'Wat zou u als eerste veranderen, zodat u meer kunt leren?', en: 'What would you change first, so that you can learn more?' },
};

/** At most this many characters per open answer (a few paragraphs). */
export const OPEN_ANSWER_MAX = 2000;
