// zod schemas for every instrument. Instrument modules parse their own data with these at load time,
// so a broken instrument stops the process instead of producing wrong scores. The TypeScript types
// of the instruments are inferred from these schemas.

import { z } from 'zod';
import { getPublishedFigure } from '../benchmarks/published.js';
import { FORMS, MECHANISM_IDS, MODULES, TIME_FRAMES, type MechanismId } from '../types.js';

const text = z.string().trim().min(1);
export const LocalizedTextSchema = z.object({ nl: text, en: text });
export const MechanismIdSchema = z.enum(MECHANISM_IDS);
export const FormSchema = z.enum(FORMS);
export const ModuleSchema = z.enum(MODULES);
export const TimeFrameSchema = z.enum(TIME_FRAMES);

/** Short, stable, lower-case ids: letters then digits for items (`sd1`), snake_case for the rest. */
export const ItemIdSchema = z.string().regex(/^[a-z]+[0-9]+$/, 'item id: lower-case letters followed by digits');
export const SnakeIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'id: lower-case snake_case');

/** Item id prefix per mechanism: sd1.., wc1.., rs1.., cl1.., ld1.., org1.., ext1... */
export const ITEM_ID_PREFIX: Readonly<Record<MechanismId, string>> = {
  self_direction: 'sd',
  work_content: 'wc',
  room_safety: 'rs',
  collaborative_learning: 'cl',
  leadership: 'ld',
  organisation: 'org',
  external_connection: 'ext',
};

export const ITEMS_PER_SCALE_MIN = 5;
export const ITEMS_PER_SCALE_MAX = 7;
export const CULTURE_SCAN_ITEMS_MIN = 40;
export const CULTURE_SCAN_ITEMS_MAX = 45;

// --- culture scan -----------------------------------------------------------------------------

export const ScanItemSchema = z.object({
  id: ItemIdSchema,
  mechanism: MechanismIdSchema,
  /** Reverse-keyed: agreeing is unfavourable; scored as 6 - answer. */
  reverse: z.boolean(),
  text: z.object({ employee: LocalizedTextSchema, management: LocalizedTextSchema }),
  /**
   * Published figure per form. The employee form compares with a figure about employees, the
   * management form with a figure about employers (only autonomy has both).
   */
  publishedFigureIds: z.object({ employee: z.string().optional(), management: z.string().optional() }).optional(),
  /** Convenience copy of publishedFigureIds.employee (the figure most items have). */
  publishedFigureId: z.string().optional(),
});
export type ScanItem = z.infer<typeof ScanItemSchema>;

export const InterventionSchema = z.object({ id: SnakeIdSchema, text: LocalizedTextSchema });
export type Intervention = z.infer<typeof InterventionSchema>;

export const ScaleSchema = z.object({
  /** The scale id is its mechanism id. */
  id: MechanismIdSchema,
  mechanism: MechanismIdSchema,
  name: LocalizedTextSchema,
  /** What the mechanism means, in one or two sentences. */
  description: LocalizedTextSchema,
  items: z.array(ScanItemSchema).min(ITEMS_PER_SCALE_MIN).max(ITEMS_PER_SCALE_MAX),
  /** Advice by score band: low < 3.0, middle 3.0-3.9, high >= 4.0. */
  advice: z.object({ low: LocalizedTextSchema, middle: LocalizedTextSchema, high: LocalizedTextSchema }),
  interventions: z.array(InterventionSchema).min(3),
});
export type Scale = z.infer<typeof ScaleSchema>;

export const AnswerOptionSchema = z.object({ value: z.number().int().min(1).max(5), label: LocalizedTextSchema });
export type AnswerOption = z.infer<typeof AnswerOptionSchema>;

// --- background questions -----------------------------------------------------------------------

export const BACKGROUND_QUESTION_IDS = ['department', 'role', 'education', 'contract', 'age_band'] as const;
export type BackgroundQuestionId = (typeof BACKGROUND_QUESTION_IDS)[number];

