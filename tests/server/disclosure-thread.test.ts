// The extras of a release composed on a worker thread (composeResultExtrasOffThread, used for large
// rounds) are exactly those composed in this thread, hidden groups included (pure, no database).
// The release's own disclosure on a worker is compared in close-staged.test.ts.
import { describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { ContributionTable } from '../../scans/disclosure/model.js';
import { composeResultExtrasOffThread, composeResultExtrasStreamed, discloseReleaseOffThread, startDisclosureWorker } from '../../server/results/disclosure-thread.js';
import { composeResultExtras, ExtraRespondentCollector, type ExtraRespondent, type ExtrasInput, type PackedExtraRespondent } from '../../server/results/modules/compose.js';
import { liveWorkers } from '../../server/lib/spawn-worker.js';
import { completeAnswers } from '../helpers/rounds.js';
import { scoreRespondentScale } from '../../scans/scoring/scales.js';

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

describe('the extras respondent collector', () => {
  const packedOf = (rs: ExtraRespondent[]): PackedExtraRespondent[] =>
    rs.map(({ answers, ...r }) => ({ ...r, answerPack: Object.entries(answers).sort(([a], [b]) => (a < b ? -1 : 1)).map(([item, v]) => `${item}:${v ?? ''}`).join(',') }));
  /** Some respondents with too few answers for a scale score, some with none at all. */
  const withGaps = (rs: ExtraRespondent[]) =>
    rs.map((r, i) => (i % 10 === 3 ? { ...r, answers: Object.fromEntries(Object.keys(r.answers).map((id, j) => [id, j % 2 ? null : r.answers[id]!])) } : i % 10 === 7 ? { ...r, answers: {} } : r));
  const expectScores = (collector: ExtraRespondentCollector, rs: ExtraRespondent[]) => {
    const scores = collector.input({ k: 5, instrument: scan, surveyModules: [] }).scaleScores!;
    expect([...scores.keys()]).toEqual(scan.scales.map((s) => s.mechanism));
    let missing = 0;
    for (const s of scan.scales) {
      const of = scores.get(s.mechanism)!;
      expect(of.length).toBe(rs.length);
      rs.forEach((r, i) => {
        const want = scoreRespondentScale(s, r.answers);
        if (want === null) missing++;
        expect(Object.is(of[i], want ?? Number.NaN), `${s.mechanism} of respondent ${i}`).toBe(true);
      });
    }
    expect(missing).toBeGreaterThan(0);
  };

  it('keeps the respondents as read unpacked but their answers, which it scored on arrival', () => {
    const rs = withGaps(respondents(40)).map((r, i) => ({
      ...r,
      background: { ...r.background, role: i % 3 === 0 ? null : 'staff', contract: i % 7 === 0 ? 'flexible' : 'permanent' },
      motivation: (i % 4 === 0 ? {} : { mo_aut1: (i % 5) + 1, mo_com1: i % 6 === 0 ? null : 3 }) as Record<string, number | null>,
      learning: i % 3 === 1 ? 'work' : null,
    }));
    const collector = new ExtraRespondentCollector(scan);
    // Each one a structured clone, as the worker thread gets them: their strings are copies.
    for (const r of packedOf(rs)) collector.add(structuredClone(r));
    const got = collector.respondents;
    got.forEach((r, i) => {
      const { answers: _answers, ...want } = rs[i]!;
      expect({ id: r.id, form: r.form, background: { ...r.background }, motivation: { ...r.motivation }, learning: r.learning, open: { ...r.open } }).toEqual(want);
      expect(Object.keys(r.background).sort()).toEqual(Object.keys(want.background).sort());
      expect(() => r.answers).toThrow(/scored on arrival/);
    });
    expectScores(collector, rs);
    // The empty records are one shared object; a respondent with answers keeps its own.
    const emptyOpen = got.filter((_, i) => Object.keys(rs[i]!.open).length === 0).map((r) => r.open);
    expect(emptyOpen.length).toBeGreaterThan(1);
    expect(new Set(emptyOpen).size).toBe(1);
    expect(Object.isFrozen(emptyOpen[0])).toBe(true);
    expect(got[1]!.open).toEqual({ helps: 'answer 1' });
    // One frozen background object per combination of values and dimensions present.
    const combination = (b: object) => JSON.stringify(Object.entries(b).sort(([x], [y]) => (x < y ? -1 : 1)));
    expect(new Set(got.map((r) => r.background)).size).toBe(new Set(rs.map((r) => combination(r.background))).size);
    expect(new Set(got.map((r) => r.background)).size).toBeLessThan(rs.length);
    expect(got.every((r) => Object.isFrozen(r.background))).toBe(true);
    // The same extras, modules included, as from the respondents unpacked.
    const input = { k: 5, instrument: scan, surveyModules: ['open_questions', 'motivation', 'learning_mix'] };
    expect(JSON.stringify(composeResultExtras(collector.input(input)))).toBe(JSON.stringify(composeResultExtras({ ...input, respondents: rs })));
  });

  it('shares a background only between respondents with the same values: free-text departments, null and absent are told apart', () => {
    const [base] = respondents(1);
    const backgrounds: ExtraRespondent['background'][] = [
      { department: 'a', role: 'b' },
      { department: 'a\u0001b' },
      { department: 'a","b' },
      { department: 'a', role: null },
      { department: 'a' },
      { department: null, role: 'b' },
      { role: 'b' },
      { department: 'a', role: 'b' },
    ];
    const collector = new ExtraRespondentCollector(scan);
    const rs = backgrounds.map((background, i) => ({ ...base!, id: `r${i}`, background }));
    for (const r of packedOf(rs)) collector.add(structuredClone(r));
    const got = collector.respondents;
    got.forEach((r, i) => {
      expect({ ...r.background }, `respondent ${i}`).toEqual(backgrounds[i]);
      expect(Object.keys(r.background).sort()).toEqual(Object.keys(backgrounds[i]!).sort());
    });
    expect(got[7]!.background).toBe(got[0]!.background);
    expect(new Set(got.map((r) => r.background)).size).toBe(7);
  });

  it('scores more respondents than its first columns hold, packed and not, and keeps an unpacked one as it is', () => {
    const rs = withGaps(respondents(2500));
    const collector = new ExtraRespondentCollector(scan);
    const packed = packedOf(rs);
    rs.forEach((r, i) => collector.add(i % 2 ? packed[i]! : r));
    expect(collector.respondents[0]).toBe(rs[0]);
    expect(collector.respondents[1]).not.toBe(rs[1]);
    expectScores(collector, rs);
    const input = { k: 5, instrument: scan, surveyModules: ['open_questions'] };
    expect(JSON.stringify(composeResultExtras(collector.input(input)))).toBe(JSON.stringify(composeResultExtras({ ...input, respondents: rs })));
  });

  it('scores a pack read in place as the answers unpacked: reverse-keyed items, items on no scale, a pack whose order changes, and a value out of range refused', () => {
    const reversed = scan.scales.flatMap((s) => s.items).filter((i) => i.reverse);
    expect(reversed.length).toBeGreaterThan(0);
    const rs = withGaps(respondents(60)).map((r, i) => ({
      ...r,
      // Answers to items on no scale of the instrument count for none (a module's items share the pack's shape).
      answers: { ...r.answers, ...(i % 4 === 0 ? { zz_other: 5, aa_other: null } : {}) },
    }));
    const collector = new ExtraRespondentCollector(scan);
    packedOf(rs).forEach((r, i) => {
      // Every third pack in reverse order: the reader must not assume the last pack's order.
      const pack = i % 3 === 0 && r.answerPack ? r.answerPack.split(',').reverse().join(',') : r.answerPack;
      collector.add({ ...r, answerPack: pack });
    });
    expectScores(collector, rs);
    const [one] = packedOf(respondents(1));
    expect(() => new ExtraRespondentCollector(scan).add({ ...one!, answerPack: `${reversed[0]!.id}:7` })).toThrow(RangeError);
    expect(() => scoreRespondentScale(scan.scales.find((s) => s.items.includes(reversed[0]!))!, { [reversed[0]!.id]: 7 })).toThrow(RangeError);
  });

  it('refuses an input with another instrument, and the extras refuse scores of another number of respondents', () => {
    const collector = new ExtraRespondentCollector(scan);
    for (const r of respondents(3)) collector.add(r);
    expect(() => collector.input({ k: 5, instrument: undefined, surveyModules: [] })).toThrow(/another instrument/);
    const input = collector.input({ k: 5, instrument: scan, surveyModules: [] });
    expect(() => composeResultExtras({ ...input, respondents: respondents(4) })).toThrow(/scale scores of .* for 4 respondents/);
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
