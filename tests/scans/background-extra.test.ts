// Management roles and the background questions for "who learns less": valid option values, both
// languages, few enough groups for the anonymity k, and the mapping onto the sources' groups.
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_HOURS_VALUES,
  EXTRA_BACKGROUND_QUESTIONS,
  learnsLessGroupsOf,
  LEARNS_LESS_GROUPS,
  MANAGEMENT_ROLE_QUESTION,
  MANAGEMENT_ROLE_VALUES,
  roleQuestionFor,
  TENURE_VALUES,
} from '../../scans/instruments/background.js';
import { BackgroundQuestionSchema, ChoiceOptionSchema } from '../../scans/instruments/schemas.js';

describe('roles on the management form', () => {
  it('offers HR, line manager and director as separate groups, valid as a background question', () => {
    expect(BackgroundQuestionSchema.safeParse(MANAGEMENT_ROLE_QUESTION).success).toBe(true);
    const q = roleQuestionFor('management');
    expect(q.optionsSource === 'fixed' && q.options.map((o) => o.value)).toEqual([...MANAGEMENT_ROLE_VALUES]);
    const e = roleQuestionFor('employee');
    expect(e.optionsSource === 'fixed' && e.options.map((o) => o.value)).toEqual(['employee', 'manager']);
  });
});

describe('tenure and contract hours', () => {
  it('have four bands each, valid option values and labels in both languages', () => {
    const byId = Object.fromEntries(EXTRA_BACKGROUND_QUESTIONS.map((q) => [q.id, q]));
    expect(byId.tenure!.options.map((o) => o.value)).toEqual([...TENURE_VALUES]);
    expect(byId.contract_hours!.options.map((o) => o.value)).toEqual([...CONTRACT_HOURS_VALUES]);
    for (const q of EXTRA_BACKGROUND_QUESTIONS) {
      expect(q.options).toHaveLength(4);
      for (const o of q.options) {
        expect(ChoiceOptionSchema.safeParse(o).success, o.value).toBe(true);
        expect(o.label.nl).not.toBe(o.label.en);
      }
    }
  });
});

describe('who learns less', () => {
  it('maps a background onto the groups the sources name', () => {
    expect(learnsLessGroupsOf({ education: 'mbo', contract: 'flexible', age_band: '55_plus', tenure: 'over_10', contract_hours: 'under_16' })).toEqual(
      LEARNS_LESS_GROUPS.map((g) => g.id),
    );
    expect(learnsLessGroupsOf({ education: 'basic' })).toEqual(['practically_trained']);
    expect(learnsLessGroupsOf({ education: 'hbo_wo', contract: 'permanent', age_band: '45_54', tenure: '6_10', contract_hours: 'over_32' })).toEqual([]);
    // Skipped questions put nobody in a group.
    expect(learnsLessGroupsOf({ education: null, contract: null })).toEqual([]);
    expect(learnsLessGroupsOf({ education: 'toString' })).toEqual([]);
  });
});