/** Option values are stable lower-case keys; they may start with a digit ('25_34'). */
export const OptionValueSchema = z.string().regex(/^[a-z0-9][a-z0-9_]*$/, 'option value: lower-case letters, digits, underscores');
export const ChoiceOptionSchema = z.object({ value: OptionValueSchema, label: LocalizedTextSchema });
export type ChoiceOption = z.infer<typeof ChoiceOptionSchema>;

export const BackgroundQuestionSchema = z.discriminatedUnion('optionsSource', [
  z.object({
    id: z.enum(BACKGROUND_QUESTION_IDS),
    label: LocalizedTextSchema,
    /** All background questions may be skipped. */
    optional: z.literal(true),
    /** The round supplies the options (its list of departments). */
    optionsSource: z.literal('round'),
  }),
  z.object({
    id: z.enum(BACKGROUND_QUESTION_IDS),
    label: LocalizedTextSchema,
    optional: z.literal(true),
    optionsSource: z.literal('fixed'),
    options: z.array(ChoiceOptionSchema).min(2),
    note: LocalizedTextSchema.optional(),
  }),
]);
export type BackgroundQuestion = z.infer<typeof BackgroundQuestionSchema>;

export const BackgroundQuestionsSchema = z
  .array(BackgroundQuestionSchema)
  .superRefine((questions, ctx) => {
    const ids = questions.map((q) => q.id);
    for (const id of BACKGROUND_QUESTION_IDS) {
      if (ids.filter((x) => x === id).length !== 1) ctx.addIssue({ code: 'custom', message: `background question ${id} must occur once` });
    }
    questions.forEach((q, i) => {
      if (q.optionsSource === 'fixed') uniqueIds(q.options.map((o) => o.value), ctx, [i, 'options']);
    });
  });

// --- culture scan instrument --------------------------------------------------------------------

export const CultureScanInstrumentSchema = z
  .object({
    id: z.string().regex(/^culture-scan@[0-9]+$/),
    module: z.literal('culture_scan'),
    version: z.number().int().positive(),
    name: LocalizedTextSchema,
    description: LocalizedTextSchema,
    instructions: z.object({ employee: LocalizedTextSchema, management: LocalizedTextSchema }),
    answerOptions: z.array(AnswerOptionSchema).length(5),
    dontKnowOption: z.object({ value: z.null(), label: LocalizedTextSchema }),
    scales: z.array(ScaleSchema).length(MECHANISM_IDS.length),
    background: BackgroundQuestionsSchema,
  })
  .superRefine((instrument, ctx) => {
    // Answer options are exactly 1..5, in order.
    instrument.answerOptions.forEach((o, i) => {
      if (o.value !== i + 1) ctx.addIssue({ code: 'custom', path: ['answerOptions', i, 'value'], message: 'answer options must be 1..5 in order' });
    });
    // One scale per mechanism, in the canonical order.
    instrument.scales.forEach((scale, s) => {
      if (scale.id !== MECHANISM_IDS[s] || scale.mechanism !== MECHANISM_IDS[s]) {
        ctx.addIssue({ code: 'custom', path: ['scales', s, 'id'], message: `scale ${s} must be ${MECHANISM_IDS[s]}` });
      }
      uniqueIds(scale.interventions.map((x) => x.id), ctx, ['scales', s, 'interventions']);
      scale.items.forEach((item, i) => {
        const path = ['scales', s, 'items', i];
        if (item.mechanism !== scale.mechanism) {
          ctx.addIssue({ code: 'custom', path: [...path, 'mechanism'], message: `item ${item.id} is in scale ${scale.id} but has mechanism ${item.mechanism}` });
        }
        const prefix = ITEM_ID_PREFIX[item.mechanism];
        if (!new RegExp(`^${prefix}[0-9]+$`).test(item.id)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `item id ${item.id} must start with ${prefix}` });
        }
        for (const form of FORMS) {
          const figureId = item.publishedFigureIds?.[form];
          if (figureId === undefined) continue;
          const figure = getPublishedFigure(figureId);
          const expectedKind = form === 'employee' ? 'employee' : 'employer';
          if (!figure) {
            ctx.addIssue({ code: 'custom', path: [...path, 'publishedFigureIds', form], message: `unknown published figure ${figureId}` });
          } else if (figure.kind !== expectedKind) {
            ctx.addIssue({ code: 'custom', path: [...path, 'publishedFigureIds', form], message: `${form} form must map to a figure of kind ${expectedKind}, ${figureId} is ${figure.kind}` });
          }
          if (item.reverse) {
            // % favourable of a reverse item is the share disagreeing: not comparable with a published share.
            ctx.addIssue({ code: 'custom', path: [...path, 'reverse'], message: `item ${item.id} maps to a published figure and must not be reverse-keyed` });
          }
        }
        if (item.publishedFigureId !== item.publishedFigureIds?.employee) {
          ctx.addIssue({ code: 'custom', path: [...path, 'publishedFigureId'], message: 'publishedFigureId must equal publishedFigureIds.employee' });
        }
      });
    });
    const items = instrument.scales.flatMap((s) => s.items);
    uniqueIds(items.map((i) => i.id), ctx, ['scales']);
    if (items.length < CULTURE_SCAN_ITEMS_MIN || items.length > CULTURE_SCAN_ITEMS_MAX) {
      ctx.addIssue({ code: 'custom', path: ['scales'], message: `the culture scan must have ${CULTURE_SCAN_ITEMS_MIN}-${CULTURE_SCAN_ITEMS_MAX} items, has ${items.length}` });
    }
    const scalesWithReverse = instrument.scales.filter((s) => s.items.some((i) => i.reverse)).length;
    if (scalesWithReverse * 2 <= instrument.scales.length) {
      ctx.addIssue({ code: 'custom', path: ['scales'], message: 'most scales need at least one reverse-keyed item' });
    }
  });
