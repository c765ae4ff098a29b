// Where a returning respondent continues (issue 18): the first statement page with an unanswered
// statement; after the statements, the first other page with nothing saved that this browser has
// not been through; the review only when every page has been through. Runs without a browser.
import { describe, expect, it } from 'vitest';
import type { QuestionnairePage, QuestionnaireText } from '../../server/rounds/questionnaire.js';
import { resumeStep, type SurveyModel } from '../../server/web/views/survey.js';

const opt = <T>(value: T) => ({ value, label: String(value) });
const pages: QuestionnairePage[] = [
  { kind: 'mechanism', id: 'self_direction', title: 'A', description: '', items: [{ id: 'a1', text: '' }, { id: 'a2', text: '' }] },
  { kind: 'mechanism', id: 'work_content', title: 'B', description: '', items: [{ id: 'b1', text: '' }] },
  { kind: 'factors', id: 'factors', title: 'F', description: '', ratingOptions: [opt(-1), opt(1)], notApplicable: opt(null), groups: [{ id: 'g', label: '', factors: [{ id: 'colleagues', label: '' }] }] },
  { kind: 'placements', id: 'placements', title: 'P', description: '', axisRule: '', axes: [], quadrants: [], frames: [{ id: 'current', label: '', prompt: '' }, { id: 'desired', label: '', prompt: '' }] },
  { kind: 'background', id: 'background', title: 'O', description: '', questions: [{ id: 'department', label: '', note: null, optional: true, options: [opt('Zorg')] }] },
];
const questionnaire: QuestionnaireText = { instructions: '', answerOptions: [opt(1), opt(5)], dontKnow: opt(null), pages };

function model(saved: Partial<Pick<SurveyModel, 'answers' | 'factors' | 'placements' | 'background'>>): SurveyModel {
  return { roundName: 'R', organisationName: 'O', form: 'employee', status: 'in_progress', language: 'nl', languages: ['nl'], questionnaire, answers: {}, background: {}, factors: {}, placements: {}, ...saved };
}

const allStatements = { a1: 3, a2: null, b1: 4 };

describe('resumeStep', () => {
  it('starts at the intro, then at the first page with an unanswered statement', () => {
    expect(resumeStep(model({})).id).toBe('intro');
    expect(resumeStep(model({ answers: { a1: 3, a2: 2 } })).id).toBe('work_content');
    // An unanswered statement wins over a page gone through later on.
    expect(resumeStep(model({ answers: { a1: 3 } }), new Set(['factors'])).id).toBe('self_direction');
  });

  it('after the last statement: the factors, dialogue-model and background pages before the review', () => {
    expect(resumeStep(model({ answers: allStatements })).id).toBe('factors');
    expect(resumeStep(model({ answers: allStatements }), new Set(['factors'])).id).toBe('placements');
    expect(resumeStep(model({ answers: allStatements, factors: { colleagues: 1 } })).id).toBe('placements');
    expect(resumeStep(model({ answers: allStatements, factors: { colleagues: 1 }, placements: { current: { x: 1, y: 2 } } })).id).toBe('background');
    expect(resumeStep(model({ answers: allStatements }), new Set(['factors', 'placements'])).id).toBe('background');
    expect(resumeStep(model({ answers: allStatements, background: { department: null } }), new Set(['factors', 'placements'])).id).toBe('review');
    expect(resumeStep(model({ answers: allStatements }), new Set(['factors', 'placements', 'background'])).id).toBe('review');
  });
});
