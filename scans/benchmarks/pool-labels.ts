// How the platform pool (the mean of other organisations) is named and described in every output.
import type { Localized } from '../result-model.js';

export const POOL_SOURCE_ID = 'pool';
export const POOL_LABEL: Localized = {
  nl: 'Gemiddelde van andere organisaties (Leercultuurscan-benchmark)',
  en: 'Mean of other organisations (Leercultuurscan benchmark)',
};
export const POOL_SOURCE = 'Leercultuurscan platform pool';
export const POOL_POPULATION: Localized = {
  nl: 'Andere organisaties met een afgeronde meting van minstens k medewerkers (meest recente meting per organisatie)',
  en: 'Other organisations with a closed round of at least k employees (most recent round per organisation)',
};
