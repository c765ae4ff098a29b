// How the platform pool (the mean of other organisations) is named and described in every output.
import { DEFAULT_K } from '../anonymity.js';
import type { Localized } from '../result-model.js';

export const POOL_SOURCE_ID = 'pool';
export const POOL_LABEL: Localized = {
  nl: 'Gemiddelde van andere organisaties (Leercultuurscan-benchmark)',
  en: 'Mean of other organisations (Leercultuurscan benchmark)',
};
/** The source name in the model and the CSV (the reports and the dashboard print plain words instead). */
export const POOL_SOURCE = 'Leercultuurscan platform pool';
export const POOL_POPULATION: Localized = {
  nl: `Andere organisaties met een afgeronde meting van minstens ${DEFAULT_K} medewerkers (meest recente meting per organisatie)`,
  en: `Other organisations with a closed round of at least ${DEFAULT_K} employees (most recent round per organisation)`,
};
