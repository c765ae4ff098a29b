// What a respondent reads above each page of statements: a plain title that names the topic, and
// nothing else. The mechanism's name ("Ontwikkelingsgericht leiderschap") and its evaluative
// description belong in reports; shown to respondents they tell them what a "good" answer is, which
// primes answers and inflates a scale's internal consistency. Used for every culture-scan version.

import type { Form, LocalizedText, MechanismId } from '../types.js';

export const RESPONDENT_PAGE_TITLES: Readonly<Record<Form, Readonly<Record<MechanismId, LocalizedText>>>> = Object.freeze({
  employee: Object.freeze({
    self_direction: { nl: 'Over uw eigen ontwikkeling', en: 'About your own development' },
    work_content: { nl: 'Over uw werk', en: 'About your work' },
    room_safety: { nl: 'Over tijd en ruimte om te leren', en: 'About time and room to learn' },
    collaborative_learning: { nl: "Over u en uw collega's", en: 'About you and your colleagues' },
    leadership: { nl: 'Over uw leidinggevende', en: 'About your manager' },
    organisation: { nl: 'Over de organisatie', en: 'About the organisation' },
    external_connection: { nl: 'Over contact buiten de organisatie', en: 'About contact outside the organisation' },
  }),
  management: Object.freeze({
    self_direction: { nl: 'Over de ontwikkeling van medewerkers', en: "About employees' own development" },
    work_content: { nl: 'Over het werk van medewerkers', en: "About employees' work" },
    room_safety: { nl: 'Over tijd en ruimte om te leren', en: 'About time and room to learn' },
    collaborative_learning: { nl: "Over medewerkers en hun collega's", en: 'About employees and their colleagues' },
    leadership: { nl: 'Over de leidinggevenden', en: 'About the managers' },
    organisation: { nl: 'Over de organisatie', en: 'About the organisation' },
    external_connection: { nl: 'Over contact buiten de organisatie', en: 'About contact outside the organisation' },
  }),
});

/** The plain page title of a mechanism's statements for one form. */
export function respondentPageTitle(mechanism: MechanismId, form: Form): LocalizedText {
  return RESPONDENT_PAGE_TITLES[form][mechanism];
}
