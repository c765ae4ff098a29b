// k-anonymity of row-level exports (raw answers, the organisation data export) over the background
// fields shown in the file: every combination of shown values occurs at least k times. Values are
// generalised (age bands and education levels merged into coarser bands) or blanked ("hidden") by
// global recoding: the same input value always becomes the same output value within one file, so the
// recoding itself tells nothing about a single row.
//
// Method (full-domain generalisation, as in Samarati's and Sweeney's work): each column has levels,
// from the raw value through coarser bands to fully hidden. At a choice of levels, a value that occurs
// fewer than k times in its own column is hidden too. Of all choices of levels under which every
// combination occurs at least k times, the one losing least information is taken (a hidden cell costs
// 1, a band at level l of m costs l/m). Hiding everything leaves one combination of all rows, so a
// file of at least k rows always has a solution; callers refuse a file below k.

/** The value written for a field that is blanked to keep the file k-anonymous. */
export const HIDDEN = 'hidden';

/** A background field of the file and how its values may be coarsened before it is blanked. */
export interface QuasiIdentifier {
  key: string;
  /**
   * Coarser levels, finest first: each maps a value of the raw column to its band (values not in the
   * map, and null for "not stated", stay as they are at that level).
   */
  levels?: ReadonlyArray<Readonly<Record<string, string>>>;
}

export type BackgroundValue = string | null;
/** A row of the file; only the quasi-identifier fields are read (as string, or null for not stated). */
export type BackgroundRow = Readonly<Record<string, unknown>>;

export interface KAnonymityResult {
  /** The rows in input order, with each quasi-identifier generalised or blanked. */
  rows: Array<Record<string, unknown>>;
  /** Per column: 0 = raw values, 1..levels = that generalisation level, levels + 1 = blanked. */
  levels: Record<string, number>;
  /** True when every combination of shown values occurs at least k times (false only below k rows). */
  kAnonymous: boolean;
}

/** Age bands and education levels in two coarser bands each; the other fields are blanked directly. */
export const BACKGROUND_GENERALISATIONS: Readonly<Record<string, QuasiIdentifier['levels']>> = {
  age_band: [{ under_25: 'under_35', '25_34': 'under_35', '35_44': '35_54', '45_54': '35_54' }, { '35_54': '35_plus', '55_plus': '35_plus' }],
  education: [{ basic: 'basic_mbo', mbo: 'basic_mbo', havo_vwo: 'havo_vwo_hbo_wo', hbo_wo: 'havo_vwo_hbo_wo' }],
};

// A combination key; JSON keeps null (not stated) apart from the string "null".
const comboKey = (values: readonly BackgroundValue[]) => JSON.stringify(values);

const asValue = (v: unknown): BackgroundValue => (typeof v === 'string' ? v : null);

function generalise(value: BackgroundValue, column: QuasiIdentifier, level: number): BackgroundValue {
  const levels = column.levels ?? [];
  if (level > levels.length) return HIDDEN;
  let v = value;
  for (let i = 0; i < level; i++) if (v !== null && v !== HIDDEN) v = levels[i]![v] ?? v;
  return v;
}

/** Recodes every column at the given levels; values rarer than k in their own column are hidden. */
function recode(rows: readonly BackgroundRow[], columns: readonly QuasiIdentifier[], levels: readonly number[], k: number): BackgroundValue[][] {
  const out = rows.map((row) => columns.map((c, j) => generalise(asValue(row[c.key]), c, levels[j]!)));
  columns.forEach((_, j) => {
    const counts = new Map<BackgroundValue, number>();
    for (const r of out) counts.set(r[j]!, (counts.get(r[j]!) ?? 0) + 1);
    for (const r of out) if (r[j] !== HIDDEN && counts.get(r[j]!)! < k) r[j] = HIDDEN;
  });
  return out;
}

/** Rows that sit in a combination of fewer than k rows. */
function rowsAtRisk(recoded: readonly BackgroundValue[][], k: number): number {
  const counts = new Map<string, number>();
  const keys = recoded.map(comboKey);
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return keys.filter((key) => counts.get(key)! < k).length;
}

