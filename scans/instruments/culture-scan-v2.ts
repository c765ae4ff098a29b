// The culture scan, version 2: the seven scales of version 1, with the facets the source documents
// name that version 1 left out (say over what one learns, relevance, recognition, career
// perspective, the relationship with one's manager, speaking up, regular moments with colleagues,
// time for reflection, sight of the end result, onboarding, working visits), and the weak items
// rewritten at B1: one idea per item, no negation word (so disagreeing never makes a double
// negative), at most about 15 words. 45 items; employee and management forms item for item.
//
// Item ids: an item whose wording, keying and scale are identical to a version-1 item keeps that id
// (so answers to it can be compared across versions); every other item has an id version 1 never
// used. The map to version 1 is V2_ITEM_ORIGINS below; scans/instruments/version-map.ts turns it into
// what a trend may compare. Frozen like version 1: any change is a new version.
//
// Scale names, descriptions, advice and interventions are the same as version 1's: they describe the
// mechanism, not the items.

import { CULTURE_SCAN_V1 } from './culture-scan-v1.js';
import { CultureScanInstrumentSchema, deepFreeze, type CultureScanInstrument, type ScanItem } from './schemas.js';
import type { LocalizedText, MechanismId } from '../types.js';

export const CULTURE_SCAN_V2_ID = 'culture-scan@2';

type Pair = readonly [nl: string, en: string];

/** Where a version-2 item comes from. */
export type ItemOrigin =
  /** Word for word the version-1 item with the same id (both forms, both languages, same keying). */
  | { kind: 'identical'; v1: string }
  /** A rewrite of a version-1 item: same facet, different wording, so not comparable. */
  | { kind: 'revised'; v1: string; why: string }
  /** A facet version 1 did not cover. */
  | { kind: 'new'; facet: string };

interface NewItemInput {
  id: string;
  reverse?: boolean;
  employee: Pair;
  management: Pair;
  origin: Exclude<ItemOrigin, { kind: 'identical' }>;
}

const lt = ([nl, en]: Pair): LocalizedText => ({ nl, en });

/** A version-1 item taken over unchanged (a deep copy, so the two instruments share no objects). */
function kept(id: string): { item: ScanItem; origin: ItemOrigin } {
  const v1 = CULTURE_SCAN_V1.scales.flatMap((s) => s.items).find((i) => i.id === id);
  if (!v1) throw new Error(`culture-scan@2: no version-1 item ${id}`);
  return { item: structuredClone(v1) as ScanItem, origin: { kind: 'identical', v1: id } };
}

function fresh(mechanism: MechanismId, input: NewItemInput): { item: ScanItem; origin: ItemOrigin } {
  return {
    item: { id: input.id, mechanism, reverse: input.reverse ?? false, text: { employee: lt(input.employee), management: lt(input.management) } },
    origin: input.origin,
  };
}

type Entry = { item: ScanItem; origin: ItemOrigin };

