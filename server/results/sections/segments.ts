// Segments and the heatmap: the employee figures per visible group of each dimension (unfiltered
// view only). Suppression of the groups is decided on the whole round (partitionDimensions).
import { suppressPartition, type SuppressedGroup } from '../../../scans/anonymity.js';
import { NOT_STATED_KEY, SEGMENT_DIMENSIONS, type MechanismResult, type ResultModel, type SegmentDimension, type SegmentDimensionResult } from '../../../scans/result-model.js';
import type { RoundAggregate } from '../aggregate.js';
import { dimensionOptions, DIMENSION_LABELS, groupLabel } from '../labels.js';
import type { Section, SectionContext } from './context.js';
import { segmentScale } from './figures.js';

/** Suppression of every dimension's partition of the employee respondents. */
export function partitionDimensions(
  byDimension: Record<SegmentDimension, Map<string, number>>,
  departments: readonly string[],
  k: number,
): Record<SegmentDimension, SuppressedGroup[]> {
  const out = {} as Record<SegmentDimension, SuppressedGroup[]>;
  for (const dim of SEGMENT_DIMENSIONS) {
    const counts = byDimension[dim];
    const keys = dimensionOptions(dim, departments);
    for (const key of counts.keys()) if (key !== NOT_STATED_KEY && !keys.includes(key)) keys.push(key);
    if ((counts.get(NOT_STATED_KEY) ?? 0) > 0) keys.push(NOT_STATED_KEY);
    out[dim] = suppressPartition(
      keys.map((key) => ({ key, n: counts.get(key) ?? 0 })),
      k,
    );
  }
  return out;
}

/** A dimension is shown when at least one respondent stated it. */
export function dimensionUsed(groups: readonly SuppressedGroup[]): boolean {
  return groups.some((g) => g.key !== NOT_STATED_KEY && g.n > 0);
}

export function segmentsSection(
  ctx: SectionContext,
  forms: RoundAggregate['forms'] | null,
  mechanisms: readonly MechanismResult[],
): Section<{ segments: SegmentDimensionResult[]; heatmap: ResultModel['heatmap'] }> {
  const segments: SegmentDimensionResult[] = [];
  const rows: ResultModel['heatmap']['rows'] = [];
  const heatmap = { mechanismIds: mechanisms.map((m) => m.mechanismId), rows };
  if (ctx.filter) return { part: { segments, heatmap }, sources: [] };
  for (const dim of SEGMENT_DIMENSIONS) {
    const groups = ctx.partitions[dim];
    if (!dimensionUsed(groups)) continue;
    const result: SegmentDimensionResult = { dimension: dim, label: DIMENSION_LABELS[dim], groups: [] };
    for (const g of groups) {
      const label = groupLabel(dim, g.key);
      if (!g.visible || !ctx.employeeVisible) {
        result.groups.push({ hidden: true, suppressed: true, key: g.key, label });
        rows.push({ dimension: dim, key: g.key, label, hidden: true, suppressed: true, cells: [] });
        continue;
      }
      const byMech = forms?.employee.segments[dim].get(g.key);
      const mechs = mechanisms.map((m) => ({ mechanismId: m.mechanismId, ...segmentScale(byMech?.get(m.mechanismId), ctx.k) }));
      result.groups.push({ hidden: false, suppressed: false, key: g.key, label, n: g.n, mechanisms: mechs });
      rows.push({
        dimension: dim,
        key: g.key,
        label,
        hidden: false,
        suppressed: false,
        cells: mechs.map((c) => {
          const overall = mechanisms.find((m) => m.mechanismId === c.mechanismId)?.score?.mean ?? null;
          return {
            mechanismId: c.mechanismId,
            mean: c.score?.mean ?? null,
            favourable: c.favourable,
            deltaFromOverall: c.score && overall !== null ? c.score.mean - overall : null,
          };
        }),
      });
    }
    segments.push(result);
  }
  return { part: { segments, heatmap }, sources: [] };
}