/**
 * Information lost at one node: a hidden cell counts 1, a cell at level l of m levels counts l / m.
 * Counted per column in integers first and summed in column order, so the figure (and so the choice
 * between two nodes that lose the same) does not depend on the order of the rows: floating-point sums
 * taken row by row do.
 */
function loss(recoded: readonly BackgroundValue[][], columns: readonly QuasiIdentifier[], levels: readonly number[]): number {
  let total = 0;
  columns.forEach((c, j) => {
    const max = (c.levels?.length ?? 0) + 1;
    let hidden = 0;
    for (const row of recoded) if (row[j] === HIDDEN) hidden++;
    total += hidden + ((recoded.length - hidden) * levels[j]!) / max;
  });
  return total;
}

/** Every combination of levels, finest first (for search over the generalisation lattice). */
function* lattice(max: readonly number[]): Generator<number[]> {
  const levels = max.map(() => 0);
  for (;;) {
    yield levels.slice();
    let j = levels.length - 1;
    while (j >= 0 && levels[j] === max[j]) levels[j--] = 0;
    if (j < 0) return;
    levels[j]!++;
  }
}

// Above this many nodes the lattice is walked greedily instead of searched in full.
const MAX_LATTICE = 4096;

/**
 * The rows with each quasi-identifier generalised or blanked so that every combination of shown
 * values occurs at least k times, losing as little as possible. Deterministic and independent of row
 * order (the result for a permutation of the rows is the same permutation of the result). Columns not
 * named in `columns` are returned unchanged, so do not pass identifying fields.
 */
export function kAnonymise<R extends BackgroundRow>(rows: readonly R[], columns: readonly QuasiIdentifier[], k: number): KAnonymityResult & { rows: Array<R & Record<string, BackgroundValue>> } {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const max = columns.map((c) => (c.levels?.length ?? 0) + 1);
  let best: { levels: number[]; recoded: BackgroundValue[][]; risk: number; loss: number } | null = null;
  const size = max.reduce((n, m) => n * (m + 1), 1);
  if (size <= MAX_LATTICE) {
    // Full search: the safe node with the least information lost (the first one found on a tie).
    for (const levels of lattice(max)) {
      const recoded = recode(rows, columns, levels, k);
      if (rowsAtRisk(recoded, k) > 0) continue;
      const l = loss(recoded, columns, levels);
      if (!best || l < best.loss) best = { levels, recoded, risk: 0, loss: l };
    }
  }
  if (!best) {
    // Greedy (Datafly-like): move up the column that leaves the fewest rows at risk, until none are.
    const levels = columns.map(() => 0);
    let recoded = recode(rows, columns, levels, k);
    let risk = rowsAtRisk(recoded, k);
    while (risk > 0) {
      let step: { j: number; risk: number; recoded: BackgroundValue[][] } | null = null;
      for (let j = 0; j < columns.length; j++) {
        if (levels[j]! >= max[j]!) continue;
        const trial = levels.slice();
        trial[j]!++;
        const r = recode(rows, columns, trial, k);
        const after = rowsAtRisk(r, k);
        if (!step || after <= step.risk) step = { j, risk: after, recoded: r };
      }
      if (!step) break;
      levels[step.j]!++;
      recoded = step.recoded;
      risk = step.risk;
    }
    best = { levels, recoded, risk, loss: 0 };
  }
  const { recoded, levels } = best;
  const outRows = rows.map((row, i) => {
    const copy: Record<string, unknown> = { ...row };
    columns.forEach((c, j) => (copy[c.key] = recoded[i]![j]!));
    return copy as R & Record<string, BackgroundValue>;
  });
  return {
    rows: outRows,
    levels: Object.fromEntries(columns.map((c, j) => [c.key, levels[j]!])),
    kAnonymous: best.risk === 0,
  };
}

/** The combinations of shown values with their row counts (for checks and tests). */
export function combinationCounts(rows: readonly BackgroundRow[], keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = comboKey(keys.map((k) => asValue(row[k])));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
