// Scoring of culture-scan answers: reverse keying, respondent scale scores (the 2/3 rule),
// distributions, % favourable and score bands. Works on any object shaped like an item or a scale,
// so the instrument data and test fixtures use the same functions.

import { describe, type Description } from './stats.js';

/** Lowest and highest answer on the five-point scale. "Don't know / not applicable" is stored as null. */
export const ANSWER_MIN = 1;
export const ANSWER_MAX = 5;
/** Keyed answers at or above this value count as favourable (the top two options). */
export const FAVOURABLE_MIN = 4;

/** What scoring needs to know about an item. */
export interface KeyedItem {
  id: string;
  reverse: boolean;
}

/** What scoring needs to know about a scale. */
export interface ScaleLike {
  items: readonly KeyedItem[];
}

/** A raw answer: 1..5, or null ("don't know / not applicable"), or undefined (not answered). */
export type AnswerValue = number | null | undefined;
export type AnswersByItemId = Readonly<Record<string, AnswerValue>>;

export function isValidAnswer(raw: unknown): raw is number {
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= ANSWER_MIN && raw <= ANSWER_MAX;
}

/**
 * The keyed value of one answer: the raw value, or 6 - value for a reverse-keyed item; null when the
 * answer is missing or "don't know". A value outside 1..5 is a programming error and throws.
 */
export function keyedValue(item: Pick<KeyedItem, 'reverse'>, raw: AnswerValue): number | null {
  if (raw === null || raw === undefined) return null;
  if (!isValidAnswer(raw)) throw new RangeError(`answer must be an integer 1..5 or null, got ${raw}`);
  return item.reverse ? ANSWER_MIN + ANSWER_MAX - raw : raw;
}

/** Fewest answered items a respondent needs for a scale score: ceil(2/3 x items in the scale). */
export function minItemsForScore(itemCount: number): number {
  if (!Number.isInteger(itemCount) || itemCount < 1) {
    throw new RangeError(`itemCount must be a positive integer, got ${itemCount}`);
  }
  // Integer arithmetic: 2 * 6 / 3 is exactly 4, whereas (2 / 3) * 6 is 4.000000000000001.
  return Math.ceil((2 * itemCount) / 3);
}

/** The keyed values of one respondent on a scale, in item order (null where not answered). */
export function keyedScaleValues(scale: ScaleLike, answers: AnswersByItemId): (number | null)[] {
  return scale.items.map((item) => keyedValue(item, answers[item.id]));
}

/**
 * A respondent's scale score: the mean of their keyed answers on the scale's items, provided at least
 * ceil(2/3 x items) are answered; otherwise null (the scale is missing for that respondent).
 */
export function scoreRespondentScale(scale: ScaleLike, answersByItemId: AnswersByItemId): number | null {
  const values = keyedScaleValues(scale, answersByItemId).filter((v): v is number => v !== null);
  if (values.length < minItemsForScore(scale.items.length)) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Group scale score: describe() over the scale scores of the respondents who have one
 * (n, mean, SD with n - 1, 95% CI). Null when nobody has a scale score.
 */
export function describeGroupScale(scale: ScaleLike, respondents: readonly AnswersByItemId[]): Description | null {
  const scores: number[] = [];
  for (const answers of respondents) {
    const s = scoreRespondentScale(scale, answers);
    if (s !== null) scores.push(s);
  }
  return describe(scores);
}

/** Counts per answer option. counts[0] is option 1, counts[4] is option 5. */
export interface Distribution {
  counts: [number, number, number, number, number];
  /** Null ("don't know / not applicable") or not answered. */
  missing: number;
  /** Answers 1..5. */
  valid: number;
  /** valid + missing. */
  total: number;
}

/** Counts per option 1..5 plus missing, over the values exactly as given (raw or keyed: caller decides). */
export function distribution(values: readonly AnswerValue[]): Distribution {
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let missing = 0;
  for (const v of values) {
    if (v === null || v === undefined) {
      missing++;
      continue;
    }
    if (!isValidAnswer(v)) throw new RangeError(`answer must be an integer 1..5 or null, got ${v}`);
    counts[v - 1]! += 1;
  }
  const valid = values.length - missing;
  return { counts, missing, valid, total: values.length };
}

/**
 * Distribution of all keyed answers on a scale's items (one entry per respondent per item), so that
 * for every item "5" means the favourable end.
 */
export function scaleDistribution(scale: ScaleLike, respondents: readonly AnswersByItemId[]): Distribution {
  const values: (number | null)[] = [];
  for (const answers of respondents) values.push(...keyedScaleValues(scale, answers));
  return distribution(values);
}

/** Percentage (0-100) of favourable answers given counts; null when there are no valid answers. */
export function percentFavourableFromCounts(favourable: number, valid: number): number | null {
  if (!Number.isInteger(favourable) || !Number.isInteger(valid) || favourable < 0 || favourable > valid) {
    throw new RangeError(`need integers 0 <= favourable <= valid, got ${favourable} / ${valid}`);
  }
  return valid === 0 ? null : (favourable / valid) * 100;
}

/**
 * % favourable over keyed values: the share of valid values that are 4 or 5, as a percentage 0-100;
 * null when no value is valid. Missing values are left out of numerator and denominator.
 */
export function percentFavourable(keyedValues: readonly AnswerValue[]): number | null {
  const d = distribution(keyedValues);
  return percentFavourableFromCounts(d.counts[3] + d.counts[4], d.valid);
}

/** % favourable of one item over raw answers (reverse keying applied first). */
export function itemPercentFavourable(item: KeyedItem, rawAnswers: readonly AnswerValue[]): number | null {
  return percentFavourable(rawAnswers.map((raw) => keyedValue(item, raw)));
}

/**
 * % favourable of a scale: the share of all valid keyed answers on its items that are 4 or 5. Every
 * valid answer counts, also those of respondents who answered too few items for a scale score.
 */
export function scalePercentFavourable(scale: ScaleLike, respondents: readonly AnswersByItemId[]): number | null {
  const d = scaleDistribution(scale, respondents);
  return percentFavourableFromCounts(d.counts[3] + d.counts[4], d.valid);
}

/** Keyed rows of the respondents who answered every item of the scale (input for Cronbach's alpha). */
export function completeKeyedRows(scale: ScaleLike, respondents: readonly AnswersByItemId[]): number[][] {
  const rows: number[][] = [];
  for (const answers of respondents) {
    const row = keyedScaleValues(scale, answers);
    if (row.every((v) => v !== null)) rows.push(row as number[]);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Score bands select the advice text of a scale.

export const SCORE_BANDS = ['low', 'middle', 'high'] as const;
export type ScoreBand = (typeof SCORE_BANDS)[number];

/** Round half up to `decimals` places, robust against binary representation (2.95 -> 3.0). */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f + Math.sign(value) * 1e-9) / f;
}

/** A scale score as reports print it: one decimal. */
export function roundScore(score: number): number {
  return roundTo(score, 1);
}

/**
 * Band of a scale score, taken on the score rounded to one decimal, so the band always matches the
 * printed number: low < 3.0, middle 3.0-3.9, high >= 4.0.
 */
export function scoreBand(score: number): ScoreBand {
  if (!Number.isFinite(score)) throw new RangeError(`score must be finite, got ${score}`);
  const r = roundScore(score);
  if (r < 3) return 'low';
  if (r < 4) return 'middle';
  return 'high';
}
