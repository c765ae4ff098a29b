// Disclosure control for count tables: response tracking (invited, started, submitted per form and
// segment, split by link kind). The counts are figures like any other, so the same decision
// (decideDisclosure) rules on them: a count of 1..k-1 is withheld, a count that would let a withheld one
// be derived by subtraction (a form total minus its visible segments, a segment's submitted minus its
// personal-link part, the round total minus one form) is withheld too. A count of 0 describes nobody and
// stays. "started" and "submitted" are separate statistics: the difference between them (people still
// answering) carries no answer and is not treated as a figure.
import { emptyBits, setBit, type Bits } from './bits.js';
import { decideDisclosure, type FigureCandidate, type PartitionSpec } from './decide.js';

/** The raw counts of one cell (a form and segment): what each link kind contributed. */
export interface TrackingCell {
  personal: { invited: number; started: number; submitted: number };
  shared: { started: number; submitted: number };
  /** Responses without a link (CSV import, demo data): submitted, and so started. */
  other: { submitted: number };
}

export const COUNT_STATISTICS = ['invited', 'started', 'submitted'] as const;
export type CountStatistic = (typeof COUNT_STATISTICS)[number];
export type CountPart = 'all' | 'personal' | 'shared' | 'other';

/** Where a count sits: form (or '*' for every form), segment (or '*' for the form total), part. */
export interface CountAddress {
  form: string;
  segment: string;
  part: CountPart;
  statistic: CountStatistic;
}

export interface TrackingTable {
  forms: ReadonlyArray<{ form: string; segments: ReadonlyArray<{ key: string; cell: TrackingCell }> }>;
}

export interface CountDisclosure {
  /** Whether this count may be shown (a count of 0 always may). */
  published(a: CountAddress): boolean;
  /** The count itself (from the table), for tests and callers. */
  value(a: CountAddress): number;
}

const TOTAL = '*';
const groupKey = (form: string, segment: string, part: CountPart) => `${form}\u0001${segment}\u0001${part}`;
const figureKey = (statistic: string, group: string) => `${statistic}@${group}`;

/**
 * Decides which counts of a tracking table may be shown at threshold k. Every person (invitation or
 * response) becomes one member, so nested counts (a segment inside its form, a personal-link part
 * inside its segment) are compared by the respondents behind them, as for every other figure.
 */
export function discloseCounts(table: TrackingTable, k: number): CountDisclosure {
  // Members per (statistic, group), built from synthetic people: within a cell, the first `submitted`
  // of the personal invitations are those who submitted, the first `started` those who started.
  type Spans = Map<string, number[]>;
  const spans: Spans = new Map();
  let size = 0;
  const take = (n: number) => {
    const ids = Array.from({ length: Math.max(0, n) }, (_, i) => size + i);
    size += Math.max(0, n);
    return ids;
  };
  const addTo = (statistic: CountStatistic, form: string, segment: string, part: CountPart, ids: number[]) => {
    for (const f of [form, TOTAL]) {
      for (const s of [segment, TOTAL]) {
        if (f === TOTAL && s !== TOTAL) continue; // no cross-form segments are shown
        for (const p of [part, 'all'] as CountPart[]) {
          const key = figureKey(statistic, groupKey(f, s, p));
          let list = spans.get(key);
          if (!list) spans.set(key, (list = []));
          list.push(...ids);
        }
      }
    }
  };
  const values = new Map<string, number>();
  const segmentsOf = new Map<string, string[]>();
  for (const { form, segments } of table.forms) {
    segmentsOf.set(form, segments.map((s) => s.key));
    for (const { key, cell } of segments) {
      const personal = take(Math.max(cell.personal.invited, cell.personal.started, cell.personal.submitted));
      addTo('invited', form, key, 'personal', personal.slice(0, cell.personal.invited));
      addTo('started', form, key, 'personal', personal.slice(0, cell.personal.started));
      addTo('submitted', form, key, 'personal', personal.slice(0, cell.personal.submitted));
      const shared = take(Math.max(cell.shared.started, cell.shared.submitted));
      addTo('started', form, key, 'shared', shared.slice(0, cell.shared.started));
      addTo('submitted', form, key, 'shared', shared.slice(0, cell.shared.submitted));
      const other = take(cell.other.submitted);
      addTo('started', form, key, 'other', other);
      addTo('submitted', form, key, 'other', other);
    }
  }

  const parts: CountPart[] = ['all', 'personal', 'shared', 'other'];
  const forms = [...segmentsOf.keys()];
  const groups: string[] = [];
  for (const p of parts) groups.push(groupKey(TOTAL, TOTAL, p));
  for (const f of forms) {
    for (const p of parts) {
      groups.push(groupKey(f, TOTAL, p));
      for (const s of segmentsOf.get(f)!) groups.push(groupKey(f, s, p));
    }
  }
  const figures: FigureCandidate[] = [];
  for (const statistic of COUNT_STATISTICS) {
    for (const g of groups) {
      const ids = spans.get(figureKey(statistic, g)) ?? [];
      const members: Bits = emptyBits(size);
      for (const i of ids) setBit(members, i);
      values.set(figureKey(statistic, g), ids.length);
      figures.push({ key: figureKey(statistic, g), statistic, group: g, members });
    }
  }
  // Partitions: the parts of a cell; the segments of a form (per part); the forms of the round (per part).
  const partitions: PartitionSpec[] = [];
  const cellParts = (f: string, s: string): PartitionSpec => ({ parent: groupKey(f, s, 'all'), children: (['personal', 'shared', 'other'] as const).map((p) => groupKey(f, s, p)) });
  partitions.push(cellParts(TOTAL, TOTAL));
  for (const p of parts) partitions.push({ parent: groupKey(TOTAL, TOTAL, p), children: forms.map((f) => groupKey(f, TOTAL, p)) });
  for (const f of forms) {
    partitions.push(cellParts(f, TOTAL));
    for (const s of segmentsOf.get(f)!) partitions.push(cellParts(f, s));
    for (const p of parts) partitions.push({ parent: groupKey(f, TOTAL, p), children: segmentsOf.get(f)!.map((s) => groupKey(f, s, p)) });
  }
  const decision = decideDisclosure({ k, figures, partitions });
  const keyOf = (a: CountAddress) => figureKey(a.statistic, groupKey(a.form, a.segment, a.part));
  const value = (a: CountAddress) => {
    const v = values.get(keyOf(a));
    if (v === undefined) throw new RangeError(`no count ${a.statistic} for ${a.form}/${a.segment}/${a.part}`);
    return v;
  };
  return {
    value,
    published: (a) => value(a) === 0 || decision.isPublished(keyOf(a)),
  };
}

export const COUNT_TOTAL = TOTAL;
