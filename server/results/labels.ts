// Labels of segment dimensions and groups as the result model shows them.
import { getBackgroundQuestion, NOT_STATED_LABEL } from '../../scans/instruments/background.js';
import { NOT_STATED_KEY, type Localized, type SegmentDimension } from '../../scans/result-model.js';

export const DIMENSION_LABELS: Readonly<Record<SegmentDimension, Localized>> = {
  department: { nl: 'Afdeling', en: 'Department' },
  role: { nl: 'Rol', en: 'Role' },
  education: { nl: 'Opleidingsniveau', en: 'Education level' },
  contract: { nl: 'Contractvorm', en: 'Contract type' },
  age_band: { nl: 'Leeftijd', en: 'Age' },
};

/** The options a dimension offers in a round, in questionnaire order. */
export function dimensionOptions(dimension: SegmentDimension, departments: readonly string[]): string[] {
  if (dimension === 'department') return [...departments];
  const q = getBackgroundQuestion(dimension);
  return q.optionsSource === 'fixed' ? q.options.map((o) => o.value) : [];
}

export function groupLabel(dimension: SegmentDimension, key: string): Localized {
  if (key === NOT_STATED_KEY) return { ...NOT_STATED_LABEL };
  if (dimension === 'department') return { nl: key, en: key };
  const q = getBackgroundQuestion(dimension);
  const option = q.optionsSource === 'fixed' ? q.options.find((o) => o.value === key) : undefined;
  return option ? { nl: option.label.nl, en: option.label.en } : { nl: key, en: key };
}
