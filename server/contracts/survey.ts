// Contracts of the respondent API: the questionnaire as GET /api/v1/survey/:token answers it, the
// answers PUT .../answers accepts, and what a respondent's own data request returns. Shared by the
// routes and the questionnaire pages.
import { z } from 'zod';
import {
  AGE_BAND_VALUES,
  CONTRACT_HOURS_VALUES,
  CONTRACT_VALUES,
  EDUCATION_VALUES,
  FORMS,
  LANGUAGES,
  MANAGEMENT_ROLE_VALUES,
  MECHANISM_IDS,
  ROLE_VALUES,
  TENURE_VALUES,
} from '../../scans/index.js';
import { LEARNING_WAYS } from '../../scans/modules/definitions.js';

const point = z.strictObject({ x: z.number().min(-100).max(100), y: z.number().min(-100).max(100) });
const answerValue = z.union([z.number().int().min(1).max(5), z.null()]);
const factorValue = z.union([z.number().int().min(-2).max(2), z.null()]);

export const responseInputSchema = z
  .strictObject({
    answers: z.record(z.string().max(64), answerValue).optional().describe('Item id -> 1..5, or null for "don\'t know"'),
    background: z
      .strictObject({
        department: z.string().max(200).nullable().optional().describe("One of the round's departments"),
        role: z
          .enum([...ROLE_VALUES, ...MANAGEMENT_ROLE_VALUES])
          .nullable()
          .optional()
          .describe('Employee form: employee or manager; management form: hr, line_manager or director'),
        education: z.enum(EDUCATION_VALUES).nullable().optional(),
        contract: z.enum(CONTRACT_VALUES).nullable().optional(),
        age_band: z.enum(AGE_BAND_VALUES).nullable().optional(),
        tenure: z.enum(TENURE_VALUES).nullable().optional().describe('Years with the organisation'),
        contract_hours: z.enum(CONTRACT_HOURS_VALUES).nullable().optional().describe('Contract hours per week'),
      })
      .optional()
      .describe('All optional; null clears a saved answer'),
    factors: z.record(z.string().max(64), factorValue).optional().describe('Factor id -> -2..2, or null for "not applicable"'),
    placements: z
      .strictObject({ current: point.nullable().optional(), desired: point.nullable().optional() })
      .optional()
      .describe('Only when the round enables employee placements (employee form)'),
    modules: z
      .strictObject({
        motivation: z.record(z.string().max(64), answerValue).optional().describe('Motivation item id -> 1..5, or null for "don\'t know"'),
        learning: z.enum(LEARNING_WAYS).nullable().optional().describe('How the respondent mostly learned in the past year'),
        open: z
          .strictObject({ helps: z.string().nullable().optional(), change: z.string().nullable().optional() })
          .optional()
          .describe('Plain text, at most 2000 characters; markup and whitespace-only answers are refused (400 naming the field)'),
      })
      .optional()
      .describe("The round's optional modules (employee form)"),
    language: z.enum(LANGUAGES).optional(),
  })
  .meta({ id: 'SurveyAnswers' });