const ITEMS: Readonly<Record<MechanismId, readonly Entry[]>> = {
  self_direction: [
    kept('sd1'),
    kept('sd2'),
    kept('sd3'),
    kept('sd7'),
    fresh('self_direction', {
      id: 'sd8',
      employee: ['Ik durf te zeggen wat ik nodig heb om te leren.', 'I dare to say what I need in order to learn.'],
      management: ['Onze medewerkers durven te zeggen wat ze nodig hebben om te leren.', 'Our employees dare to say what they need in order to learn.'],
      origin: { kind: 'revised', v1: 'sd6', why: 'sd6 mixed not knowing with not saying what one needs, and was reverse-keyed; sd8 asks only about daring to say it, positively' },
    }),
    fresh('self_direction', {
      id: 'sd9',
      employee: ['Ik leer uit mezelf graag nieuwe dingen.', 'I like to learn new things of my own accord.'],
      management: ['Onze medewerkers leren uit zichzelf graag nieuwe dingen.', 'Our employees like to learn new things of their own accord.'],
      origin: { kind: 'revised', v1: 'sd5', why: 'sd5 carried a negation ("ook als niemand daarom vraagt"); sd9 says the same without one' },
    }),
    fresh('self_direction', {
      id: 'sd10',
      employee: ['Ik heb zelf invloed op wat ik leer.', 'I have a say in what I learn.'],
      management: ['Onze medewerkers hebben zelf invloed op wat ze leren.', 'Our employees have a say in what they learn.'],
      origin: { kind: 'new', facet: 'autonomy over what one learns (the motivation documents: choice and influence)' },
    }),
  ],
  work_content: [
    kept('wc1'),
    kept('wc2'),
    kept('wc3'),
    kept('wc4'),
    kept('wc5'),
    fresh('work_content', {
      id: 'wc7',
      employee: ['Ik zie wat mijn werk uiteindelijk oplevert.', 'I can see what my work achieves in the end.'],
      management: ['Onze medewerkers zien wat hun werk uiteindelijk oplevert.', 'Our employees can see what their work achieves in the end.'],
      origin: { kind: 'new', facet: 'sight of the end result of one\'s work (seeing that what one does matters)' },
    }),
  ],
  room_safety: [
    kept('rs1'),
    kept('rs2'),
    fresh('room_safety', {
      id: 'rs7',
      employee: ['Ik krijg werktijd om te leren.', 'I get working time to learn.'],
      management: ['Onze medewerkers krijgen werktijd om te leren.', 'Our employees get working time to learn.'],
      origin: { kind: 'revised', v1: 'rs4', why: 'rs4 read "onder werktijd tijd"; rs7 says it plainly' },
    }),
    fresh('room_safety', {
      id: 'rs8',
      reverse: true,
      employee: ['Door mijn werkdruk schiet leren erbij in.', 'Because of my workload, learning gets pushed aside.'],
      management: ['Door de werkdruk van onze medewerkers schiet leren erbij in.', 'Because of our employees\' workload, learning gets pushed aside.'],
      origin: { kind: 'revised', v1: 'rs5', why: 'rs5 "laat geen ruimte" made disagreeing a double negative; rs8 is reverse-keyed without a negation word' },
    }),
    fresh('room_safety', {
      id: 'rs9',
      employee: ['Ik durf elke vraag te stellen, ook een simpele.', 'I dare to ask any question, even a simple one.'],
      management: ['Onze medewerkers durven elke vraag te stellen, ook een simpele.', 'Our employees dare to ask any question, even a simple one.'],
      origin: { kind: 'revised', v1: 'rs6', why: 'rs6 used "naïef", above B1' },
    }),
    fresh('room_safety', {
      id: 'rs10',
      employee: ['In mijn team durf ik een andere mening te geven.', 'In my team, I dare to give a different opinion.'],
      management: ['In hun team durven onze medewerkers een andere mening te geven.', 'In their team, our employees dare to give a different opinion.'],
      origin: { kind: 'new', facet: 'speaking up (psychological safety)' },
    }),
    fresh('room_safety', {
      id: 'rs11',
      employee: ['Na een klus of project krijg ik tijd om erop terug te kijken.', 'After a job or project, I get time to look back on it.'],
      management: ['Na een klus of project krijgen onze medewerkers tijd om erop terug te kijken.', 'After a job or project, our employees get time to look back on it.'],
      origin: { kind: 'new', facet: 'time for reflection at work' },
    }),
  ],
  collaborative_learning: [
    kept('cl1'),
    kept('cl2'),
    kept('cl5'),
    fresh('collaborative_learning', {
      id: 'cl7',
      employee: ['Ik leer van collega\'s uit andere teams of vakgebieden.', 'I learn from colleagues in other teams or fields.'],
      management: ['Onze medewerkers leren van collega\'s uit andere teams of vakgebieden.', 'Our employees learn from colleagues in other teams or fields.'],
      origin: { kind: 'revised', v1: 'cl4', why: 'cl4 asked two things (working together and learning); cl7 asks only about learning from other teams' },
    }),
    fresh('collaborative_learning', {
      id: 'cl8',
      reverse: true,
      employee: ['In mijn team werkt iedereen vooral voor zichzelf.', 'In my team, everyone mostly works on their own.'],
      management: ['Onze medewerkers werken vooral ieder voor zich.', 'Our employees mostly each work on their own.'],
      origin: { kind: 'revised', v1: 'cl6', why: 'the English of cl6 ("on their own island") was a literal Dutch idiom' },
    }),
    fresh('collaborative_learning', {
      id: 'cl9',
      employee: ['Er zijn vaste momenten waarop ik met collega\'s over het werk praat.', 'There are set times when I talk with colleagues about the work.'],
      management: ['Er zijn vaste momenten waarop onze medewerkers met collega\'s over het werk praten.', 'There are set times when our employees talk with colleagues about the work.'],
      origin: { kind: 'new', facet: 'regular moments where colleagues meet' },
    }),
    fresh('collaborative_learning', {
      id: 'cl10',
      employee: ['Nieuwe collega\'s krijgen hier goede hulp bij het inwerken.', 'New colleagues here get good help in learning the job.'],
      management: ['Nieuwe medewerkers krijgen bij ons goede hulp bij het inwerken.', 'New employees here get good help in learning the job.'],
      origin: { kind: 'new', facet: 'onboarding (good onboarding, a buddy)' },
    }),
  ],
  leadership: [
    kept('ld1'),
    kept('ld3'),
    kept('ld4'),
    fresh('leadership', {
      id: 'ld10',
      employee: ['Mijn leidinggevende helpt me om wat ik leer te gebruiken in mijn werk.', 'My manager helps me use what I learn in my work.'],
      management: ['Onze medewerkers krijgen hulp van hun leidinggevende om wat ze leren te gebruiken.', 'Our employees get help from their manager to use what they learn in their work.'],
      origin: { kind: 'revised', v1: 'ld6', why: 'the management form of ld6 had 18 words; ld10 asks the same in plainer, shorter words' },
    }),
    fresh('leadership', {
      id: 'ld8',
      employee: ['Mijn leidinggevende vraagt naar mijn ideeën.', 'My manager asks for my ideas.'],
      management: ['Onze medewerkers worden door hun leidinggevende naar hun ideeën gevraagd.', 'Our employees are asked for their ideas by their manager.'],
      origin: { kind: 'revised', v1: 'ld7', why: 'ld7 "vraagt zelden" made disagreeing a double negative; ld8 is positive' },
    }),
    fresh('leadership', {
      id: 'ld9',
      employee: ['Mijn leidinggevende gelooft in wat ik kan.', 'My manager believes in what I can do.'],
      management: ['Onze medewerkers merken dat hun leidinggevende gelooft in wat ze kunnen.', 'Our employees notice that their manager believes in what they can do.'],
      origin: { kind: 'new', facet: 'the relationship with one\'s manager ("ziet wat in me")' },
    }),
  ],
  organisation: [
    kept('org1'),
    kept('org3'),
    kept('org5'),
    fresh('organisation', {
      id: 'org6',
      employee: ['Ik weet bij wie ik terecht kan voor een opleiding.', 'I know who to turn to for training.'],
      management: ['Onze medewerkers weten bij wie ze terecht kunnen voor een opleiding.', 'Our employees know who to turn to for training.'],
      origin: { kind: 'revised', v1: 'org2', why: 'org2 asked about training and a budget at once; org6 asks only where to go for training' },
    }),
    fresh('organisation', {
      id: 'org7',
      employee: ['Ik zie hier kansen voor een volgende stap in mijn loopbaan.', 'I see chances here for a next step in my career.'],
      management: ['Onze medewerkers zien hier kansen voor een volgende stap in hun loopbaan.', 'Our employees see chances here for a next step in their career.'],
      origin: { kind: 'new', facet: 'career perspective and internal mobility' },
    }),
    fresh('organisation', {
      id: 'org8',
      employee: ['Als ik iets nieuws leer, wordt dat hier gewaardeerd.', 'When I learn something new, it is valued here.'],
      management: ['Als onze medewerkers iets nieuws leren, wordt dat gewaardeerd.', 'When our employees learn something new, it is valued.'],
      origin: { kind: 'new', facet: 'recognition of learning' },
    }),
    fresh('organisation', {
      id: 'org9',
      employee: ['De opleidingen die ik hier kan volgen, passen bij mijn werk.', 'The training I can take here fits my work.'],
      management: ['De opleidingen die onze medewerkers kunnen volgen, passen bij hun werk.', 'The training our employees can take fits their work.'],
      origin: { kind: 'new', facet: 'whether learning feels relevant (the motivation documents)' },
    }),
  ],
  external_connection: [
    fresh('external_connection', {
      id: 'ext9',
      employee: ['Ik houd bij wat er nieuw is in mijn vakgebied.', 'I keep up with what is new in my field.'],
      management: ['Onze medewerkers houden bij wat er nieuw is in hun vakgebied.', 'Our employees keep up with what is new in their field.'],
      origin: { kind: 'revised', v1: 'ext1', why: 'ext1 had 17-18 words in English with a list of examples; ext9 keeps the idea without the list' },
    }),
    kept('ext2'),
    fresh('external_connection', {
      id: 'ext6',
      employee: ['Ik wissel kennis uit met mensen van andere organisaties.', 'I exchange knowledge with people from other organisations.'],
      management: ['Onze medewerkers wisselen kennis uit met mensen van andere organisaties.', 'Our employees exchange knowledge with people from other organisations.'],
      origin: { kind: 'revised', v1: 'ext3', why: 'ext3 had 22 words and "community of practice", far above B1' },
    }),
    fresh('external_connection', {
      id: 'ext7',
      employee: ['Ik gebruik nieuwe kennis uit onderwijs of onderzoek in mijn werk.', 'I use new knowledge from education or research in my work.'],
      management: ['Onze medewerkers gebruiken nieuwe kennis uit onderwijs of onderzoek in hun werk.', 'Our employees use new knowledge from education or research in their work.'],
      origin: { kind: 'revised', v1: 'ext4', why: 'ext4 was 16 words with an inserted clause; ext7 is shorter and names one source of knowledge' },
    }),
    fresh('external_connection', {
      id: 'ext8',
      employee: ['Ik kan op werkbezoek bij andere organisaties.', 'I can go on working visits to other organisations.'],
      management: ['Onze medewerkers kunnen op werkbezoek bij andere organisaties.', 'Our employees can go on working visits to other organisations.'],
      origin: { kind: 'new', facet: 'working visits and mobility' },
    }),
  ],
};

