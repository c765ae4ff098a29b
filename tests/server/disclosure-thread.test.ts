// The extras of a release composed on a worker thread (composeResultExtrasOffThread, used for large
// rounds) are exactly those composed in this thread, hidden groups included (pure, no database).
// The release's own disclosure on a worker is compared in close-staged.test.ts.
import { describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { ContributionTable } from '../../scans/disclosure/model.js';
import { composeResultExtrasOffThread, composeResultExtrasStreamed, discloseReleaseOffThread, startDisclosureWorker } from '../../server/results/disclosure-thread.js';
import { composeResultExtras, extraRespondentReader, type ExtraRespondent, type ExtrasInput, type PackedExtraRespondent } from '../../server/results/modules/compose.js';
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

describe('the extras respondent reader', () => {
  const packedOf = (rs: ExtraRespondent[]): PackedExtraRespondent[] =>
    rs.map(({ answers, ...r }) => ({ ...r, answerPack: Object.entries(answers).sort(([a], [b]) => (a < b ? -1 : 1)).map(([item, v]) => `${item}:${v ?? ''}`).join(',') }));

  it('gives the respondents as read unpacked, with their module answers, skipped and absent background values', () => {
    const rs = respondents(40).map((r, i) => ({
      ...r,
      background: { ...r.background, role: i % 3 === 0 ? null : 'staff', contract: i % 7 === 0 ? 'flexible' : 'permanent' },
      motivation: (i % 4 === 0 ? {} : { mo_aut1: (i % 5) + 1, mo_com1: i % 6 === 0 ? null : 3 }) as Record<string, number | null>,
      learning: i % 3 === 1 ? 'work' : null,
    }));
    const read = extraRespondentReader();
    // Each one a structured clone, as the worker thread gets them: their strings are copies.
    const got = packedOf(rs).map((r) => read(structuredClone(r)));
    got.forEach((r, i) => {
      const want = rs[i]!;
      expect({ id: r.id, form: r.form, background: { ...r.background }, answers: r.answers, motivation: { ...r.motivation }, learning: r.learning, open: { ...r.open } }).toEqual(want);
      expect(Object.keys(r.background).sort()).toEqual(Object.keys(want.background).sort());
    });
    // The empty records are one shared object; a respondent with answers keeps its own.
    const emptyOpen = got.filter((_, i) => Object.keys(rs[i]!.open).length === 0).map((r) => r.open);
    expect(emptyOpen.length).toBeGreaterThan(1);
    expect(new Set(emptyOpen).size).toBe(1);
    expect(Object.isFrozen(emptyOpen[0])).toBe(true);
    expect(got[1]!.open).toEqual({ helps: 'answer 1' });
    // The same extras, modules included, as from the respondents unpacked.
    const input = { k: 5, instrument: scan, surveyModules: ['open_questions', 'motivation', 'learning_mix'] };
    expect(JSON.stringify(composeResultExtras({ ...input, respondents: got }))).toBe(JSON.stringify(composeResultExtras({ ...input, respondents: rs })));
  });

  it('passes a respondent that is not packed through as it is', () => {
    const [r] = respondents(1);
    expect(extraRespondentReader()(r!)).toBe(r);
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
