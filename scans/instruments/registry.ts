// All instruments by id. Each instrument module validates its data with zod when it is loaded, so
// importing the registry fails loudly if any instrument is broken.

import { CULTURE_SCAN_V1 } from './culture-scan-v1.js';
import { CULTURE_SCAN_V2 } from './culture-scan-v2.js';
import { DIALOGUE_MODEL, type DialogueModelInstrument } from './dialogue-model.js';
import { FACTORS } from './factors.js';
import { SME_CHECKLIST } from './sme-checklist.js';
import {
  CultureScanInstrumentSchema,
  DialogueModelInstrumentSchema,
  FactorsInstrumentSchema,
  SmeChecklistInstrumentSchema,
  type CultureScanInstrument,
  type FactorsInstrument,
  type SmeChecklistInstrument,
} from './schemas.js';
import { hasComparableItems, trendComparability, type TrendComparability } from './version-map.js';
import { requirePublishedFigure, type PublishedFigure } from '../benchmarks/published.js';
import type { LocalizedText, Module } from '../types.js';

export type Instrument = CultureScanInstrument | SmeChecklistInstrument | DialogueModelInstrument | FactorsInstrument;

/** The culture scan new rounds use (issue 17: version 2; rounds keep the instrument they were created with). */
export const CURRENT_CULTURE_SCAN = 'culture-scan@2';
export const CURRENT_SME_CHECKLIST = 'sme-checklist@1';
export const CURRENT_DIALOGUE_MODEL = 'dialogue-model@1';
export const CURRENT_FACTORS = 'factors@1';

/** The instrument each module uses for new rounds. */
export const CURRENT_INSTRUMENT_BY_MODULE: Readonly<Record<Module, string>> = {
  culture_scan: CURRENT_CULTURE_SCAN,
  sme_checklist: CURRENT_SME_CHECKLIST,
  dialogue_model: CURRENT_DIALOGUE_MODEL,
  factors: CURRENT_FACTORS,
};

const INSTRUMENTS: readonly Instrument[] = Object.freeze([CULTURE_SCAN_V1, CULTURE_SCAN_V2, SME_CHECKLIST, DIALOGUE_MODEL, FACTORS]);
const BY_ID = new Map<string, Instrument>(INSTRUMENTS.map((i) => [i.id, i]));
if (BY_ID.size !== INSTRUMENTS.length) throw new Error('instrument registry: duplicate instrument id');
for (const id of Object.values(CURRENT_INSTRUMENT_BY_MODULE)) {
  if (!BY_ID.has(id)) throw new Error(`instrument registry: current instrument ${id} is not registered`);
}

/** Every registered instrument, including older versions still needed to read stored rounds. */
export function listInstruments(): readonly Instrument[] {
  return INSTRUMENTS;
}

/** The instrument with this id (e.g. 'culture-scan@1'), or undefined when unknown. */
export function getInstrument(id: string): Instrument | undefined {
  return BY_ID.get(id);
}

export function getCultureScan(id: string = CURRENT_CULTURE_SCAN): CultureScanInstrument | undefined {
  const i = BY_ID.get(id);
  return i?.module === 'culture_scan' ? i : undefined;
}

export function getSmeChecklist(id: string = CURRENT_SME_CHECKLIST): SmeChecklistInstrument | undefined {
  const i = BY_ID.get(id);
  return i?.module === 'sme_checklist' ? i : undefined;
}

export function getDialogueModel(id: string = CURRENT_DIALOGUE_MODEL): DialogueModelInstrument | undefined {
  const i = BY_ID.get(id);
  return i?.module === 'dialogue_model' ? i : undefined;
}

export function getFactors(id: string = CURRENT_FACTORS): FactorsInstrument | undefined {
  const i = BY_ID.get(id);
  return i?.module === 'factors' ? i : undefined;
}

export interface InstrumentSummary {
  id: string;
  module: Module;
  version: number;
  name: LocalizedText;
  description: LocalizedText;
  /** Items (culture scan), practices (checklist), factors, or placements per time frame (dialogue model). */
  itemCount: number;
  current: boolean;
}

/** A short description of an instrument, for lists. */
export function summariseInstrument(instrument: Instrument): InstrumentSummary {
  let itemCount: number;
  switch (instrument.module) {
    case 'culture_scan':
      itemCount = instrument.scales.reduce((n, s) => n + s.items.length, 0);
      break;
    case 'sme_checklist':
      itemCount = instrument.practices.length;
      break;
    case 'dialogue_model':
      itemCount = instrument.timeFrames.length;
      break;
    case 'factors':
      itemCount = instrument.groups.reduce((n, g) => n + g.factors.length, 0);
      break;
  }
  return {
    id: instrument.id,
    module: instrument.module,
    version: instrument.version,
    name: instrument.name,
    description: instrument.description,
    itemCount,
    current: CURRENT_INSTRUMENT_BY_MODULE[instrument.module] === instrument.id,
  };
}

/**
 * Validate any value as an instrument of the given module (for tests, imports and future versions).
 * Returns zod's safeParse result.
 */
export function validateInstrument(module: Module, value: unknown) {
  switch (module) {
    case 'culture_scan':
      return CultureScanInstrumentSchema.safeParse(value);
    case 'sme_checklist':
      return SmeChecklistInstrumentSchema.safeParse(value);
    case 'dialogue_model':
      return DialogueModelInstrumentSchema.safeParse(value);
    case 'factors':
      return FactorsInstrumentSchema.safeParse(value);
  }
}

/** The published figures an instrument refers to (culture-scan items per form, checklist practices), in order. */
export function publishedFiguresOf(instrument: Instrument): PublishedFigure[] {
  const ids: string[] = [];
  if (instrument.module === 'culture_scan') {
    for (const scale of instrument.scales) {
      for (const item of scale.items) {
        if (item.publishedFigureIds?.employee) ids.push(item.publishedFigureIds.employee);
        if (item.publishedFigureIds?.management) ids.push(item.publishedFigureIds.management);
      }
    }
  } else if (instrument.module === 'sme_checklist') {
    for (const practice of instrument.practices) ids.push(practice.publishedFigureId);
  }
  return [...new Set(ids)].map(requirePublishedFigure);
}

/**
 * The culture-scan instruments a round on `instrumentId` can show a trend against: itself, and every
 * other version that shares at least one word-for-word identical item. Empty for an unknown id.
 */
export function trendComparableInstrumentIds(instrumentId: string): string[] {
  const current = getCultureScan(instrumentId);
  if (!current) return [];
  return INSTRUMENTS.filter((i): i is CultureScanInstrument => i.module === 'culture_scan')
    .filter((i) => i.id === current.id || hasComparableItems(i, current))
    .map((i) => i.id);
}

/**
 * What a trend from a round on `previousId` to a round on `currentId` may compare (see
 * version-map.ts), or undefined when either is not a registered culture scan.
 */
export function trendComparabilityOf(previousId: string, currentId: string): TrendComparability | undefined {
  const previous = getCultureScan(previousId);
  const current = getCultureScan(currentId);
  return previous && current ? trendComparability(previous, current) : undefined;
}
