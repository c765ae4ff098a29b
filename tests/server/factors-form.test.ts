// The factors are asked of employees only: the management form neither shows them nor accepts them.
import { describe, expect, it } from 'vitest';
import { buildQuestionnaire } from '../../server/rounds/questionnaire.js';
import { validateResponseInput, type AnswerRules } from '../../server/rounds/validation.js';

const rules: AnswerRules = {
  instrument_id: 'culture-scan@1',
  modules: ['culture_scan', 'factors'],
  languages: ['nl', 'en'],
  departments: [],
  employee_placements: false,
};

describe('factors on the forms', () => {
  it('shows the factors page on the employee form only', () => {
    expect(buildQuestionnaire(rules, 'employee', 'nl').pages.some((p) => p.kind === 'factors')).toBe(true);
    expect(buildQuestionnaire(rules, 'management', 'nl').pages.some((p) => p.kind === 'factors')).toBe(false);
  });

  it('rejects factor ratings sent on the management form, naming the field', () => {
    expect(validateResponseInput(rules, 'employee', { factors: { money: 1 } }).factors).toEqual({ money: 1 });
    let error: unknown;
    try {
      validateResponseInput(rules, 'management', { factors: { money: 1 } });
    } catch (e) {
      error = e;
    }
    expect(JSON.stringify(error ?? null)).toContain('body.factors');
    // An empty object changes nothing and is accepted.
    expect(() => validateResponseInput(rules, 'management', { factors: {} })).not.toThrow();
  });
});
