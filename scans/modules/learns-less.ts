// "Who learns less": the groups the sources name (ROA 2017, Panteia 2019, SCP 2019, as summarised in
// the lifelong-learning research presentation among the seeds) that the background questions can
// identify, and differentiated advice per group. Advice is written in our own words from the sources:
// learning in practice, good onboarding, going to training with two or three colleagues, a bridge
// person (a manager or colleague who "sees something in you"), small steps and career perspective.
import { LEARNS_LESS_GROUPS, type LearnsLessGroupId } from '../instruments/background.js';
import type { LocalizedText } from '../types.js';

export { LEARNS_LESS_GROUPS, learnsLessGroupsOf, type LearnsLessGroupId } from '../instruments/background.js';

/** The background question whose answer decides membership of each group (a skip puts nobody in or out). */
export const LEARNS_LESS_BASIS: Readonly<Record<LearnsLessGroupId, 'education' | 'contract' | 'age_band' | 'tenure' | 'contract_hours'>> = {
  practically_trained: 'education',
  flexible_contract: 'contract',
  aged_55_plus: 'age_band',
  long_tenure: 'tenure',
  small_contract: 'contract_hours',
};

export const LEARNS_LESS_ADVICE: Readonly<Record<LearnsLessGroupId, LocalizedText[]>> = {
  practically_trained: [
    {
      nl: 'Organiseer leren in de praktijk: op de werkplek, met echte taken, in korte stukken in plaats van een klaslokaal.',
      en: 'Organise learning in practice: at the workplace, with real tasks, in short pieces rather than a classroom.',
    },
    {
      nl: 'Laat mensen met twee of drie collega\u2019s tegelijk naar een training gaan, zodat ze elkaar stimuleren.',
      en: 'Let people go to a training with two or three colleagues at a time, so they encourage each other.',
    },
    {
      nl: 'Zorg voor een brugfiguur: een leidinggevende of collega die iemand aanspreekt op wat hij of zij kan, en blijft opvolgen als iemand om ontwikkeling vraagt.',
      en: 'Provide a bridge person: a manager or colleague who points out what someone can do, and keeps following up when someone asks to develop.',
    },
  ],
  flexible_contract: [
    {
      nl: 'Zorg voor een goede inwerkperiode, ook bij een tijdelijk contract: een vast aanspreekpunt en duidelijke eerste leerstappen.',
      en: 'Provide good onboarding, also on a temporary contract: one contact person and clear first learning steps.',
    },
    {
      nl: 'Open het opleidingsaanbod en het budget ook voor flexibele krachten, en vertel hun dat het voor hen geldt.',
      en: 'Open the training offer and budget to flexible workers too, and tell them it applies to them.',
    },
  ],
  aged_55_plus: [
    {
      nl: 'Voer het gesprek over ambities en wat iemand nog wil leren; ga er niet van uit dat ouderen niet meer willen.',
      en: 'Talk about ambitions and what someone still wants to learn; do not assume older workers no longer want to.',
    },
    {
      nl: 'Zet hun ervaring in: laat ervaren medewerkers collega\u2019s begeleiden, en leer zo ook van hen en met hen.',
      en: 'Use their experience: let experienced staff coach colleagues, and so learn from and with them.',
    },
  ],
  long_tenure: [
    {
      nl: 'Breng afwisseling: nieuwe taken, een project met een andere afdeling of een werkbezoek buiten de organisatie.',
      en: 'Bring variety: new tasks, a project with another department, or a work visit outside the organisation.',
    },
    {
      nl: 'Maak loopbaanperspectief zichtbaar in kleine stappen, met voorbeelden van collega\u2019s die doorgroeiden.',
      en: 'Make career perspective visible in small steps, with examples of colleagues who moved on.',
    },
  ],
  small_contract: [
    {
      nl: 'Plan leren binnen de uren dat mensen werken, en in korte stukken, zodat een klein contract geen drempel is.',
      en: 'Plan learning within the hours people work, and in short pieces, so a small contract is no barrier.',
    },
    {
      nl: 'Zorg dat informatie over leren ook mensen bereikt die weinig op het werk zijn.',
      en: 'Make sure information about learning also reaches people who are seldom at work.',
    },
  ],
};

export function learnsLessLabel(id: LearnsLessGroupId): LocalizedText {
  return LEARNS_LESS_GROUPS.find((g) => g.id === id)!.label;
}
