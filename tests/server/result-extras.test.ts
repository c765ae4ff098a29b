// The extra result sections' disclosure, on hand-made respondent sets (pure, no database): the
// differences a reader could take between an extra figure and the main release's figures, or between
// two extra figures, never isolate 1..k-1 respondents; open answers need 10.
import { describe, expect, it } from 'vitest';
import { getCultureScan } from '../../scans/instruments/registry.js';
import { composeResultExtras, type ExtraRespondent } from '../../server/results/modules/compose.js';
import { completeAnswers } from '../helpers/rounds.js';

const scan = getCultureScan('culture-scan@1')!;
let seq = 0;
function emp(background: ExtraRespondent['background'], extra: Partial<ExtraRespondent> = {}): ExtraRespondent {
  seq += 1;
  return { id: `r${seq}`, form: 'employee', background, answers: completeAnswers(seq), motivation: {}, learning: null, open: {}, ...extra };
}
const compose = (respondents: ExtraRespondent[], surveyModules: string[] = []) =>
  composeResultExtras({ k: 5, instrument: scan, surveyModules, respondents });

describe('who learns less under the disclosure rules', () => {
  it('hides "practically trained" when it would reveal a hidden education group by difference', () => {
    // basic 6 (shown in the main release), mbo 2 (hidden there): practically trained (8) minus basic (6) = mbo.
    const rs = [
      ...Array.from({ length: 6 }, () => emp({ education: 'basic' })),
      ...Array.from({ length: 2 }, () => emp({ education: 'mbo' })),
      ...Array.from({ length: 12 }, () => emp({ education: 'hbo_wo' })),
    ];
    const x = compose(rs);
    expect(x.learnsLess.groups.find((g) => g.id === 'practically_trained')!.hidden).toBe(true);
  });

  it('shows it when every difference holds at least k', () => {
    const rs = [
      ...Array.from({ length: 6 }, () => emp({ education: 'basic' })),
      ...Array.from({ length: 6 }, () => emp({ education: 'mbo' })),
      ...Array.from({ length: 12 }, () => emp({ education: 'hbo_wo' })),
    ];
    const g = compose(rs).learnsLess.groups.find((x) => x.id === 'practically_trained')!;
    expect(g).toMatchObject({ hidden: false, group: { n: 12 }, rest: { n: 12 } });
    // The means are the true means of the respondents' scale scores.
    expect(g.group.mechanisms.every((m) => m.mean !== null && m.mean >= 1 && m.mean <= 5)).toBe(true);
  });

  it('hides a group whose rest is under k (all minus the group would give the rest)', () => {
    const rs = [...Array.from({ length: 18 }, () => emp({ tenure: 'over_10' })), ...Array.from({ length: 3 }, () => emp({ tenure: '2_5' }))];
    expect(compose(rs).learnsLess.groups.find((g) => g.id === 'long_tenure')!.hidden).toBe(true);
  });
});

describe('open answers', () => {
  it('need 10 answers per group, with complementary suppression within a dimension', () => {
    const rs = [
      ...Array.from({ length: 11 }, (_, i) => emp({ department: 'A' }, { open: { helps: `a${i}` } })),
      ...Array.from({ length: 12 }, (_, i) => emp({ department: 'B' }, { open: { helps: `b${i}` } })),
      ...Array.from({ length: 4 }, (_, i) => emp({ department: 'C' }, { open: { helps: `c${i}` } })),
    ];
    const x = compose(rs, ['open_questions']);
    const by = Object.fromEntries(x.open.groups.map((g) => [g.group, g]));
    expect(by.all!.prompts![0]!.n).toBe(27);
    expect(by['department:C']!.hidden).toBe(true);
    // C (4) is hidden: showing both A and B would give C's answers as all minus A minus B.
    expect([by['department:A']!.hidden, by['department:B']!.hidden]).toContain(true);
    expect(JSON.stringify(x.open)).not.toMatch(/"r\d+"/);
  });
});

describe('management roles', () => {
  it('shows roles of at least k when the rest of the management form holds 0 or at least k', () => {
    const mgmt = (role: string) => ({ ...emp({ role }), form: 'management' as const });
    const x = compose([...Array.from({ length: 6 }, () => mgmt('hr')), ...Array.from({ length: 7 }, () => mgmt('line_manager'))]);
    expect(x.roles.groups.map((g) => [g.key, g.hidden, g.n])).toEqual([
      ['hr', false, 6],
      ['line_manager', false, 7],
    ]);
    const y = compose([...Array.from({ length: 6 }, () => mgmt('hr')), ...Array.from({ length: 7 }, () => mgmt('line_manager')), mgmt('director')]);
    expect(y.roles.groups.find((g) => g.key === 'director')!.hidden).toBe(true);
    expect(y.roles.groups.filter((g) => !g.hidden)).toHaveLength(1);
  });
});
