// The dashboard colours a difference only when it is larger than its uncertainty (scans/differences.ts)
// and says in words when a group is too small to tell. Rendered from hand-made result models.
import { describe, expect, it } from 'vitest';
import { compareIndependentMeans, comparePartWithWhole } from '../../scans/differences.js';
import type { ResultModel, Score } from '../../scans/result-model.js';
import { translator } from '../../server/web/i18n.js';
import { dashboard } from '../../server/web/views/dashboard.js';
import { fixtureResultModel } from '../fixtures/result-model.js';

const render = (model: ResultModel, lang: 'nl' | 'en' = 'nl', previous: ResultModel | null = null) =>
  String(dashboard({ model, lang, t: translator(lang), accent: null, reportsAvailable: false, roundUrl: '/app/rounds/x', previous }));

function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start, id).toBeGreaterThan(-1);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
}

describe('honest differences on the dashboard', () => {
  it('marks heatmap cells only where the group differs from the rest beyond the uncertainty', () => {
    const model = fixtureResultModel();
    const html = section(render(model), 'heatmap');
    let findings = 0;
    let noise = 0;
    for (const dim of model.segments) {
      for (const g of dim.groups) {
        if (g.hidden) continue;
        for (const c of g.mechanisms) {
          const whole = model.mechanisms.find((m) => m.mechanismId === c.mechanismId)!.score;
          if (!c.score || !whole) continue;
          const d = comparePartWithWhole(c.score, whole);
          if (d.verdict === 'higher' || d.verdict === 'lower') findings++;
          else noise++;
        }
      }
    }
    expect(findings + noise).toBeGreaterThan(3);
    const arrows = (html.match(/class="heat-mark"/g) ?? []).length;
    expect(arrows).toBe(findings);
    expect((html.match(/data-verdict="(no_difference|too_small)"/g) ?? []).length).toBe(noise);
    expect(html).toContain('niet van ruis te onderscheiden');
  });

  it('colours the employees-management gap only when it exceeds its Welch interval, with words for small groups', () => {
    const model = fixtureResultModel();
    type Side = { suppressed: false; score: Score | null };
    const p = model.perspectives.mechanisms.find((x) => !x.employee.suppressed && !x.management.suppressed && x.employee.score && x.management.score)!;
    const emp = p.employee as Side;
    const mgmt = p.management as Side;
    // A small management group: the same gap becomes "too small to tell".
    mgmt.score = { ...mgmt.score!, n: 5, sd: 1.1, mean: emp.score!.mean + 0.7 };
    p.gap.mean = 0.7;
    const verdict = compareIndependentMeans(mgmt.score, emp.score!).verdict;
    expect(verdict).toBe('too_small');
    const html = section(render(model), 'perspectives');
    const row = html.slice(html.indexOf(p.name.nl));
    const cell = row.slice(0, row.indexOf('</tr>'));
    expect(cell).toContain('data-verdict="too_small"');
    expect(cell).toContain('(te kleine groep om te duiden)');
    expect(cell).not.toContain('delta-neg');
    expect(cell).not.toContain('delta-pos');
    // A large management group with the same gap is a finding.
    mgmt.score = { ...mgmt.score, n: 80, sd: 0.5 };
    const big = section(render(model, 'en'), 'perspectives');
    const bigRow = big.slice(big.indexOf(p.name.en));
    // A perception gap beyond its uncertainty is marked for attention (never as "good").
    expect(bigRow.slice(0, bigRow.indexOf('</tr>'))).toMatch(/class="delta-neg" title="Clearly higher/);
  });

  it('colours a trend change only against the previous round’s interval', () => {
    const model = fixtureResultModel();
    const m = model.mechanisms.find((x) => x.score && !x.suppressed)!;
    model.trend.previousRound = { id: 'prev', name: 'Voorjaar', closedAt: null };
    model.trend.mechanisms = [{ mechanismId: m.mechanismId, previousMean: m.score!.mean - 0.1, currentMean: m.score!.mean, changeMean: 0.1, previousFavourable: null, currentFavourable: null, changeFavourable: null }];
    const previous = fixtureResultModel();
    const pm = previous.mechanisms.find((x) => x.mechanismId === m.mechanismId)!;
    pm.score = { ...pm.score!, mean: m.score!.mean - 0.1 };
    const noisy = section(render(model, 'nl', previous), 'trend');
    expect(noisy).not.toMatch(/delta-(pos|neg)/);
    expect(noisy).toMatch(/data-verdict="(no_difference|too_small)"/);
    // Without the previous model no interval can be formed: the change is shown uncoloured.
    expect(section(render(model, 'nl', null), 'trend')).not.toMatch(/delta-(pos|neg)/);
    // A big change on big groups is a finding.
    model.trend.mechanisms[0]!.changeMean = 1;
    pm.score = { ...pm.score, mean: m.score!.mean - 1 };
    expect(section(render(model, 'nl', previous), 'trend')).toContain('class="delta-pos"');
  });
});