/**
 * Version-1 items version 2 no longer asks, and why. A trend on these stops at the last version-1
 * round.
 */
export const V1_ITEMS_DROPPED: Readonly<Record<string, string>> = Object.freeze({
  sd4: 'aspirations: kept out to make room for say over learning; org7 (career perspective) asks about the future at work',
  wc6: 'tasks outside one\'s own job: 17 words; variety stays measured by wc1 and mobility by org7',
  rs3: 'hiding mistakes: overlaps rs2 (mistakes as learning); the reverse-keyed item of the scale is now rs8',
  cl3: 'improvement projects: an activity many practically trained staff never get the offer of; it stays an intervention',
  ld2: 'why learning matters: close to org1 (knowing the vision); the slot went to ld9 (the relationship)',
  ld5: 'time and budget from the manager: time is asked by rs7, budget is on the SME checklist',
  org4: 'agreements kept: a follow-up of org3 that respondents without a conversation cannot answer',
  ext5: 'looking beyond one\'s own organisation for ideas: a negation under disagreement; ext6 and ext7 cover the facet',
});

/** For every version-2 item: where it comes from (identical to, revised from, or new). */
export const V2_ITEM_ORIGINS: Readonly<Record<string, ItemOrigin>> = deepFreeze(
  Object.fromEntries(Object.values(ITEMS).flatMap((entries) => entries.map((e) => [e.item.id, e.origin]))),
);

