// Rule-based priorities: which mechanisms to work on first, why (in words, Dutch and English), and
// which interventions the evidence suggests. Pure: reads parts of the result model and the instrument.
//
// Rules, per mechanism that has a visible employee score (each rule that fires adds a reason and weight):
//   low_score        score rounded to one decimal < 3.0 (band 'low')        weight 2 + (3 - score)
//   low_favourable   % favourable < 50                                        weight (50 - fav) / 25
//   below_published  an item is >= 10 points below its published figure      weight 1
//   below_custom     the custom benchmark is above us (>= 5 points favourable, >= 0.2 on the mean)  weight 1
//   low_pool_rank    percentile rank in the whole pool < 25                   weight 1
//   perspective_gap  management and employees differ >= 0.5 on the mean     weight 1
//   declined         mean dropped >= 0.2 since the previous round             weight 1
// Every mechanism with a reason is listed, highest weight first (ties: lower score first); the base
// weight (5 - score) / 4 orders mechanisms with the same reasons. When no rule fires anywhere, the
// relatively lowest mechanism is listed with reason 'relative_low', so the conversation has a start.
//
// Interventions per priority come from the catalogue in scans/interventions.ts, ranked by the need of
// the statements they address (% favourable and the gap to a published figure), so two rounds whose
// weakest statements differ get different interventions.

import { citeSource, NATIONAL_COMPARISON_CAVEAT } from './benchmarks/published.js';
import type { CultureScanInstrument } from './instruments/schemas.js';
import { crossCuttingResult, interventionResult, itemFiguresOf, rankInterventions, type ItemFigures } from './interventions.js';
import type { Localized, MechanismResult, Perspectives, Priority, TrendResult } from './result-model.js';
import type { MechanismId } from './types.js';
import { roundTo, scoreBand } from './scoring/scales.js';

export const PRIORITY_THRESHOLDS = {
  lowFavourable: 50,
  belowPublishedPoints: -10,
  belowCustomFavourablePoints: -5,
  belowCustomMeanPoints: -0.2,
  lowPoolRank: 25,
  perspectiveGap: 0.5,
  declined: -0.2,
} as const;

/** Interventions per priority shown in the summary (the priority carries every relevant one). */
export const INTERVENTIONS_PER_PRIORITY = 3;

/** Cross-cutting interventions (scans/interventions.ts) added for a reason. */
const REASON_INTERVENTIONS: Partial<Record<Priority['reasons'][number]['code'], string>> = {
  perspective_gap: 'perspective_dialogue',
  declined: 'review_changes',
};

export interface PrioritiesInput {
  instrument: Pick<CultureScanInstrument, 'scales'>;
  mechanisms: readonly MechanismResult[];
  perspectives?: Perspectives | null;
  trend?: TrendResult | null;
}

function fmt(value: number, decimals: number, lang: 'nl' | 'en'): string {
  const s = roundTo(value, decimals).toFixed(decimals);
  return lang === 'nl' ? s.replace('.', ',') : s;
}

function both(make: (lang: 'nl' | 'en') => string): Localized {
  return { nl: make('nl'), en: make('en') };
}

