// The result model of one round: the ONE definition of what a round's results are. The JSON API, the
// CSV export, the web dashboard and the PDF all read these fields, so a number shown in the PDF and
// the same number in the API come from the same place. Pure: zod schemas and their inferred types.
//
// Conventions used throughout:
// - Numbers are unrounded; presentation rounds (scores to one decimal, percentages to whole points).
// - Scores are on the keyed 1..5 scale (reverse-keyed items already turned around), so 5 is always the
//   favourable end; distributions are keyed as well.
// - Percentages (favourable, published shares, response rates, percentile ranks) are 0..100.
// - A figure that anonymity does not allow is absent (null, or `suppressed: true` without any count);
//   a hidden group never carries its n.
// - Every number compared with a published figure carries that figure's source, year and population.
// - Additive changes only once published: new optional fields, new enum members at the end.

import { z } from 'zod';
import { FORMS, LANGUAGES, MECHANISM_IDS, MODULES, PLACEMENT_GROUPS, TIME_FRAMES } from './types.js';

export const RESULT_MODEL_VERSION = 1 as const;

/** Background dimensions a result can be segmented by (the ids of the background questions). */
export const SEGMENT_DIMENSIONS = ['department', 'role', 'education', 'contract', 'age_band'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];
/** Group key of respondents who did not state a dimension; it is a group of its own in every partition. */
export const NOT_STATED_KEY = '_not_stated';

export const QUADRANT_IDS = ['defensive', 'offensive', 'curative', 'preventive'] as const;

// --- building blocks ------------------------------------------------------------------------------

export const LocalizedSchema = z.object({ nl: z.string(), en: z.string() });
export type Localized = z.infer<typeof LocalizedSchema>;

export const MechanismIdEnum = z.enum(MECHANISM_IDS);
const Pct = z.number().min(0).max(100);
const Count = z.number().int().min(0);

/** Group score: n, mean, sample SD (n - 1) and the 95% CI of the mean (t distribution). */
export const ScoreSchema = z
  .object({
    n: Count,
    mean: z.number(),
    sd: z.number().nullable(),
    ciLow: z.number().nullable(),
    ciHigh: z.number().nullable(),
  })
  .meta({ id: 'Score' });
export type Score = z.infer<typeof ScoreSchema>;

/** Counts of keyed answers per option 1..5 (index 0 is option 1) plus missing ("don't know" or skipped). */
export const DistributionSchema = z
  .object({
    counts: z.tuple([Count, Count, Count, Count, Count]),
    missing: Count,
    valid: Count,
    total: Count,
    /** Respondents with at least one valid answer behind the counts (for an item: valid). */
    respondents: Count.optional(),
  })
  .meta({ id: 'Distribution' });
export type Distribution = z.infer<typeof DistributionSchema>;

/** Cronbach's alpha over the respondents who answered every item of the scale (n); shown only when n >= k. Value null at zero variance. */
export const AlphaSchema = z
  .object({
    value: z.number().max(1).nullable(),
    n: Count,
    /** Feldt's 95% interval (df n - 1 and (n - 1)(k - 1)); null when alpha is null. Absent in models stored before it existed. */
    interval: z.object({ lower: z.number().max(1), upper: z.number().max(1), level: z.number() }).nullable().optional(),
    /**
     * Corrected item-rest correlation of each item of the scale over the same n respondents; items
     * under .20 are flagged (respondents may read them differently). Absent in older stored models.
     */
    items: z.array(z.object({ itemId: z.string(), itemRest: z.number().min(-1).max(1).nullable(), flagged: z.boolean() })).optional(),
  })
  .meta({ id: 'Alpha' });
export type Alpha = z.infer<typeof AlphaSchema>;

