// The anonymity notes a result model carries (Dutch and English prose). Which notes apply is decided
// by the results build (server/results/sections/anonymity.ts); the wording lives here, with the rest
// of the product's user-facing text outside server/.
import type { ResultModel } from './result-model.js';

export interface AnonymityNoteFacts {
  k: number;
  /** A segment group is shown as hidden. */
  anyHidden: boolean;
  /** A larger group was hidden to protect a smaller one. */
  anyComplementary: boolean;
  employeeVisible: boolean;
  /** Management respondents exist but are fewer than k (unfiltered view only). */
  managementBelowThreshold: boolean;
  /** Employee placements on the dialogue model are shown only aggregated. */
  employeePlacementsAggregated: boolean;
  /** The view is restricted to one segment group. */
  segmentFilter: boolean;
  /** Pool percentiles are part of this view (unfiltered, with mechanisms). */
  poolPercentiles: { decilesFrom: number; minOthers: number; minOthersForMean: number } | null;
  demo: boolean;
}

export function anonymityNotes(f: AnonymityNoteFacts): ResultModel['anonymity']['notes'] {
  const { k } = f;
  const notes: ResultModel['anonymity']['notes'] = [
    {
      code: 'threshold',
      text: {
        nl: `Een groep met minder dan ${k} respondenten krijgt geen cijfers. Ook een vraag met minder dan ${k} geldige antwoorden toont geen cijfers.`,
        en: `A group with fewer than ${k} respondents gets no figures. A question with fewer than ${k} valid answers shows no figures either.`,
      },
    },
  ];
  if (f.anyHidden)
    notes.push({
      code: 'groups_hidden',
      text: {
        nl: 'Groepen die als "verborgen" zijn gemarkeerd, zijn te klein om te tonen; hun aantal wordt niet genoemd.',
        en: 'Groups marked "hidden" are too small to show; their size is not stated.',
      },
    });
  if (f.anyComplementary)
    notes.push({
      code: 'complementary_suppression',
      text: {
        nl: 'Om te voorkomen dat een kleine groep via aftrekken kan worden herleid, is ook een grotere groep verborgen.',
        en: 'To prevent a small group from being derived by subtraction, a larger group is hidden as well.',
      },
    });
  if (!f.employeeVisible)
    notes.push({
      code: 'employee_below_threshold',
      text: {
        nl: `Er zijn minder dan ${k} medewerkers die de vragenlijst hebben ingevuld; er worden nog geen uitkomsten getoond.`,
        en: `Fewer than ${k} employees have completed the questionnaire; no results are shown yet.`,
      },
    });
  if (f.managementBelowThreshold)
    notes.push({
      code: 'management_below_threshold',
      text: {
        nl: `Het perspectief van management en HR wordt niet getoond, omdat minder dan ${k} van hen de vragenlijst hebben ingevuld. Hun antwoorden tellen niet mee in de cijfers van medewerkers.`,
        en: `The management and HR perspective is not shown because fewer than ${k} of them completed the questionnaire. Their answers are not part of the employee figures.`,
      },
    });
  if (f.employeePlacementsAggregated)
    notes.push({
      code: 'employee_placements_aggregated',
      text: {
        nl: `Plaatsingen van medewerkers in het dialoogmodel worden alleen als gemiddelde getoond, en alleen bij minstens ${k} plaatsingen.`,
        en: `Employees' placements on the dialogue model are shown only as an average, and only with at least ${k} placements.`,
      },
    });
  if (f.segmentFilter)
    notes.push({
      code: 'segment_filter',
      text: {
        nl: 'Deze uitkomsten gelden voor één groep. Combinaties van groepen worden niet getoond.',
        en: 'These results are for one group. Combinations of groups are not shown.',
      },
    });
  if (f.poolPercentiles) {
    const { decilesFrom, minOthers, minOthersForMean } = f.poolPercentiles;
    notes.push({
      code: 'pool_percentiles',
      text: {
        nl: `De positie ten opzichte van andere organisaties wordt getoond als kwartiel (deciel vanaf ${decilesFrom} organisaties), alleen als de vergelijkingsgroep minstens ${minOthers} organisaties van andere adviesbureaus bevat, elk één keer geteld; het gemiddelde van die organisaties pas vanaf ${minOthersForMean} (afgerond op één decimaal). Cijfers van afzonderlijke organisaties zijn nooit zichtbaar.`,
        en: `The position among other organisations is shown as a quartile (a decile from ${decilesFrom} organisations), only when the comparison group holds at least ${minOthers} organisations of other consultancies, each counted once; the mean of those organisations only from ${minOthersForMean} (rounded to one decimal). No single organisation's figures are ever visible.`,
      },
    });
  }
  if (f.demo)
    notes.push({
      code: 'demo',
      text: { nl: 'Dit zijn demonstratiegegevens (synthetisch), geen echte antwoorden.', en: 'This is demonstration data (synthetic), not real answers.' },
    });
  return notes;
}
