// The extras of a release composed on a worker thread (composeResultExtrasOffThread, used for large
// rounds) are exactly those composed in this thread, hidden groups included (pure, no database).
// The release's own disclosure on a worker is compared in close-staged.test.ts.
import { describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { ContributionTable } from '../../scans/disclosure/model.js';
import { composeResultExtrasOffThread, composeResultExtrasStreamed, discloseReleaseOffThread, startDisclosureWorker } from '../../server/results/disclosure-thread.js';
import { composeResultExtras, type ExtraRespondent, type ExtrasInput, type PackedExtraRespondent } from '../../server/results/modules/compose.js';
import { liveWorkers } from '../../server/lib/spawn-worker.js';
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

  it('are the same with the respondents streamed in chunks as answer packs, on the worker and in this thread', async () => {
    const rs = respondents(70);
    const input: ExtrasInput = { k: 5, instrument: scan, surveyModules: ['open_questions'], respondents: rs };
    const expected = JSON.stringify(composeResultExtras(input));
    // Packs as the database writes them: item:value in item order, empty for "don't know".
    const packed: PackedExtraRespondent[] = rs.map(({ answers, ...r }) => ({
      ...r,
      answerPack: Object.entries(answers).sort(([a], [b]) => (a < b ? -1 : 1)).map(([item, v]) => `${item}:${v ?? ''}`).join(','),
    }));
    expect(packed.some((r) => r.answerPack!.includes(':,'))).toBe(true);
    const { respondents: _all, ...rest } = input;
    for (const minRespondents of [0, 1000]) {
      let chunks = 0;
      const streamed = await composeResultExtrasStreamed(rest, packed.length, async (sink) => {
        for (let i = 0; i < packed.length; i += 16) {
          chunks++;
          await sink(packed.slice(i, i + 16));
        }
      }, { minRespondents });
      expect(chunks).toBe(5);
      expect(JSON.stringify(streamed), `minRespondents ${minRespondents}`).toBe(expected);
    }
  });
});

describe('a disclosure worker started ahead of its use', () => {
  it('that ended before it was used fails the disclosure with a clear error, instead of waiting for an answer', async () => {
    const worker = startDisclosureWorker();
    await worker.terminate();
    const table = new ContributionTable([], 0).data();
    await expect(discloseReleaseOffThread({ k: 5, views: [], table }, { minRespondents: 0, worker })).rejects.toThrow(/exited .*before it was used/);
  });

  it('is terminated when the release turns out small enough to disclose in this thread', async () => {
    const worker = startDisclosureWorker();
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    // Listed as running (what bench:scale samples the heaps of) until it exits.
    expect(liveWorkers().get(worker)).toBe('disclosure');
    const table = new ContributionTable([], 0).data();
    // No unfiltered view: the in-thread disclosure refuses the input; the worker is gone either way.
    await expect(discloseReleaseOffThread({ k: 5, views: [], table }, { minRespondents: 1, worker })).rejects.toThrow();
    await expect(exited).resolves.toBeTypeOf('number');
    expect(liveWorkers().has(worker)).toBe(false);
  });
});
