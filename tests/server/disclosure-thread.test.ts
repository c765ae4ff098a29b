// The extras of a release composed on a worker thread (composeResultExtrasOffThread, used for large
// rounds) are exactly those composed in this thread, hidden groups included (pure, no database).
// The release's own disclosure on a worker is compared in close-staged.test.ts.
import { describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { composeResultExtrasOffThread } from '../../server/results/disclosure-thread.js';
import { composeResultExtras, type ExtraRespondent, type ExtrasInput } from '../../server/results/modules/compose.js';
import { completeAnswers } from '../helpers/rounds.js';

const scan = getCultureScan('culture-scan@1')!;
const DEPARTMENTS = ['A', 'B', 'C'];

function respondents(n: number): ExtraRespondent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `r${String(i).padStart(4, '0')}`,
    form: i % 9 === 8 ? 'management' : 'employee',
    background: { department: DEPARTMENTS[i % 3]!, education: i % 4 < 2 ? 'hbo_wo' : i % 4 === 2 ? 'mbo' : 'basic', tenure: i % 5 === 0 ? '2_5' : 'over_10', age_band: i % 2 ? '35_44' : '25_34' },
    answers: completeAnswers(i),
    motivation: {},
    learning: null,
    open: i % 2 ? { helps: `answer ${i}` } : {},
  }));
}

describe('extras on a worker thread', () => {
  it('are the extras composed in this thread, with an earlier release as fixed figures', async () => {
    const rs = respondents(70);
    const first = composeResultExtras({ k: 5, instrument: scan, surveyModules: ['open_questions'], respondents: rs.slice(0, 50) });
    const input: ExtrasInput = {
      k: 5,
      instrument: scan,
      surveyModules: ['open_questions'],
      respondents: rs,
      earlier: [{ published: first.published, covered: rs.slice(0, 50).map((r) => r.id) }],
    };
    const inThread = composeResultExtras(input);
    const onWorker = await composeResultExtrasOffThread(input, { minRespondents: 0 });
    expect(inThread.open.groups.some((g) => g.hidden)).toBe(true);
    expect(inThread.published.length).toBeGreaterThan(0);
    expect(JSON.stringify(onWorker)).toBe(JSON.stringify(inThread));
  });
});
