// The instruments a round uses, looked up once per instrument id and kept with the sets the answer
// path needs (item ids, factor ids, background options), so validating a submission does no search.
import {
  BACKGROUND_QUESTIONS,
  CURRENT_INSTRUMENT_BY_MODULE,
  getCultureScan,
  getDialogueModel,
  getFactors,
  getSmeChecklist,
  listInstruments,
  type CultureScanInstrument,
  type DialogueModelInstrument,
  type FactorsInstrument,
  type MechanismId,
  type SmeChecklistInstrument,
} from '../../scans/index.js';

export interface CompiledScan {
  instrument: CultureScanInstrument;
  /** Item ids in questionnaire order (scale by scale). */
  itemIds: readonly string[];
  itemSet: ReadonlySet<string>;
  mechanismOf: ReadonlyMap<string, MechanismId>;
  /** Allowed values per fixed background question (department comes from the round). */
  backgroundOptions: Readonly<Record<'role' | 'education' | 'contract' | 'age_band', ReadonlySet<string>>>;
}

const scans = new Map<string, CompiledScan | null>();

/** The culture scan with this id, compiled; undefined when no such culture-scan instrument exists. */
export function compiledScan(instrumentId: string): CompiledScan | undefined {
  let compiled = scans.get(instrumentId);
  if (compiled === undefined) {
    const instrument = getCultureScan(instrumentId);
    compiled = instrument ? compile(instrument) : null;
    scans.set(instrumentId, compiled);
  }
  return compiled ?? undefined;
}

function compile(instrument: CultureScanInstrument): CompiledScan {
  const itemIds = instrument.scales.flatMap((s) => s.items.map((i) => i.id));
  const mechanismOf = new Map(instrument.scales.flatMap((s) => s.items.map((i) => [i.id, s.mechanism] as const)));
  const fixed = (id: string) => {
    const q = instrument.background.find((b) => b.id === id) ?? BACKGROUND_QUESTIONS.find((b) => b.id === id);
    return new Set(q && q.optionsSource === 'fixed' ? q.options.map((o) => o.value) : []);
  };
  return {
    instrument,
    itemIds,
    itemSet: new Set(itemIds),
    mechanismOf,
    backgroundOptions: {
      role: fixed('role'),
      education: fixed('education'),
      contract: fixed('contract'),
      age_band: fixed('age_band'),
    },
  };
}

/**
 * The culture-scan instrument whose statements are exactly the keys of these answers (every item
 * answered, nothing else), or undefined.
 */
export function cultureScanCoveredBy(answers: Record<string, unknown>): string | undefined {
  const keys = Object.keys(answers);
  for (const i of listInstruments()) {
    if (i.module !== 'culture_scan') continue;
    const c = compiledScan(i.id)!;
    if (c.itemIds.length === keys.length && keys.every((k) => c.itemSet.has(k))) return i.id;
  }
  return undefined;
}

/** The culture scan a round names, or an Error (a stored round always names a registered one). */
export function requireCompiledScan(instrumentId: string): CompiledScan {
  const c = compiledScan(instrumentId);
  if (!c) throw new Error(`round uses unknown instrument ${instrumentId}`);
  return c;
}

// Modules other than the culture scan have one current version; a round uses that one.
export const SME_CHECKLIST: SmeChecklistInstrument = getSmeChecklist(CURRENT_INSTRUMENT_BY_MODULE.sme_checklist)!;
export const FACTORS: FactorsInstrument = getFactors(CURRENT_INSTRUMENT_BY_MODULE.factors)!;
export const DIALOGUE_MODEL: DialogueModelInstrument = getDialogueModel(CURRENT_INSTRUMENT_BY_MODULE.dialogue_model)!;
export const FACTOR_IDS: ReadonlySet<string> = new Set(FACTORS.groups.flatMap((g) => g.factors.map((f) => f.id)));
export const PRACTICE_IDS: ReadonlySet<string> = new Set(SME_CHECKLIST.practices.map((p) => p.id));

/** Employees place current and desired only; staff place past, current and desired. */
export const EMPLOYEE_FRAMES = ['current', 'desired'] as const;
