// Meta: which round, organisation, threshold, filter and benchmark set the view is about.
import { RESULT_MODEL_VERSION, type Localized, type ResultModel } from '../../../scans/result-model.js';
import { groupLabel } from '../labels.js';
import type { BenchmarkSet } from './benchmarks.js';
import { iso, type Section, type SectionContext } from './context.js';

export function metaSection(ctx: SectionContext, benchmark: BenchmarkSet): Section<ResultModel['meta']> {
  const { round, filter, k } = ctx;
  const filterLabel: Localized | null = filter ? groupLabel(filter.dimension, filter.value) : null;
  return {
    part: {
      version: RESULT_MODEL_VERSION,
      round: {
        id: round.id,
        name: round.name,
        instrumentId: round.instrument_id,
        modules: round.modules as ResultModel['meta']['round']['modules'],
        languages: round.languages as ResultModel['meta']['round']['languages'],
        status: round.status,
        opensAt: iso(round.opens_at),
        closesAt: iso(round.closes_at),
        openedAt: iso(round.opened_at),
        closedAt: iso(round.closed_at),
        departments: [...(round.departments ?? [])],
        isDemo: round.is_demo,
      },
      organisation: {
        id: round.organisation_id,
        name: round.organisation_name,
        sector: round.sector,
        sizeClass: round.size_class,
        isDemo: round.organisation_is_demo,
      },
      threshold: k,
      generatedAt: ctx.now.toISOString(),
      isDemo: round.is_demo || round.organisation_is_demo,
      source: 'live',
      rawPurgedAt: null,
      segmentFilter: filter && filterLabel ? { dimension: filter.dimension, value: filter.value, label: filterLabel } : null,
      benchmarkSet: benchmark.set ? { id: benchmark.set.id, name: benchmark.set.name } : null,
    },
    sources: [],
  };
}
