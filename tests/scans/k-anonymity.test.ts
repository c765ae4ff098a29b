import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_GENERALISATIONS, combinationCounts, HIDDEN, kAnonymise, type QuasiIdentifier } from '../../scans/k-anonymity.js';

const COLUMNS: QuasiIdentifier[] = [
  { key: 'department' },
  { key: 'role' },
  { key: 'education', levels: BACKGROUND_GENERALISATIONS.education },
  { key: 'contract' },
  { key: 'age_band', levels: BACKGROUND_GENERALISATIONS.age_band },
];
const KEYS = COLUMNS.map((c) => c.key);

const value = (options: string[]) => fc.option(fc.constantFrom(...options), { nil: null, freq: 4 });
const row = fc.record({
  department: value(['Zorg', 'Techniek', 'Staf', 'ICT']),
  role: value(['employee', 'manager']),
  education: value(['basic', 'mbo', 'havo_vwo', 'hbo_wo']),
  contract: value(['permanent', 'flexible']),
  age_band: value(['under_25', '25_34', '35_44', '45_54', '55_plus']),
  answer: fc.integer({ min: 1, max: 5 }),
});

/** Every value a raw value may become: itself, one of its bands, or hidden. */
function allowed(column: QuasiIdentifier, raw: string | null): Set<string | null> {
  const out = new Set<string | null>([raw, HIDDEN]);
  let v = raw;
  for (const level of column.levels ?? []) {
    if (v !== null) v = level[v] ?? v;
    out.add(v);
  }
  return out;
}

describe('kAnonymise', () => {
  it('leaves a file where every combination of shown background values occurs at least k times', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80 }), fc.integer({ min: 1, max: 12 }), (rows, k) => {
        const result = kAnonymise(rows, COLUMNS, k);
        expect(result.kAnonymous).toBe(rows.length === 0 || rows.length >= k);
        if (result.kAnonymous) for (const n of combinationCounts(result.rows, KEYS).values()) expect(n).toBeGreaterThanOrEqual(k);
        // Truthful: each field is its raw value, a coarser band of it, or hidden; other fields untouched.
        expect(result.rows).toHaveLength(rows.length);
        result.rows.forEach((out, i) => {
          for (const c of COLUMNS) expect(allowed(c, rows[i]![c.key as keyof (typeof rows)[number]] as string | null).has((out[c.key] as string | null | undefined) ?? null)).toBe(true);
          expect(out.answer).toBe(rows[i]!.answer);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on row order, and changes nothing in a file that is already k-anonymous', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), fc.integer({ min: 2, max: 8 }), fc.integer(), (rows, k, seed) => {
        const order = rows.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b);
        const once = kAnonymise(rows, COLUMNS, k);
        const shuffled = kAnonymise(order.map((i) => rows[i]!), COLUMNS, k);
        expect(shuffled.rows).toEqual(order.map((i) => once.rows[i]));
        if (once.kAnonymous) expect(kAnonymise(once.rows, COLUMNS, k).rows).toEqual(once.rows);
      }),
      { numRuns: 200 },
    );
  });

  it('picks the same level choice for any row order when two choices lose exactly as much', () => {
    // Found by the property above in CI: summing the loss row by row in floating point made the tie
    // between hiding role and hiding department fall one way or the other depending on row order.
    const rows = [
      { department: 'Zorg', role: null, education: null, contract: null, age_band: '35_44' },
      { department: null, role: null, education: null, contract: null, age_band: '35_44' },
      { department: 'Zorg', role: null, education: null, contract: null, age_band: '45_54' },
      { department: 'Techniek', role: 'employee', education: null, contract: null, age_band: '55_plus' },
      { department: null, role: 'employee', education: null, contract: null, age_band: '35_44' },
      { department: null, role: 'manager', education: 'basic', contract: null, age_band: '45_54' },
    ];
    const order = [2, 0, 5, 3, 1, 4];
    const once = kAnonymise(rows, COLUMNS, 3);
    const shuffled = kAnonymise(order.map((i) => rows[i]!), COLUMNS, 3);
    expect(shuffled.levels).toEqual(once.levels);
    expect(shuffled.rows).toEqual(order.map((i) => once.rows[i]));
  });

  it('keeps what is safe: a department of 7 and one of 6 stay, the crossed age bands go', () => {
    // Zorg 7 (all 35_44), Techniek 6 (35_44 x3, 55_plus x3): department x age would give cells of 3.
    const rows = [
      ...Array.from({ length: 7 }, () => ({ department: 'Zorg', age_band: '35_44' })),
      ...Array.from({ length: 3 }, () => ({ department: 'Techniek', age_band: '35_44' })),
      ...Array.from({ length: 3 }, () => ({ department: 'Techniek', age_band: '55_plus' })),
    ];
    const cols = [{ key: 'department' }, { key: 'age_band', levels: BACKGROUND_GENERALISATIONS.age_band }];
    const out = kAnonymise(rows, cols, 5);
    expect(out.kAnonymous).toBe(true);
    expect(out.rows.filter((r) => r.department === 'Zorg')).toHaveLength(7);
    expect(out.rows.filter((r) => r.department === 'Techniek')).toHaveLength(6);
    // 35_44 and 55_plus fall in one band (35_plus) at the coarsest level: 13 rows... but Techniek x
    // 35_plus = 6 and Zorg x 35_plus = 7, so the band is shown rather than blanked.
    expect(new Set(out.rows.map((r) => r.age_band))).toEqual(new Set(['35_plus']));
    expect(out.levels).toEqual({ department: 0, age_band: 2 });
  });

  it('hides a rare value first, and blanks a whole column when its hidden rest would be too small', () => {
    const rows = [...Array.from({ length: 6 }, () => ({ contract: 'permanent' })), { contract: 'flexible' }];
    const out = kAnonymise(rows, [{ key: 'contract' }], 5);
    // Hiding only the one flexible row would leave a "hidden" group of 1: the column is blanked.
    expect(out.rows.every((r) => r.contract === HIDDEN)).toBe(true);
    const many = [...Array.from({ length: 6 }, () => ({ department: 'Zorg' })), ...Array.from({ length: 5 }, (_, i) => ({ department: ['A', 'B', 'C', 'D', 'E'][i]! }))];
    const m = kAnonymise(many, [{ key: 'department' }], 5);
    expect(m.rows.filter((r) => r.department === 'Zorg')).toHaveLength(6);
    expect(m.rows.filter((r) => r.department === HIDDEN)).toHaveLength(5);
  });

  it('reports a file below k as not k-anonymous, with everything hidden', () => {
    const out = kAnonymise([{ department: 'Zorg' }, { department: 'Zorg' }], [{ key: 'department' }], 5);
    expect(out.kAnonymous).toBe(false);
    expect(out.rows.every((r) => r.department === HIDDEN)).toBe(true);
    expect(() => kAnonymise([], [], 0)).toThrow(RangeError);
  });
});