/** Where a published or uploaded figure comes from. `year` is null only when the source states none. */
export const SourceRefSchema = z.object({
  source: z.string(),
  year: z.number().int().nullable(),
  /** Year the data refer to, when it differs from the publication year. */
  dataYear: z.number().int().nullable(),
  population: LocalizedSchema.nullable(),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** One published figure (from scans/benchmarks/published.ts) as quoted in a result. */
export const PublishedFigureRefSchema = SourceRefSchema.extend({
  figureId: z.string(),
  /** Share 0..100 of the population for which the statement holds. */
  value: Pct,
  description: LocalizedSchema,
  approximate: z.boolean(),
}).meta({ id: 'PublishedFigureRef' });
export type PublishedFigureRef = z.infer<typeof PublishedFigureRefSchema>;

export const BENCHMARK_KINDS = ['published', 'custom', 'pool'] as const;
export const BENCHMARK_METRICS = ['favourable', 'mean'] as const;

/**
 * A comparison of one of our figures with a benchmark. `own` is the figure compared (the group's %
 * favourable or mean), `value` the benchmark's, `delta` = own - value (percentage points for
 * 'favourable', scale points for 'mean'); null when our side has no figure.
 */
export const BenchmarkComparisonSchema = z
  .object({
    kind: z.enum(BENCHMARK_KINDS),
    /** Id in the benchmark sources list (`benchmarkSources[].id`). */
    sourceId: z.string(),
    label: LocalizedSchema,
    metric: z.enum(BENCHMARK_METRICS),
    value: z.number(),
    own: z.number().nullable(),
    delta: z.number().nullable(),
    source: z.string(),
    year: z.number().int().nullable(),
    population: LocalizedSchema.nullable(),
    /** Size of the benchmark's population where known (respondents for custom sets, organisations for the pool). */
    n: Count.nullable(),
    /** Published figure id, for kind 'published'. */
    figureId: z.string().nullable(),
  })
  .meta({ id: 'BenchmarkComparison' });
export type BenchmarkComparison = z.infer<typeof BenchmarkComparisonSchema>;

export const PERCENTILE_HIDDEN_REASONS = ['too_few_organisations', 'no_score', 'pool_unavailable'] as const;

/**
 * The organisation's position among OTHER organisations in a comparison group of the pool, as a band
 * of its percentile rank ((count below + 0.5 x count equal) / groupSize x 100): a quartile, or a
 * decile from 40 others. Shown only when the group holds at least `minimumGroupSize` other
 * organisations; otherwise only the reason.
 */
export const PercentileRankSchema = z
  .discriminatedUnion('shown', [
    z.object({
      shown: z.literal(true),
      /** Quartiles; deciles only from 40 other organisations. The exact rank is never published. */
      band: z.enum(['quartile', 'decile']),
      /** 1 = lowest quarter (tenth). */
      position: z.number().int().min(1).max(10),
      from: Pct,
      to: Pct,
      /** Number of other organisations in the comparison group. */
      groupSize: Count,
    }),
    z.object({
      shown: z.literal(false),
      reason: z.enum(PERCENTILE_HIDDEN_REASONS),
      minimumGroupSize: Count,
    }),
  ])
  .meta({ id: 'PercentileRank' });
export type PercentileRank = z.infer<typeof PercentileRankSchema>;

export const PercentilesSchema = z.object({
  overall: PercentileRankSchema,
  /** Same sector as the organisation (`meta.organisation.sector`). */
  sector: PercentileRankSchema,
  /** Same size class as the organisation. */
  sizeClass: PercentileRankSchema,
});
export type Percentiles = z.infer<typeof PercentilesSchema>;

// --- meta ------------------------------------------------------------------------------------------

export const SIZE_CLASSES = ['micro', 'small', 'medium', 'large'] as const;

export const ResultMetaSchema = z.object({
  version: z.literal(RESULT_MODEL_VERSION),
  round: z.object({
    id: z.string(),
    name: z.string(),
    instrumentId: z.string(),
    modules: z.array(z.enum(MODULES)),
    languages: z.array(z.enum(LANGUAGES)),
    status: z.enum(['draft', 'open', 'closed']),
    opensAt: z.string().nullable(),
    closesAt: z.string().nullable(),
    openedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    /** Departments the round offered (the department question's options). */
    departments: z.array(z.string()),
    isDemo: z.boolean(),
  }),
  organisation: z.object({
    id: z.string(),
    name: z.string(),
    sector: z.string(),
    sizeClass: z.enum(SIZE_CLASSES),
    isDemo: z.boolean(),
  }),
  /** Effective anonymity threshold k of the round (never below 5). */
  threshold: z.number().int().min(1),
  generatedAt: z.string(),
  isDemo: z.boolean(),
  /** 'live': computed from the answers; 'snapshot': served from the snapshot kept after the raw answers were purged. */
  source: z.enum(['live', 'snapshot']),
  rawPurgedAt: z.string().nullable(),
  /** The single-dimension segment the whole model is restricted to, or null. */
  segmentFilter: z.object({ dimension: z.enum(SEGMENT_DIMENSIONS), value: z.string(), label: LocalizedSchema }).nullable(),
  /** The consultancy's benchmark set picked for this round, or null. */
  benchmarkSet: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type ResultMeta = z.infer<typeof ResultMetaSchema>;

// --- response ------------------------------------------------------------------------------------

export const ResponseFormSchema = z.object({
  form: z.enum(FORMS),
  /** Personal invitations sent for this form; null when only shared links were used. */
  invited: Count.nullable(),
  /** Null when disclosure control suppresses the count (fewer than k, or derivable). */
  submitted: Count.nullable(),
  /** submitted / invited x 100; null when invited is unknown or 0, or submitted is suppressed. */
  rate: z.number().min(0).nullable(),
  /** True when this form has fewer than k submitted respondents: it then has no figures anywhere. */
  belowThreshold: z.boolean(),
});

export const ResponseGroupSchema = z.discriminatedUnion('hidden', [
  z.object({
    hidden: z.literal(false),
    key: z.string(),
    label: LocalizedSchema,
    invited: Count.nullable(),
    submitted: Count,
    rate: z.number().min(0).nullable(),
  }),
  /** A suppressed group: listed so the reader knows it exists, without any count. */
  z.object({ hidden: z.literal(true), key: z.string(), label: LocalizedSchema }),
]);
export type ResponseGroup = z.infer<typeof ResponseGroupSchema>;

export const ResponseSchema = z.object({
  /** Personal invitations over both forms; null when only shared links were used. */
  invited: Count.nullable(),
  /** Submitted over both forms; null when it would let a suppressed form count be derived. */
  submitted: Count.nullable(),
  rate: z.number().min(0).nullable(),
  perForm: z.array(ResponseFormSchema),
  /** Employee-form respondents per segment dimension, under the suppression of that dimension. */
  perSegment: z.array(z.object({ dimension: z.enum(SEGMENT_DIMENSIONS), groups: z.array(ResponseGroupSchema) })),
});
export type ResultResponse = z.infer<typeof ResponseSchema>;

// --- interventions (used by mechanisms and priorities) ----------------------------------------

export const INTERVENTION_OWNER_IDS = ['hr', 'manager', 'team'] as const;

/**
 * An intervention from the catalogue (scans/interventions.ts). The fields after `text` are optional
 * only so models stored before they existed still parse; new models always carry them.
 */
export const InterventionResultSchema = z.object({
  id: z.string(),
  text: LocalizedSchema,
  /** The research or practice it rests on, as named in the sources. */
  source: z.string().optional(),
  /** A first step HR can take this month. */
  firstStep: LocalizedSchema.optional(),
  owner: z.enum(INTERVENTION_OWNER_IDS).optional(),
  /** Items it addresses (the first is the primary target). */
  targetItemIds: z.array(z.string()).optional(),
  /** The statement to watch in the next round, with its wording; null for cross-cutting ones. */
  watchItemId: z.string().nullable().optional(),
  watchItemText: LocalizedSchema.nullable().optional(),
  /** Ranking need (weighted deficit of the visible target items, see scans/interventions.ts); null without a visible target. */
  need: z.number().nullable().optional(),
  relevant: z.boolean().optional(),
  /** Why it is suggested, in words: the weakest visible target statement and its figures. */
  basis: LocalizedSchema.nullable().optional(),
});
export type InterventionResult = z.infer<typeof InterventionResultSchema>;

// --- mechanisms ----------------------------------------------------------------------------------

/** An item's figures for one group. `suppressed` when fewer than k valid answers: then all figures are null. */
export const ItemStatsSchema = z.object({
  suppressed: z.boolean(),
  score: ScoreSchema.nullable(),
  favourable: Pct.nullable(),
  distribution: DistributionSchema.nullable(),
});
export type ItemStats = z.infer<typeof ItemStatsSchema>;

export const MechanismItemSchema = ItemStatsSchema.extend({
  itemId: z.string(),
  /** Employee-form wording. */
  text: LocalizedSchema,
  reverse: z.boolean(),
  /** Published figure mapped to the employee form of this item, or null. */
  published: PublishedFigureRefSchema.nullable(),
  /** favourable - published.value in percentage points; null without both. */
  publishedDelta: z.number().nullable(),
  benchmarks: z.array(BenchmarkComparisonSchema),
}).meta({ id: 'MechanismItem' });
export type MechanismItem = z.infer<typeof MechanismItemSchema>;

export const MechanismResultSchema = z
  .object({
    mechanismId: MechanismIdEnum,
    name: LocalizedSchema,
    description: LocalizedSchema,
    /** True when the (employee) group has fewer than k respondents with a scale score: no figures. */
    suppressed: z.boolean(),
    score: ScoreSchema.nullable(),
    favourable: Pct.nullable(),
    distribution: DistributionSchema.nullable(),
    alpha: AlphaSchema.nullable(),
    /** 'low' < 3.0, 'middle' 3.0-3.9, 'high' >= 4.0 on the score rounded to one decimal. */
    band: z.enum(['low', 'middle', 'high']).nullable(),
    /** Advice text for the band (from the instrument). */
    advice: LocalizedSchema.nullable(),
    benchmarks: z.array(BenchmarkComparisonSchema),
    percentiles: PercentilesSchema,
    items: z.array(MechanismItemSchema),
    /** Generated sentence naming the two weakest and two strongest visible items (scans/advice.ts). */
    itemSummary: LocalizedSchema.nullable().optional(),
    /** The mechanism's relevant interventions, ranked (scans/interventions.ts); optional for older models. */
    interventions: z.array(InterventionResultSchema).optional(),
  })
  .meta({ id: 'MechanismResult' });
export type MechanismResult = z.infer<typeof MechanismResultSchema>;

// --- perspectives --------------------------------------------------------------------------------

/** One side (employees or management/HR) of a comparison; suppressed sides carry no count. */
export const PerspectiveSideSchema = z.discriminatedUnion('suppressed', [
  z.object({
    suppressed: z.literal(false),
    score: ScoreSchema.nullable(),
    favourable: Pct.nullable(),
    distribution: DistributionSchema.nullable(),
    /** Published figure for this side's population (employees resp. employers), with delta. */
    published: PublishedFigureRefSchema.nullable(),
    publishedDelta: z.number().nullable(),
  }),
  z.object({ suppressed: z.literal(true) }),
]);
export type PerspectiveSide = z.infer<typeof PerspectiveSideSchema>;

/** management - employee; null when either side is suppressed or has no figure. */
export const GapSchema = z.object({ mean: z.number().nullable(), favourable: z.number().nullable() });

export const PerspectiveItemSchema = z.object({
  itemId: z.string(),
  text: z.object({ employee: LocalizedSchema, management: LocalizedSchema }),
  reverse: z.boolean(),
  employee: PerspectiveSideSchema,
  management: PerspectiveSideSchema,
  gap: GapSchema,
});

export const PerspectiveMechanismSchema = z.object({
  mechanismId: MechanismIdEnum,
  name: LocalizedSchema,
  employee: PerspectiveSideSchema,
  management: PerspectiveSideSchema,
  gap: GapSchema,
  items: z.array(PerspectiveItemSchema),
});

export const PerspectivesSchema = z.object({
  /** False when the round has no management-form respondents at all, or under a segment filter. */
  available: z.boolean(),
  mechanisms: z.array(PerspectiveMechanismSchema),
});
export type Perspectives = z.infer<typeof PerspectivesSchema>;

// --- segments and heatmap ------------------------------------------------------------------------

export const SegmentMechanismSchema = z.object({
  mechanismId: MechanismIdEnum,
  /** True when disclosure control withholds this group's score on the mechanism: score and favourable are null. */
  suppressed: z.boolean(),
  /** Null when fewer than k respondents of the group have a score on this mechanism. */
  score: ScoreSchema.nullable(),
  favourable: Pct.nullable(),
});

export const SegmentGroupSchema = z.discriminatedUnion('hidden', [
  z.object({
    hidden: z.literal(false),
    suppressed: z.literal(false),
    key: z.string(),
    label: LocalizedSchema,
    n: Count,
    mechanisms: z.array(SegmentMechanismSchema),
  }),
  /** Suppressed (under k, complementary or a difference under k): listed, without n or any figure. `hidden` equals `suppressed`. */
  z.object({ hidden: z.literal(true), suppressed: z.literal(true), key: z.string(), label: LocalizedSchema }),
]);
export type SegmentGroup = z.infer<typeof SegmentGroupSchema>;

export const SegmentDimensionSchema = z.object({
  dimension: z.enum(SEGMENT_DIMENSIONS),
  label: LocalizedSchema,
  /** All groups of the partition incl. the "not stated" group (key NOT_STATED_KEY) when it has respondents. */
  groups: z.array(SegmentGroupSchema),
});
export type SegmentDimensionResult = z.infer<typeof SegmentDimensionSchema>;

export const HeatmapCellSchema = z.object({
  mechanismId: MechanismIdEnum,
  mean: z.number().nullable(),
  favourable: Pct.nullable(),
  /** Group mean minus the organisation's (employee) mean. */
  deltaFromOverall: z.number().nullable(),
});

export const HeatmapRowSchema = z.object({
  dimension: z.enum(SEGMENT_DIMENSIONS),
  key: z.string(),
  label: LocalizedSchema,
  hidden: z.boolean(),
  /** Same as hidden (the one representation of a withheld group). */
  suppressed: z.boolean(),
  /** Empty for hidden rows (render them as "hidden"). */
  cells: z.array(HeatmapCellSchema),
});

export const HeatmapSchema = z.object({
  mechanismIds: z.array(MechanismIdEnum),
  rows: z.array(HeatmapRowSchema),
});
export type Heatmap = z.infer<typeof HeatmapSchema>;

// --- SME checklist -------------------------------------------------------------------------------

export const ChecklistPracticeResultSchema = z.object({
  practiceId: z.string(),
  text: LocalizedSchema,
  answer: z.enum(['yes', 'no', 'dont_know']).nullable(),
  published: PublishedFigureRefSchema,
});

export const ChecklistSchema = z.object({
  /** False when the round does not include the sme_checklist module. */
  included: z.boolean(),
  practices: z.array(ChecklistPracticeResultSchema),
  /** Practices answered 'yes'. */
  inPlace: Count,
  answered: Count,
  total: Count,
});
export type ChecklistResult = z.infer<typeof ChecklistSchema>;

// --- dialogue model ------------------------------------------------------------------------------

export const PointResultSchema = z.object({ x: z.number(), y: z.number() });

export const PlacementSummarySchema = z.object({
  n: Count,
  mean: PointResultSchema,
  sd: z.object({ x: z.number().nullable(), y: z.number().nullable() }),
  quadrant: z.enum(QUADRANT_IDS),
  /** Mean distance of the placements to the mean point: 0 = full agreement. */
  agreement: z.number(),
});

export const MoveSchema = z.object({
  dx: z.number(),
  dy: z.number(),
  distance: z.number(),
  fromQuadrant: z.enum(QUADRANT_IDS),
  toQuadrant: z.enum(QUADRANT_IDS),
  quadrantChanged: z.boolean(),
});
export type Move = z.infer<typeof MoveSchema>;

export const DialogueFrameSchema = z.object({
  frame: z.enum(TIME_FRAMES),
  /** Null when nobody placed this frame, or (employees) fewer than k did: `suppressed` says which. */
  summary: PlacementSummarySchema.nullable(),
  suppressed: z.boolean(),
});

/** A named placement; only for staff groups (director, hr, consultant), never for employees. */
export const NamedPlacementSchema = z.object({
  userId: z.string(),
  name: z.string(),
  frame: z.enum(TIME_FRAMES),
  x: z.number(),
  y: z.number(),
  quadrant: z.enum(QUADRANT_IDS),
});

export const DialogueGroupSchema = z.object({
  group: z.enum(PLACEMENT_GROUPS),
  frames: z.array(DialogueFrameSchema),
  /** current mean -> desired mean; null when either is missing or suppressed. */
  move: MoveSchema.nullable(),
  /** Staff groups only; always empty for employees. */
  placements: z.array(NamedPlacementSchema),
});

export const DialogueDisagreementSchema = z.object({
  frame: z.enum(TIME_FRAMES),
  groupA: z.enum(PLACEMENT_GROUPS),
  groupB: z.enum(PLACEMENT_GROUPS),
  /** Distance between the two groups' mean points (axes -100..100). */
  distance: z.number(),
  sameQuadrant: z.boolean(),
});

const QuadrantSharesSchema = z.object({ defensive: Pct, offensive: Pct, curative: Pct, preventive: Pct });

/** The dialogue model as a conversation (scans/scoring/dialogue.ts, dialogueConversation): rules documented there. */
export const DialogueConversationSchema = z.object({
  rules: z.object({ borderBand: z.number(), sharedPictureShare: Pct, agreement: z.object({ much: z.number(), some: z.number() }) }),
  groups: z.array(
    z.object({
      group: z.enum(PLACEMENT_GROUPS),
      frames: z.array(
        z.object({
          frame: z.enum(TIME_FRAMES),
          /** Employees with fewer than k placements for the frame: no figures, no count. */
          suppressed: z.boolean(),
          n: Count.nullable(),
          shares: QuadrantSharesSchema.nullable(),
          onBorder: Pct.nullable(),
          spread: z.number().nullable(),
          agreement: z.enum(['much', 'some', 'little']).nullable(),
          /** Quadrant holding at least `rules.sharedPictureShare` % of the placements; null = no shared picture. */
          shared: z.enum(QUADRANT_IDS).nullable(),
        }),
      ),
    }),
  ),
  differences: z.array(z.object({ frame: z.enum(TIME_FRAMES), groupA: z.enum(PLACEMENT_GROUPS), groupB: z.enum(PLACEMENT_GROUPS), difference: Pct })),
});
export type DialogueConversationResult = z.infer<typeof DialogueConversationSchema>;

export const DialogueSchema = z.object({
  included: z.boolean(),
  groups: z.array(DialogueGroupSchema),
  /** Between groups, for every frame where both groups have a (visible) mean. */
  disagreements: z.array(DialogueDisagreementSchema),
  /** Optional only so models stored before it existed still parse. */
  conversation: DialogueConversationSchema.optional(),
});
export type DialogueResult = z.infer<typeof DialogueSchema>;

// --- factors -------------------------------------------------------------------------------------

export const FactorResultSchema = z.object({
  factorId: z.string(),
  label: LocalizedSchema,
  /** True when disclosure control withholds this factor: every figure below is null. */
  suppressed: z.boolean(),
  /** Respondents who rated the factor (-2..2); not applicable is left out. Null when suppressed. */
  n: Count.nullable(),
  /** Null when suppressed. */
  mean: z.number().nullable(),
  /** Share of ratings > 0 and < 0, 0..100. */
  stimulating: Pct.nullable(),
  hindering: Pct.nullable(),
  /** Counts for -2, -1, 0, 1, 2 (index 0 is -2); null when n < k. */
  counts: z.tuple([Count, Count, Count, Count, Count]).nullable(),
  notApplicable: Count.nullable(),
});

export const FactorsSchema = z.object({
  included: z.boolean(),
  /** Respondents who rated at least one factor (-2..2; "not applicable" everywhere is no rating); null when suppressed. */
  respondents: Count.nullable(),
  suppressed: z.boolean(),
  groups: z.array(z.object({ groupId: z.string(), label: LocalizedSchema, factors: z.array(FactorResultSchema) })),
  /** Factor ids, most stimulating first / most hindering first (top 5 each). */
  topStimulating: z.array(z.string()),
  topHindering: z.array(z.string()),
});
export type FactorsResult = z.infer<typeof FactorsSchema>;

// --- priorities ----------------------------------------------------------------------------------

export const PRIORITY_REASON_CODES = [
  'low_score',
  'below_published',
  'below_custom',
  'low_pool_rank',
  'perspective_gap',
  'declined',
  'low_favourable',
  /** No rule fired: the mechanism is listed because it is the organisation's relatively lowest. */
  'relative_low',
] as const;

export const PriorityReasonSchema = z.object({
  code: z.enum(PRIORITY_REASON_CODES),
  text: LocalizedSchema,
  /** The number behind the reason (score, delta, gap, rank), unrounded. */
  value: z.number().nullable(),
});



export const PrioritySchema = z.object({
  rank: z.number().int().min(1),
  mechanismId: MechanismIdEnum,
  name: LocalizedSchema,
  /** Rule weight; higher means more urgent. */
  weight: z.number(),
  score: z.number().nullable(),
  favourable: Pct.nullable(),
  reasons: z.array(PriorityReasonSchema),
  interventions: z.array(InterventionResultSchema),
});
export type Priority = z.infer<typeof PrioritySchema>;

// --- trend ---------------------------------------------------------------------------------------

export const TrendPointSchema = z.object({
  previousMean: z.number().nullable(),
  currentMean: z.number().nullable(),
  changeMean: z.number().nullable(),
  previousFavourable: Pct.nullable(),
  currentFavourable: Pct.nullable(),
  changeFavourable: z.number().nullable(),
});

export const TrendSchema = z.object({
  /** The organisation's previous closed round on the same instrument, or null. */
  previousRound: z.object({ id: z.string(), name: z.string(), closedAt: z.string().nullable() }).nullable(),
  mechanisms: z.array(TrendPointSchema.extend({ mechanismId: MechanismIdEnum })),
  items: z.array(TrendPointSchema.extend({ itemId: z.string(), mechanismId: MechanismIdEnum })),
  /**
   * Set when the previous round used another culture-scan version: the scales and items whose trend
   * is left empty because their questions differ (scans/instruments/version-map.ts).
   */
  notComparable: z
    .object({ previousInstrumentId: z.string(), mechanisms: z.array(MechanismIdEnum), items: z.array(z.string()) })
    .optional(),
});
export type TrendResult = z.infer<typeof TrendSchema>;

// --- sources and anonymity -----------------------------------------------------------------------

export const BenchmarkSourceSchema = z.object({
  id: z.string(),
  kind: z.enum(BENCHMARK_KINDS),
  label: LocalizedSchema,
  source: z.string(),
  year: z.number().int().nullable(),
  dataYear: z.number().int().nullable(),
  population: LocalizedSchema.nullable(),
  n: Count.nullable(),
});
export type BenchmarkSource = z.infer<typeof BenchmarkSourceSchema>;

export const ANONYMITY_NOTE_CODES = [
  'threshold',
  'groups_hidden',
  'complementary_suppression',
  'management_below_threshold',
  'employee_below_threshold',
  'employee_placements_aggregated',
  'segment_filter',
  'pool_percentiles',
  'snapshot',
  'demo',
] as const;

export const AnonymityNoteSchema = z.object({ code: z.enum(ANONYMITY_NOTE_CODES), text: LocalizedSchema });

// --- the whole ----------------------------------------------------------------------------------

export const ResultModelSchema = z
  .object({
    meta: ResultMetaSchema,
    response: ResponseSchema,
    /** Employee form, in MECHANISM_IDS order. */
    mechanisms: z.array(MechanismResultSchema),
    perspectives: PerspectivesSchema,
    /** One entry per dimension; empty under a segment filter (no cross-tabulation). */
    segments: z.array(SegmentDimensionSchema),
    heatmap: HeatmapSchema,
    checklist: ChecklistSchema,
    dialogue: DialogueSchema,
    factors: FactorsSchema,
    priorities: z.array(PrioritySchema),
    trend: TrendSchema,
    benchmarkSources: z.array(BenchmarkSourceSchema),
    anonymity: z.object({ threshold: z.number().int(), notes: z.array(AnonymityNoteSchema) }),
  })
  .meta({ id: 'ResultModel' });
export type ResultModel = z.infer<typeof ResultModelSchema>;
