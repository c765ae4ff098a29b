// Scoring of the motivation and how-people-learn modules. Pure: the server hands in the answers of the
// respondents of one group; disclosure (who may see which group) is decided in server/results/modules/.
import { roundTo } from '../scoring/scales.js';
import { mean } from '../scoring/stats.js';
import {
  LEARNING_WAYS,
  LEARNING_WAY_MODEL_PART,
  MODEL_70_20_10,
  MOTIVATION_FACETS,
  MOTIVATION_ITEMS,
  type LearningWay,
  type ModelPart,
  type MotivationFacet,
} from './definitions.js';

export type MotivationAnswers = Readonly<Record<string, number | null | undefined>>;

/** Per facet its item ids, in MOTIVATION_ITEMS order. */
const FACET_ITEMS = new Map<MotivationFacet, readonly string[]>(MOTIVATION_FACETS.map((f) => [f, MOTIVATION_ITEMS.filter((i) => i.facet === f).map((i) => i.id)]));

const valid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5;

/**
 * A respondent's facet score: the mean of the facet's valid answers (1..5). Each facet has two items;
 * one valid answer is enough (the other may be "don't know"). Null when none is valid.
 */
export function motivationFacetScore(facet: MotivationFacet, answers: MotivationAnswers): number | null {
  // The same sum in the same item order as mean() over the valid answers, without the arrays: called per
  // respondent, facet and group, the filtered copies were ~45% of the extras' composition at 100,000.
  let sum = 0;
  let n = 0;
  for (const id of FACET_ITEMS.get(facet) ?? []) {
    const v = answers[id];
    if (valid(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}

/** Whether a respondent answered at least one motivation item validly (they count in the module's n). */
export function answeredMotivation(answers: MotivationAnswers): boolean {
  return MOTIVATION_ITEMS.some((i) => valid(answers[i.id]));
}

export interface MotivationProfile {
  /** Respondents with at least one valid motivation answer. */
  n: number;
  facets: Array<{ facet: MotivationFacet; n: number; mean: number | null }>;
  /**
   * Share (0..100) of respondents with both an intrinsic and a must score whose intrinsic score is
   * higher: they learn more "because I want to" than "because I must".
   */
  wantOverMust: { n: number; percent: number | null };
}

/** The group's profile: per facet the mean of the respondents' facet scores (two decimals). */
export function motivationProfile(respondents: readonly MotivationAnswers[]): MotivationProfile {
  return motivationProfileOf(motivationScoresOf(respondents), respondents.map((_, i) => i));
}

/** What a profile needs of each respondent, worked out once: whether they answered, and each facet's score (NaN: none). */
export interface MotivationScores {
  answered: Uint8Array;
  facets: ReadonlyMap<MotivationFacet, Float64Array>;
}

export function motivationScoresOf(respondents: readonly MotivationAnswers[]): MotivationScores {
  return {
    answered: Uint8Array.from(respondents, (a) => (answeredMotivation(a) ? 1 : 0)),
    facets: new Map(MOTIVATION_FACETS.map((f) => [f, Float64Array.from(respondents, (a) => motivationFacetScore(f, a) ?? Number.NaN)] as const)),
  };
}

/**
 * The profile of the respondents `members` (indices into the scores), as motivationProfile gives it for
 * their answers: the same sums in the same order. The extras compose one per group of every dimension
 * from scores worked out once per respondent, where each group's profile scored its members again.
 */
export function motivationProfileOf(scores: MotivationScores, members: readonly number[]): MotivationProfile {
  const answered = members.filter((i) => scores.answered[i] === 1);
  const facets = MOTIVATION_FACETS.map((facet) => {
    const of = scores.facets.get(facet)!;
    const values = answered.map((i) => of[i]!).filter((v) => !Number.isNaN(v));
    const m = mean(values);
    return { facet, n: values.length, mean: m === null ? null : roundTo(m, 2) };
  });
  const intrinsic = scores.facets.get('intrinsic')!;
  const must = scores.facets.get('must')!;
  const pairs = answered.filter((i) => !Number.isNaN(intrinsic[i]!) && !Number.isNaN(must[i]!));
  const want = pairs.filter((i) => intrinsic[i]! > must[i]!).length;
  return {
    n: answered.length,
    facets,
    wantOverMust: { n: pairs.length, percent: pairs.length ? roundTo((100 * want) / pairs.length, 0) : null },
  };
}

/** The facet with the lowest mean among autonomy, competence and relatedness (the basic needs), or null. */
export function weakestNeed(profile: MotivationProfile): MotivationFacet | null {
  let worst: { facet: MotivationFacet; mean: number } | null = null;
  for (const f of profile.facets) {
    if (f.facet === 'intrinsic' || f.facet === 'must' || f.mean === null) continue;
    if (!worst || f.mean < worst.mean) worst = { facet: f.facet, mean: f.mean };
  }
  return worst?.facet ?? null;
}

export interface LearningMix {
  /** Respondents who chose a way of learning. */
  n: number;
  ways: Array<{ way: LearningWay; count: number; percent: number }>;
  /** The mix folded onto the 70-20-10 model's three parts, beside the model's own shares. */
  model: Array<{ part: ModelPart; percent: number; modelPercent: number }>;
}

const isWay = (v: unknown): v is LearningWay => typeof v === 'string' && (LEARNING_WAYS as readonly string[]).includes(v);

/** Shares (0..100, one decimal) of the ways respondents mostly learned. Null when nobody chose one. */
export function learningMix(choices: readonly (string | null | undefined)[]): LearningMix | null {
  const chosen = choices.filter(isWay);
  if (chosen.length === 0) return null;
  const pct = (c: number) => roundTo((100 * c) / chosen.length, 1);
  const ways = LEARNING_WAYS.map((way) => {
    const count = chosen.filter((c) => c === way).length;
    return { way, count, percent: pct(count) };
  });
  const parts = Object.keys(MODEL_70_20_10) as ModelPart[];
  const model = parts.map((part) => ({
    part,
    percent: pct(chosen.filter((c) => LEARNING_WAY_MODEL_PART[c] === part).length),
    modelPercent: MODEL_70_20_10[part],
  }));
  return { n: chosen.length, ways, model };
}