export function computePriorities(input: PrioritiesInput): Priority[] {
  const T = PRIORITY_THRESHOLDS;
  const candidates: Omit<Priority, 'rank'>[] = [];
  const items = itemFiguresOf(input.mechanisms);
  for (const m of input.mechanisms) {
    if (m.suppressed || !m.score) continue;
    const score = m.score.mean;
    const reasons: Priority['reasons'] = [];
    let weight = (5 - score) / 4;

    if (scoreBand(score) === 'low') {
      weight += 2 + (3 - score);
      reasons.push({
        code: 'low_score',
        value: score,
        text: both((l) =>
          l === 'nl'
            ? `De gemiddelde score is laag: ${fmt(score, 1, l)} op een schaal van 1 tot 5.`
            : `The mean score is low: ${fmt(score, 1, l)} on a scale from 1 to 5.`,
        ),
      });
    }
    if (m.favourable !== null && m.favourable < T.lowFavourable) {
      const fav = m.favourable;
      weight += (T.lowFavourable - fav) / 25;
      reasons.push({
        code: 'low_favourable',
        value: fav,
        text: both((l) =>
          l === 'nl'
            ? `Minder dan de helft van de antwoorden is gunstig (${fmt(fav, 0, l)}% gunstig).`
            : `Fewer than half of the answers are favourable (${fmt(fav, 0, l)}% favourable).`,
        ),
      });
    }
    const published = m.items
      .filter((i) => i.published && i.publishedDelta !== null && i.publishedDelta <= T.belowPublishedPoints)
      .sort((a, b) => (a.publishedDelta as number) - (b.publishedDelta as number))[0];
    if (published?.published) {
      const p = published.published;
      const delta = published.publishedDelta as number;
      weight += 1;
      reasons.push({
        code: 'below_published',
        value: delta,
        text: both((l) =>
          l === 'nl'
            ? `Op "${published.text.nl.replace(/\.$/, '')}" ligt het aandeel gunstig ${fmt(-delta, 0, l)} procentpunt onder het landelijke cijfer van ${fmt(p.value, 0, l)}% (${p.population ? `${p.population.nl.toLowerCase()}; ` : ''}${citeSource(p, l)}). ${NATIONAL_COMPARISON_CAVEAT.nl}`
            : `On "${published.text.en.replace(/\.$/, '')}" the favourable share is ${fmt(-delta, 0, l)} percentage points below the national figure of ${fmt(p.value, 0, l)}% (${p.population ? `${p.population.en.toLowerCase()}; ` : ''}${citeSource(p, l)}). ${NATIONAL_COMPARISON_CAVEAT.en}`,
        ),
      });
    }
    const custom = m.benchmarks.find(
      (b) =>
        b.kind === 'custom' &&
        b.delta !== null &&
        ((b.metric === 'favourable' && b.delta <= T.belowCustomFavourablePoints) || (b.metric === 'mean' && b.delta <= T.belowCustomMeanPoints)),
    );
    if (custom && custom.delta !== null) {
      const delta = custom.delta;
      weight += 1;
      reasons.push({
        code: 'below_custom',
        value: delta,
        text: both((l) => {
          const amount = custom.metric === 'favourable' ? `${fmt(-delta, 0, l)} ${l === 'nl' ? 'procentpunt' : 'percentage points'}` : fmt(-delta, 1, l);
          return l === 'nl'
            ? `De score ligt ${amount} onder de benchmark "${custom.label.nl}" (${citeSource(custom, l)}).`
            : `The score is ${amount} below the benchmark "${custom.label.en}" (${citeSource(custom, l)}).`;
        }),
      });
    }
    const overall = m.percentiles.overall;
    // Only the band is published: "below T" means the whole band lies below it (the lowest quarter).
    if (overall.shown && overall.to <= T.lowPoolRank) {
      weight += 1;
      reasons.push({
        code: 'low_pool_rank',
        value: overall.to,
        text: both((l) =>
          l === 'nl'
            ? `In vergelijking met ${overall.groupSize} andere organisaties hoort de score bij het laagste kwart (percentiel ${fmt(overall.from, 0, l)}–${fmt(overall.to, 0, l)}).`
            : `Compared with ${overall.groupSize} other organisations the score is in the lowest quarter (percentile ${fmt(overall.from, 0, l)}–${fmt(overall.to, 0, l)}).`,
        ),
      });
    }
    const perspective = input.perspectives?.mechanisms.find((p) => p.mechanismId === m.mechanismId);
    if (perspective && perspective.gap.mean !== null && Math.abs(perspective.gap.mean) >= T.perspectiveGap) {
      const gap = perspective.gap.mean;
      weight += 1;
      reasons.push({
        code: 'perspective_gap',
        value: gap,
        text: both((l) =>
          gap > 0
            ? l === 'nl'
              ? `Management en HR zijn positiever dan medewerkers (${fmt(gap, 1, l)} punt hoger): een verschil om samen te bespreken.`
              : `Management and HR are more positive than employees (${fmt(gap, 1, l)} points higher): a difference to discuss together.`
            : l === 'nl'
              ? `Medewerkers zijn positiever dan management en HR (${fmt(-gap, 1, l)} punt hoger): een verschil om samen te bespreken.`
              : `Employees are more positive than management and HR (${fmt(-gap, 1, l)} points higher): a difference to discuss together.`,
        ),
      });
    }
    const trend = input.trend?.mechanisms.find((t) => t.mechanismId === m.mechanismId);
    if (trend && trend.changeMean !== null && trend.changeMean <= T.declined) {
      const change = trend.changeMean;
      weight += 1;
      reasons.push({
        code: 'declined',
        value: change,
        text: both((l) =>
          l === 'nl'
            ? `De score is sinds de vorige meting ${fmt(-change, 1, l)} punt gedaald.`
            : `The score has dropped ${fmt(-change, 1, l)} points since the previous round.`,
        ),
      });
    }
    candidates.push({
      mechanismId: m.mechanismId,
      name: m.name,
      weight,
      score,
      favourable: m.favourable,
      reasons,
      interventions: interventionsFor(m.mechanismId, items, reasons),
    });
  }

  let listed = candidates.filter((c) => c.reasons.length > 0);
  if (listed.length === 0 && candidates.length > 0) {
    const lowest = [...candidates].sort((a, b) => (a.score as number) - (b.score as number))[0]!;
    const score = lowest.score as number;
    lowest.reasons.push({
      code: 'relative_low',
      value: score,
      text: both((l) =>
        l === 'nl'
          ? `Geen mechanisme valt op als zwak; dit mechanisme heeft de laagste score (${fmt(score, 1, l)}) en is een goed startpunt.`
          : `No mechanism stands out as weak; this one has the lowest score (${fmt(score, 1, l)}) and is a good place to start.`,
      ),
    });
    lowest.interventions = interventionsFor(lowest.mechanismId, items, lowest.reasons);
    listed = [lowest];
  }
  listed.sort((a, b) => b.weight - a.weight || (a.score as number) - (b.score as number));
  return listed.map((c, i) => ({ ...c, rank: i + 1 }));
}

/**
 * The priority's interventions: the mechanism's catalogue entries ranked by the need of their target
 * items (scans/interventions.ts), the relevant ones first, filled up to INTERVENTIONS_PER_PRIORITY
 * with the next-ranked ones that have a visible target; then the cross-cutting ones for its reasons.
 */
function interventionsFor(mechanismId: MechanismId, items: ReadonlyMap<string, ItemFigures>, reasons: Priority['reasons']): Priority['interventions'] {
  const ranked = rankInterventions(mechanismId, items);
  const chosen = ranked.filter((r) => r.relevant);
  for (const r of ranked) {
    if (chosen.length >= INTERVENTIONS_PER_PRIORITY) break;
    if (!r.relevant && r.need !== null) chosen.push(r);
  }
  // No statement of the mechanism has a visible figure: nothing to rank by, so the catalogue's first
  // ones, marked as not relevant (need null), rather than no suggestion at all.
  if (chosen.length === 0) chosen.push(...ranked.slice(0, INTERVENTIONS_PER_PRIORITY));
  const out = chosen.map((r) => interventionResult(r, items));
  for (const r of reasons) {
    const extra = REASON_INTERVENTIONS[r.code];
    if (extra && !out.some((o) => o.id === extra)) out.push(crossCuttingResult(extra));
  }
  return out;
}
