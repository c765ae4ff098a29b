// The respondent API as the questionnaire pages use it: GET /api/v1/survey/:token turned into the
// page model, and the body the pages send to PUT /answers.
import type { apiClient } from '../api-client.js';
import type { Questionnaire, SurveyAnswersInput } from '../../contracts/survey.js';
import type { Lang } from '../i18n.js';
import type { BackgroundField, SurveyModel } from '../views/survey.js';
import { SURVEY_SESSION_HEADER, surveySessionProof } from '../../rounds/survey-session.js';

/**
 * The body the pages send to PUT /answers: the API's own input type (z.input of its schema), except
 * that a select's choice (background, how one learned) stays the string the form posted. The API
 * validates it and answers 400 naming the field, which the page shows.
 */
type Choices<T> = { [K in keyof T]?: string | null };
type ApiModules = NonNullable<SurveyAnswersInput['modules']>;
export type SurveyApiInput = Omit<SurveyAnswersInput, 'background' | 'modules'> & {
  background?: Choices<NonNullable<SurveyAnswersInput['background']>>;
  modules?: Omit<ApiModules, 'learning'> & { learning?: string | null };
};

/** GET /api/v1/survey/:token as the pages read it: the Questionnaire contract (z.infer of its schema). */
export type SurveyApiView = Questionnaire;

/**
 * `session`: the token comes from the respondent's own cookie, so the API may show what they saved
 * (server/rounds/survey-session.ts); a token from a link just opened gets the questionnaire only.
 */
export async function getSurvey(api: ReturnType<typeof apiClient>, token: string, lang: Lang | null, session = false): Promise<SurveyApiView> {
  const headers = session ? { [SURVEY_SESSION_HEADER]: surveySessionProof(token) } : undefined;
  return api.get<SurveyApiView>(`/api/v1/survey/${encodeURIComponent(token)}${lang ? `?lang=${lang}` : ''}`, { as: 'none', headers });
}

export function toSurveyModel(v: SurveyApiView): SurveyModel {
  const background: SurveyModel['background'] = {};
  for (const [k, val] of Object.entries(v.saved.background)) if (val !== null) background[k as BackgroundField] = val;
  return {
    roundName: v.round.name,
    organisationName: v.round.organisationName,
    form: v.form,
    status: v.status === 'submitted' ? 'submitted' : 'in_progress',
    language: v.language,
    languages: v.languages,
    questionnaire: { instructions: v.instructions, answerOptions: v.answerOptions, dontKnow: v.dontKnow, pages: v.pages },
    answers: { ...v.saved.answers },
    background,
    factors: { ...v.saved.factors },
    placements: { ...v.saved.placements },
    modules: v.saved.modules ?? { motivation: {}, learning: null, open: {} },
  };
}
