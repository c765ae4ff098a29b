// Perspectives: employees next to management and HR, per scale and item, with the gap between them.
// Only on the unfiltered view; the management side only with at least k management respondents.
import { getPublishedFigure } from '../../../scans/benchmarks/published.js';
import type { BenchmarkSource, MechanismResult, PerspectiveSide, Perspectives } from '../../../scans/result-model.js';
import { benchmarkDelta } from '../../../scans/scoring/benchmark.js';
import type { RoundAggregate } from '../aggregate.js';
import { publishedRef, publishedSource } from './benchmarks.js';
import { mergeSources, type Section, type SectionContext } from './context.js';
import { itemStats, scaleFigures } from './figures.js';

function gapOf(e: PerspectiveSide, m: PerspectiveSide) {
  if (e.suppressed || m.suppressed) return { mean: null, favourable: null };
  return {
    mean: e.score && m.score ? m.score.mean - e.score.mean : null,
    favourable: e.favourable !== null && m.favourable !== null ? m.favourable - e.favourable : null,
  };
}

export function perspectivesSection(ctx: SectionContext, forms: RoundAggregate['forms'] | null, mechanisms: readonly MechanismResult[]): Section<Perspectives> {
  const { instrument, k, filter, employeeVisible } = ctx;
  const managementN = ctx.counts.byForm.management;
  const managementVisible = managementN >= k && !filter;
  const perspectives: Perspectives = { available: managementN > 0 && !filter && !!instrument, mechanisms: [] };
  const sources: BenchmarkSource[] = [];
  if (!perspectives.available || !instrument || !forms) return { part: perspectives, sources };
  for (const scale of instrument.scales) {
    const mech = mechanisms.find((m) => m.mechanismId === scale.mechanism)!;
    const mgmt = managementVisible ? scaleFigures(scale, forms.management, managementN, k) : null;
    const employeeSide: PerspectiveSide = employeeVisible
      ? { suppressed: false, score: mech.score, favourable: mech.favourable, distribution: mech.distribution, published: null, publishedDelta: null }
      : { suppressed: true };
    const managementSide: PerspectiveSide = mgmt
      ? { suppressed: false, score: mgmt.score, favourable: mgmt.favourable, distribution: mgmt.distribution, published: null, publishedDelta: null }
      : { suppressed: true };
    perspectives.mechanisms.push({
      mechanismId: scale.mechanism,
      name: mech.name,
      employee: employeeSide,
      management: managementSide,
      gap: gapOf(employeeSide, managementSide),
      items: scale.items.map((item) => {
        const e = mech.items.find((i) => i.itemId === item.id)!;
        const eSide: PerspectiveSide = employeeVisible
          ? e.suppressed
            ? { suppressed: true }
            : { suppressed: false, score: e.score, favourable: e.favourable, distribution: e.distribution, published: e.published, publishedDelta: e.publishedDelta }
          : { suppressed: true };
        let mSide: PerspectiveSide = { suppressed: true };
        if (managementVisible) {
          const s = itemStats(item, forms.management.items.get(item.id), managementN, k);
          const figure = item.publishedFigureIds?.management ? getPublishedFigure(item.publishedFigureIds.management) : undefined;
          const published = figure ? publishedRef(figure) : null;
          if (published) sources.push(publishedSource(published));
          if (!s.suppressed) {
            mSide = {
              suppressed: false,
              score: s.score,
              favourable: s.favourable,
              distribution: s.distribution,
              published,
              publishedDelta: published ? benchmarkDelta(s.favourable, published.value) : null,
            };
          }
        }
        return {
          itemId: item.id,
          text: {
            employee: { nl: item.text.employee.nl, en: item.text.employee.en },
            management: { nl: item.text.management.nl, en: item.text.management.en },
          },
          reverse: item.reverse,
          employee: eSide,
          management: mSide,
          gap: gapOf(eSide, mSide),
        };
      }),
    });
  }
  return { part: perspectives, sources: mergeSources(sources) };
}
