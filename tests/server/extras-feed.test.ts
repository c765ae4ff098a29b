// ExtrasFeed (server/results/modules/store.ts): the close hands the extras their respondents from the
// release's answer pass. Rows arrive in the pass's order, in chunks; a build without an answer pass
// says so (the extras then read the respondents themselves); a failed build fails the extras instead
// of leaving them waiting.
import { describe, expect, it } from 'vitest';
import type { ExtrasRow } from '../../server/results/aggregate.js';
import { ExtrasFeed } from '../../server/results/modules/store.js';
import type { PackedExtraRespondent } from '../../server/results/modules/compose.js';

const row = (i: number): ExtrasRow => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  form: 'employee',
  department: 'Zorg',
  role: null,
  education: 'mbo',
  contract: null,
  age_band: '25_34',
  tenure: i % 2 ? 'over_10' : null,
  contract_hours: 'under_16',
  answer_pack: 'a1:3,a2:',
  module_rows: i % 3 ? [['learning', null, 'colleagues'], ['mo_aut1', 4, null]] : null,
  open_rows: i % 4 ? null : [['helps', `tekst ${i}`]],
});

async function drained(feed: ExtrasFeed): Promise<{ result: boolean; got: PackedExtraRespondent[][] }> {
  const got: PackedExtraRespondent[][] = [];
  const result = await feed.drain(async (chunk) => void got.push(chunk));
  return { result, got };
}

describe('ExtrasFeed', () => {
  it('hands on every row as a respondent, in order and in chunks, also rows added while it drains', async () => {
    const feed = new ExtrasFeed();
    for (let i = 0; i < 1500; i++) feed.add(row(i));
    const draining = drained(feed);
    await new Promise((r) => setImmediate(r));
    for (let i = 1500; i < 2600; i++) feed.add(row(i));
    feed.end();
    const { result, got } = await draining;
    expect(result).toBe(true);
    const all = got.flat();
    expect(all.map((r) => r.id)).toEqual(Array.from({ length: 2600 }, (_, i) => row(i).id));
    expect(Math.max(...got.map((c) => c.length))).toBeLessThanOrEqual(1000);
    expect(all[1]).toEqual({
      id: row(1).id,
      form: 'employee',
      background: { department: 'Zorg', role: null, education: 'mbo', contract: null, age_band: '25_34', tenure: 'over_10', contract_hours: 'under_16' },
      answerPack: 'a1:3,a2:',
      motivation: { mo_aut1: 4 },
      learning: 'colleagues',
      open: {},
    });
    expect(all[4]!.open).toEqual({ helps: 'tekst 4' });
    expect(all[0]).toMatchObject({ motivation: {}, learning: null });
    expect(() => feed.add(row(9))).toThrow(/after the feed was ended/);
  });

  it('says when the build made no answer pass, so the extras read their respondents themselves', async () => {
    const feed = new ExtrasFeed();
    const draining = drained(feed);
    feed.unavailable();
    expect(await draining).toEqual({ result: false, got: [] });
  });

  it('fails the extras when the build fails, instead of leaving them waiting', async () => {
    const feed = new ExtrasFeed();
    feed.add(row(1));
    const draining = drained(feed);
    feed.fail(new Error('build failed'));
    await expect(draining).rejects.toThrow('build failed');
  });
});
