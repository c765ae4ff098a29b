// Shared vocabulary of the scans domain: languages, forms, mechanisms, time frames, modules.
// Each union type has a const array beside it so zod schemas and UI loops use the same list.

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export type LocalizedText = { nl: string; en: string };

/** Employee form ("Ik ...") and management/HR form ("Onze medewerkers ..."), item for item. */
export const FORMS = ['employee', 'management'] as const;
export type Form = (typeof FORMS)[number];

/** The seven mechanisms of lifelong learning in organisations, in the order reports show them. */
export const MECHANISM_IDS = [
  'self_direction',
  'work_content',
  'room_safety',
  'collaborative_learning',
  'leadership',
  'organisation',
  'external_connection',
] as const;
export type MechanismId = (typeof MECHANISM_IDS)[number];

/** Dialogue-model placements: a characteristic past period, the current and the desired situation. */
export const TIME_FRAMES = ['past', 'current', 'desired'] as const;
export type TimeFrame = (typeof TIME_FRAMES)[number];

/** Who placed the organisation on the dialogue model. */
export const PLACEMENT_GROUPS = ['director', 'hr', 'consultant', 'employee'] as const;
export type PlacementGroup = (typeof PLACEMENT_GROUPS)[number];

/** The modules a round can include; each has one instrument in the registry. */
export const MODULES = ['culture_scan', 'sme_checklist', 'dialogue_model', 'factors'] as const;
export type Module = (typeof MODULES)[number];

/** Pick the text for one language. */
export function localize(text: LocalizedText, language: Language): string {
  return text[language];
}