export type CultureScanInstrument = z.infer<typeof CultureScanInstrumentSchema>;

// --- SME policy checklist -----------------------------------------------------------------------

export const CHECKLIST_ANSWERS = ['yes', 'no', 'dont_know'] as const;
export type ChecklistAnswer = (typeof CHECKLIST_ANSWERS)[number];

export const ChecklistPracticeSchema = z.object({
  id: SnakeIdSchema,
  /** Statement about the organisation, answered yes / no / don't know. */
  text: LocalizedTextSchema,
  publishedFigureId: z.string(),
});
export type ChecklistPractice = z.infer<typeof ChecklistPracticeSchema>;

export const SmeChecklistInstrumentSchema = z
  .object({
    id: z.string().regex(/^sme-checklist@[0-9]+$/),
    module: z.literal('sme_checklist'),
    version: z.number().int().positive(),
    name: LocalizedTextSchema,
    description: LocalizedTextSchema,
    /** The culture-scan mechanism this checklist measures at policy level. */
    mechanism: z.literal('organisation'),
    answerOptions: z.array(z.object({ value: z.enum(CHECKLIST_ANSWERS), label: LocalizedTextSchema })).length(3),
    practices: z.array(ChecklistPracticeSchema).length(10),
  })
  .superRefine((instrument, ctx) => {
    uniqueIds(instrument.practices.map((p) => p.id), ctx, ['practices']);
    instrument.practices.forEach((p, i) => {
      const figure = getPublishedFigure(p.publishedFigureId);
      if (!figure || figure.kind !== 'sme_practice') {
        ctx.addIssue({ code: 'custom', path: ['practices', i, 'publishedFigureId'], message: `${p.publishedFigureId} must be a published figure of kind sme_practice` });
      }
    });
    uniqueIds(instrument.practices.map((p) => p.publishedFigureId), ctx, ['practices']);
  });
export type SmeChecklistInstrument = z.infer<typeof SmeChecklistInstrumentSchema>;

// --- stimulating and hindering factors ----------------------------------------------------------

