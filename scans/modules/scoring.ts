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

const valid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5;

/**
 * A respondent's facet score: the mean of the facet's valid answers (1..5). Each facet has two items;
 * one valid answer is enough (the other may be "don't know"). Null when none is valid.
 */
export function motivationFacetScore(facet: MotivationFacet, answers: MotivationAnswers): number | null {
  return mean(MOTIVATION_ITEMS.filter((i) => i.facet === facet).map((i) => answers[i.id]).filter(valid));
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
  const answered = respondents.filter(answeredMotivation);
  const facets = MOTIVATION_FACETS.map((facet) => {
    const scores = answered.map((a) => motivationFacetScore(facet, a)).filter((s): s is number => s !== null);
    const m = mean(scores);
    return { facet, n: scores.length, mean: m === null ? null : roundTo(m, 2) };
  });
  const pairs = answered
    .map((a) => [motivationFacetScore('intrinsic', a), motivationFacetScore('must', a)] as const)
    .filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
  const want = pairs.filter(([i, m]) => i > m).length;
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
