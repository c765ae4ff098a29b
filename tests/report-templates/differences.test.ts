// The PDFs colour a difference with a benchmark only when it is larger than its uncertainty: the same
// +0,3 on the same benchmark is grey for a small, spread group and green for a large, consistent one.
import { describe, expect, it } from 'vitest';
import { buildClientReport, buildDirectorSummary } from '../../report-templates/index.js';
import { themeFor } from '../../report-templates/theme.js';
import type { ResultModel } from '../../scans/result-model.js';
import { fixtureResultModel } from '../fixtures/result-model.js';

const options = { lang: 'nl' as const, branding: { name: 'X', accentColor: '#7a2e5c' }, renderChart: () => ({ text: '' }) };
const theme = themeFor('#7a2e5c');

/** Colours of every table cell whose text is exactly `text`. */
function coloursOf(doc: unknown, text: string): string[] {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.text === text && typeof o.color === 'string') out.push(o.color);
      Object.values(o).forEach(walk);
    }
  };
  walk(doc);
  return out;
}

function withBenchmarkGap(n: number, sd: number): ResultModel {
  const model = fixtureResultModel();
  const m = model.mechanisms.find((x) => x.score && !x.suppressed && x.benchmarks.some((b) => b.metric === 'mean'))!;
  const b = m.benchmarks.find((x) => x.metric === 'mean')!;
  m.score = { ...m.score!, n, sd, mean: 3.7 };
  b.own = 3.7;
  b.value = 3.4;
  b.delta = 0.3;
  // Only this mechanism carries a +0,3 against its benchmark.
  for (const x of model.mechanisms) if (x !== m) for (const c of x.benchmarks) if (c.delta !== null && Math.abs(c.delta - 0.3) < 0.05) c.delta = 0.9;
  return model;
}

describe('honest differences in the reports', () => {
  it('client report: grey for a small spread group, green for a large consistent one', () => {
    const small = coloursOf(buildClientReport(withBenchmarkGap(6, 1.2), options), '+0,3');
    expect(small.length).toBeGreaterThan(0);
    expect(small.every((c) => c === theme.muted)).toBe(true);
    const large = coloursOf(buildClientReport(withBenchmarkGap(400, 0.5), options), '+0,3');
    expect(large).toContain(theme.good);
  });

  it('director summary: the same rule', () => {
    expect(coloursOf(buildDirectorSummary(withBenchmarkGap(6, 1.2), options), '+0,3').every((c) => c === theme.muted)).toBe(true);
    expect(coloursOf(buildDirectorSummary(withBenchmarkGap(400, 0.5), options), '+0,3')).toContain(theme.good);
  });

  it('states the rule under the mechanisms table', () => {
    expect(JSON.stringify(buildClientReport(fixtureResultModel(), options))).toContain('alleen groen of rood als het groter is dan de onzekerheid');
  });
});
