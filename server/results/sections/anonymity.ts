// The anonymity part: the threshold and which notes apply to this view (wording in scans/anonymity-notes.ts).
import { anonymityNotes } from '../../../scans/anonymity-notes.js';
import type { DialogueResult, ResultModel, SegmentDimensionResult } from '../../../scans/result-model.js';
import { DECILES_FROM_OTHERS } from '../../../scans/scoring/benchmark.js';
import { MIN_POOL_OTHERS, MIN_POOL_OTHERS_FOR_MEAN } from '../pool.js';
import type { Section, SectionContext } from './context.js';
import type { Placements } from './dialogue.js';

export function anonymitySection(
  ctx: SectionContext,
  parts: { segments: readonly SegmentDimensionResult[]; dialogue: DialogueResult; placements: Placements; mechanismCount: number },
): Section<ResultModel['anonymity']> {
  const { k, filter, round } = ctx;
  const managementN = ctx.counts.byForm.management;
  const notes = anonymityNotes({
    k,
    anyHidden: parts.segments.some((s) => s.groups.some((g) => g.hidden)),
    anyComplementary: Object.values(ctx.partitions).some((gs) => gs.some((g) => g.reason === 'complementary')),
    employeeVisible: ctx.employeeVisible,
    managementBelowThreshold: managementN > 0 && managementN < k && !filter,
    employeePlacementsAggregated: parts.dialogue.included && parts.placements.employee.length > 0,
    segmentFilter: !!filter,
    poolPercentiles:
      parts.mechanismCount > 0 && !filter ? { decilesFrom: DECILES_FROM_OTHERS, minOthers: MIN_POOL_OTHERS, minOthersForMean: MIN_POOL_OTHERS_FOR_MEAN } : null,
    demo: round.is_demo,
  });
  return { part: { threshold: k, notes }, sources: [] };
}