const option = <T extends z.ZodType>(value: T) => z.object({ value, label: z.string() });
const pageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('mechanism'),
    id: z.enum(MECHANISM_IDS),
    title: z.string(),
    description: z.string(),
    items: z.array(z.object({ id: z.string(), text: z.string() })),
  }),
  z.object({
    kind: z.literal('factors'),
    id: z.literal('factors'),
    title: z.string(),
    description: z.string(),
    ratingOptions: z.array(option(z.number())),
    notApplicable: option(z.null()),
    groups: z.array(z.object({ id: z.string(), label: z.string(), factors: z.array(z.object({ id: z.string(), label: z.string() })) })),
  }),
  z.object({
    kind: z.literal('placements'),
    id: z.literal('placements'),
    title: z.string(),
    description: z.string(),
    axisRule: z.string(),
    axes: z.array(z.object({ id: z.enum(['x', 'y']), name: z.string(), min: z.number(), max: z.number(), minLabel: z.string(), maxLabel: z.string() })),
    quadrants: z.array(z.object({ id: z.string(), focus: z.string(), stance: z.string(), label: z.string(), description: z.string() })),
    frames: z.array(z.object({ id: z.enum(['current', 'desired']), label: z.string(), prompt: z.string() })),
  }),
  z.object({
    kind: z.literal('background'),
    id: z.literal('background'),
    title: z.string(),
    description: z.string(),
    questions: z.array(z.object({ id: z.string(), label: z.string(), note: z.string().nullable(), optional: z.literal(true), options: z.array(option(z.string())) })),
  }),
  z.object({
    kind: z.literal('module'),
    id: z.enum(['motivation', 'learning_mix', 'open_questions']),
    title: z.string(),
    description: z.string(),
    items: z.array(z.object({ id: z.string(), text: z.string() })),
    choice: z.object({ id: z.string(), label: z.string(), options: z.array(option(z.string())) }).nullable(),
    prompts: z.array(z.object({ id: z.enum(['helps', 'change']), label: z.string(), maxLength: z.number().int() })),
  }),
]);

export const progressSchema = z.object({
  answered: z.number().int(),
  total: z.number().int().describe('Culture-scan statements'),
  percent: z.number().int().min(0).max(100),
});

export const questionnaireSchema = z
  .object({
    status: z.enum(['not_started', 'in_progress', 'submitted']),
    link: z.enum(['shared', 'personal', 'respondent']),
    startRequired: z.boolean().describe('A shared link: POST .../start first and continue with the token it returns'),
    form: z.enum(FORMS),
    language: z.enum(LANGUAGES),
    languages: z.array(z.enum(LANGUAGES)),
    round: z.object({ name: z.string(), organisationName: z.string(), opensAt: z.iso.datetime().nullable(), closesAt: z.iso.datetime().nullable() }),
    instructions: z.string(),
    answerOptions: z.array(option(z.number())),
    dontKnow: option(z.null()),
    pages: z.array(pageSchema),
    saved: z.object({
      answers: z.record(z.string(), z.number().nullable()),
      background: z.object({
        department: z.string().nullable(),
        role: z.string().nullable(),
        education: z.string().nullable(),
        contract: z.string().nullable(),
        age_band: z.string().nullable(),
        tenure: z.string().nullable(),
        contract_hours: z.string().nullable(),
      }),
      factors: z.record(z.string(), z.number().nullable()),
      placements: z.object({ current: point.optional(), desired: point.optional() }),
      modules: z.object({
        motivation: z.record(z.string(), z.number().nullable()),
        learning: z.string().nullable(),
        open: z.object({ helps: z.string().optional(), change: z.string().optional() }),
      }),
    }),
    progress: progressSchema,
    submittedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Questionnaire' });

export const ownDataSchema = z
  .object({
    roundName: z.string(),
    form: z.enum(FORMS),
    status: z.enum(['in_progress', 'submitted']),
    language: z.enum(LANGUAGES),
    submittedOn: z.iso.date().nullable().describe('Stored to the day'),
    answers: z.record(z.string(), z.number().nullable()),
    background: questionnaireSchema.shape.saved.shape.background,
    factors: z.record(z.string(), z.number().nullable()),
    placements: z.object({ current: point.optional(), desired: point.optional() }),
    modules: questionnaireSchema.shape.saved.shape.modules,
  })
  .meta({ id: 'RespondentOwnData' });

export const submitResultSchema = z.object({ status: z.literal('submitted'), submittedAt: z.iso.datetime() }).meta({ id: 'SubmitResult' });

export const surveyTokenParamsSchema = z.object({ token: z.string().max(200) });
/** The body of PUT /api/v1/survey/:token/answers. */
export type SurveyAnswersInput = z.input<typeof responseInputSchema>;
/** GET /api/v1/survey/:token. */
export type Questionnaire = z.infer<typeof questionnaireSchema>;