export const FACTOR_GROUP_IDS = ['personal', 'private_life', 'work', 'outside'] as const;
export type FactorGroupId = (typeof FACTOR_GROUP_IDS)[number];

export const FactorSchema = z.object({ id: SnakeIdSchema, label: LocalizedTextSchema });
export type Factor = z.infer<typeof FactorSchema>;

export const FactorGroupSchema = z.object({
  id: z.enum(FACTOR_GROUP_IDS),
  label: LocalizedTextSchema,
  factors: z.array(FactorSchema).min(1),
});
export type FactorGroup = z.infer<typeof FactorGroupSchema>;

export const FactorRatingSchema = z.number().int().min(-2).max(2);

export const FactorsInstrumentSchema = z
  .object({
    id: z.string().regex(/^factors@[0-9]+$/),
    module: z.literal('factors'),
    version: z.number().int().positive(),
    name: LocalizedTextSchema,
    description: LocalizedTextSchema,
    ratingOptions: z.array(z.object({ value: FactorRatingSchema, label: LocalizedTextSchema })).length(5),
    notApplicableOption: z.object({ value: z.null(), label: LocalizedTextSchema }),
    groups: z.array(FactorGroupSchema).length(FACTOR_GROUP_IDS.length),
  })
  .superRefine((instrument, ctx) => {
    uniqueIds(instrument.groups.map((g) => g.id), ctx, ['groups']);
    uniqueIds(instrument.groups.flatMap((g) => g.factors.map((f) => f.id)), ctx, ['groups']);
    instrument.ratingOptions.forEach((o, i) => {
      if (o.value !== i - 2) ctx.addIssue({ code: 'custom', path: ['ratingOptions', i, 'value'], message: 'rating options must be -2..2 in order' });
    });
  });
export type FactorsInstrument = z.infer<typeof FactorsInstrumentSchema>;

// --- dialogue model -----------------------------------------------------------------------------

export const PointSchema = z.object({ x: z.number().min(-100).max(100), y: z.number().min(-100).max(100) });

export const DialogueModelInstrumentSchema = z
  .object({
    id: z.string().regex(/^dialogue-model@[0-9]+$/),
    module: z.literal('dialogue_model'),
    version: z.number().int().positive(),
    name: LocalizedTextSchema,
    description: LocalizedTextSchema,
    source: text,
    axes: z
      .array(
        z.object({
          id: z.enum(['x', 'y']),
          name: LocalizedTextSchema,
          min: z.literal(-100),
          max: z.literal(100),
          minLabel: LocalizedTextSchema,
          maxLabel: LocalizedTextSchema,
          zeroBelongsTo: z.literal('max'),
        }),
      )
      .length(2),
    quadrants: z
      .array(
        z.object({
          id: z.enum(['defensive', 'offensive', 'curative', 'preventive']),
          focus: z.enum(['organisation', 'people']),
          stance: z.enum(['reactive', 'proactive']),
          label: LocalizedTextSchema,
          description: LocalizedTextSchema,
        }),
      )
      .length(4),
    timeFrames: z.array(z.object({ id: TimeFrameSchema, label: LocalizedTextSchema, prompt: LocalizedTextSchema })).length(3),
    axisRule: LocalizedTextSchema,
  })
  .superRefine((instrument, ctx) => {
    uniqueIds(instrument.quadrants.map((q) => q.id), ctx, ['quadrants']);
    uniqueIds(instrument.quadrants.map((q) => `${q.focus}/${q.stance}`), ctx, ['quadrants']);
    uniqueIds(instrument.axes.map((a) => a.id), ctx, ['axes']);
    uniqueIds(instrument.timeFrames.map((t) => t.id), ctx, ['timeFrames']);
  });

// --- helpers ------------------------------------------------------------------------------------

function uniqueIds(ids: readonly string[], ctx: z.RefinementCtx, path: (string | number)[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path, message: `duplicate id ${id}` });
    seen.add(id);
  }
}

/** Freeze an object graph, so shared instrument data cannot be changed by a consumer. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