const DATA: CultureScanInstrument = {
  id: CULTURE_SCAN_V2_ID,
  module: 'culture_scan',
  version: 2,
  name: { nl: 'Leercultuurscan (versie 2)', en: 'Learning culture scan (version 2)' },
  description: {
    nl: 'Vragenlijst over de zeven mechanismen die leven lang ontwikkelen in organisaties bepalen, in eenvoudige taal (B1). Medewerkers vullen de medewerkerversie in, management en HR de parallelle organisatieversie. 21 van de 45 uitspraken zijn gelijk aan versie 1, zodat de trend op die uitspraken doorloopt.',
    en: 'Questionnaire on the seven mechanisms that drive lifelong learning in organisations, in plain language (B1). Employees answer the employee form, management and HR the parallel organisation form. 21 of the 45 statements are the same as in version 1, so the trend on those statements continues.',
  },
  instructions: structuredClone(CULTURE_SCAN_V1.instructions) as CultureScanInstrument['instructions'],
  answerOptions: structuredClone(CULTURE_SCAN_V1.answerOptions) as CultureScanInstrument['answerOptions'],
  dontKnowOption: structuredClone(CULTURE_SCAN_V1.dontKnowOption) as CultureScanInstrument['dontKnowOption'],
  scales: CULTURE_SCAN_V1.scales.map((scale) => ({
    ...(structuredClone(scale) as typeof scale),
    items: ITEMS[scale.mechanism].map((e) => e.item),
  })),
  background: structuredClone(CULTURE_SCAN_V1.background) as CultureScanInstrument['background'],
};

/** The culture scan, version 2, validated at module load and frozen. */
export const CULTURE_SCAN_V2: CultureScanInstrument = deepFreeze(CultureScanInstrumentSchema.parse(DATA));
