// How much of the demo round the disclosure rules withhold: every figure a reader could have been
// shown (every statistic of every view, the unfiltered model and each group filter) against what the
// release publishes, by the rule that withheld it; and the response tracking of the demo round. The
// numbers are printed (DEMO_DISCLOSURE_LOG=1) for the methodology note and the issue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figureSlots } from '../../scans/disclosure/model.js';
import { DEMO_ROUND_NAME } from '../../server/demo/demo-round.js';
import { seedDemo } from '../../server/demo/seed.js';
import { composeRelease } from '../../server/results/build.js';
import { responseRates } from '../../server/rounds/response-rates.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let roundId: string;

beforeAll(async () => {
  // The database with the demo seeded (once per run); seedDemo then only finds it there.
  t = await setupTestApp({}, { demo: true });
  await seedDemo(t.db);
  roundId = (await t.db.selectFrom('rounds').select('id').where('name', '=', DEMO_ROUND_NAME).executeTakeFirstOrThrow()).id;
}, 120_000);
afterAll(async () => t?.close());

describe('the demo round under the disclosure rules', () => {
  it('publishes no figure under k, and counts what the rules withhold', async () => {
    const release = await composeRelease(t.db, roundId, {}, []);
    const views = [release.main, ...Object.values(release.segments)];
    const published = new Set<string>();
    for (const v of views) for (const s of figureSlots(v)) if (s.n !== null) published.add(`${s.statistic}@${s.group}`);
    for (const v of views) for (const s of figureSlots(v)) if (s.n !== null) expect(s.n === 0 || s.n >= release.main.meta.threshold, `${s.statistic}@${s.group}`).toBe(true);
    const byReason: Record<string, number> = {};
    for (const reason of release.suppressed.values()) byReason[reason] = (byReason[reason] ?? 0) + 1;
    // "absent": figures of groups that have no view at all (no output could show them); the others
    // are figures an output would have shown without the rules.
    const withheld = [...release.suppressed.values()].filter((r) => r !== 'absent').length;
    const round = await t.db.selectFrom('rounds').select(['id', 'departments', 'anonymity_threshold']).where('id', '=', roundId).executeTakeFirstOrThrow();
    const rates = await responseRates(t.db, { ...round, departments: round.departments ?? [] });
    const segs = [rates.total, ...rates.forms.flatMap((f) => [...f.segments, f.total])];
    const hiddenCounts = segs.reduce((n, s) => n + s.suppressed.length, 0);
    if (process.env.DEMO_DISCLOSURE_LOG) {
      console.log(JSON.stringify({ published: published.size, withheld, byReason, views: views.length, tracking: { segments: segs.length, hiddenCounts } }));
    }
    expect(published.size).toBeGreaterThan(0);
    // The demo data is made to show every section: most of it stays published.
    expect(withheld).toBeLessThan(published.size);
  }, 120_000);

  it('shows the same response counts on the round page (tracking) as in its results (issue 14 item 7)', async () => {
    const model = (await composeRelease(t.db, roundId, {}, [])).main;
    const round = await t.db.selectFrom('rounds').select(['id', 'departments', 'anonymity_threshold']).where('id', '=', roundId).executeTakeFirstOrThrow();
    const rates = await responseRates(t.db, { ...round, departments: round.departments ?? [] });
    let compared = 0;
    for (const f of model.response.perForm) {
      const tracked = rates.forms.find((x) => x.form === f.form)?.total;
      expect(tracked, f.form).toBeDefined();
      // Both sides count the same submitted respondents of the form, or both withhold the count.
      expect(tracked!.submitted, `${f.form} submitted`).toBe(f.submitted);
      if (f.submitted !== null) compared++;
      for (const v of [tracked!.submitted, tracked!.started, tracked!.invited]) if (v !== null) expect(v === 0 || v >= model.meta.threshold).toBe(true);
      if (tracked!.rate !== null) expect(tracked!.rate).toBeLessThanOrEqual(100);
    }
    expect(rates.total.submitted).toBe(model.response.submitted);
    expect(compared).toBeGreaterThan(0);
  }, 120_000);
});
