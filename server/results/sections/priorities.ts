// Priorities: which mechanisms to work on first, from the mechanisms, perspectives and trend as
// published (recomputed after disclosure and after a comparison refresh, so they never rest on a
// figure the view does not show).
import type { CultureScanInstrument } from '../../../scans/instruments/schemas.js';
import { computePriorities } from '../../../scans/priorities.js';
import type { MechanismResult, Perspectives, ResultModel, TrendResult } from '../../../scans/result-model.js';
import type { Section } from './context.js';

export function prioritiesSection(
  instrument: CultureScanInstrument | undefined,
  parts: { mechanisms: MechanismResult[]; perspectives: Perspectives; trend: TrendResult },
): Section<ResultModel['priorities']> {
  return { part: instrument ? computePriorities({ instrument, ...parts }) : [], sources: [] };
}

/** The view with its priorities recomputed from its own (disclosed) parts. */
export function withPriorities(instrument: CultureScanInstrument | undefined, m: ResultModel): ResultModel {
  return instrument ? { ...m, priorities: prioritiesSection(instrument, m).part } : m;
}
