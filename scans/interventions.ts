// The interventions catalogue: what an organisation can do about a weak mechanism, as data. Each
// intervention names the statements (items) it addresses, the source it rests on (named as in the
// research the scan is built on), a first step HR can take this month, who owns it, and the
// statement to watch in the next round. Texts are our own words. Pure data plus ranking functions.
//
// Ranking (rankInterventions): an intervention's need is the weighted mean, over its target items
// that have a visible % favourable, of
//     deficit(item) = (100 - % favourable) + max(0, published share - % favourable)
// with weight 1 for its first (primary) target and 0.5 for the others. So an intervention rises when
// the statements it addresses are answered unfavourably, and more so when they fall short of a
// published figure. Hidden (suppressed) items carry no figure and are left out; an intervention with
// no visible target has no need (null) and ranks last. Ties keep catalogue order.
// An intervention is `relevant` when its need is at least RELEVANT_NEED (on average 40 points short of
// "everyone favourable", i.e. 60% favourable or less, or a comparable gap to a published figure).

import { z } from 'zod';
import { V2_ITEM_ORIGINS } from './instruments/culture-scan-v2.js';
import { deepFreeze } from './instruments/schemas.js';
import type { InterventionResult } from './result-model.js';
import { MECHANISM_IDS, type LocalizedText, type MechanismId } from './types.js';

export const INTERVENTION_OWNERS = ['hr', 'manager', 'team'] as const;
export type InterventionOwner = (typeof INTERVENTION_OWNERS)[number];

export const OWNER_LABELS: Readonly<Record<InterventionOwner, LocalizedText>> = deepFreeze({
  hr: { nl: 'HR', en: 'HR' },
  manager: { nl: 'Leidinggevende', en: 'Manager' },
  team: { nl: 'Team', en: 'Team' },
});

/** Weighted-mean need at or above which an intervention counts as relevant for the round. */
export const RELEVANT_NEED = 40;
export const PRIMARY_WEIGHT = 1;
export const SECONDARY_WEIGHT = 0.5;

const localized = z.object({ nl: z.string().trim().min(1), en: z.string().trim().min(1) });
const itemId = z.string().regex(/^[a-z]+[0-9]+$/);

export const InterventionDefSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** Mechanisms under which it is offered; empty for the cross-cutting ones attached to a reason. */
  mechanisms: z.array(z.enum(MECHANISM_IDS)),
  /** Items it addresses; the first is the primary target. Empty only for cross-cutting ones. */
  targets: z.array(itemId),
  text: localized,
  /** The research or practice it rests on, named as in the source documents. */
  source: z.string().trim().min(3),
  /** Something HR can start this month. */
  firstStep: localized,
  owner: z.enum(INTERVENTION_OWNERS),
  /** The statement to watch in the next round; null for cross-cutting ones. */
  watchItem: itemId.nullable(),
});
export type InterventionDef = z.infer<typeof InterventionDefSchema>;

type Row = [
  id: string,
  mechanisms: MechanismId[],
  targets: string[],
  owner: InterventionOwner,
  source: string,
  text: [nl: string, en: string],
  firstStep: [nl: string, en: string],
];

const EMPLOYEES_RECOMMEND = 'Aanbevelingen van medewerkers, onderzoek gemeentelijke buitendienst (Ockham IPS, NRO 2022-2026)';

const ROWS: Row[] = [
  // --- self-direction and learning potential ---------------------------------------------------
  [
    'personal_learning_goals', ['self_direction'], ['sd1', 'sd4'], 'manager', 'Deci & Ryan (2000), zelfdeterminatietheorie; Broek et al. (2023)',
    ['Medewerkers kiezen zelf één leerdoel en bespreken de voortgang in het gewone werkgesprek', 'Employees choose one learning goal of their own and discuss progress in the regular work conversation'],
    ['Vraag leidinggevenden om in hun eerstvolgende werkgesprekken iedere medewerker één eigen leerdoel te laten noemen en dat kort vast te leggen.', 'Ask managers to have every employee name one learning goal of their own in their next work conversations, and to note it down briefly.'],
  ],
  [
    'reflection_questions', ['self_direction'], ['sd3', 'sd5'], 'team', 'Ockham IPS, zes tips om leren te bevorderen ("wat heb je de laatste maand geleerd?")',
    ['Een vaste vraag in het werkoverleg: wat heb je de afgelopen maand in je werk geleerd?', 'A standing question in team meetings: what did you learn in your work over the past month?'],
    ['Zet de vraag "wat heb je deze maand geleerd?" als vast agendapunt van vijf minuten op het eerstvolgende werkoverleg van elk team.', 'Put "what did you learn this month?" on the next team meeting of every team as a standing five-minute item.'],
  ],
  [
    'career_conversations', ['self_direction'], ['sd4', 'sd7'], 'hr', `${EMPLOYEES_RECOMMEND}: bied loopbaanperspectief`,
    ['Gesprekken over ambitie en loopbaan, zo nodig met een loopbaanadviseur, met voorbeelden van collega\'s die zijn doorgegroeid', 'Conversations about ambition and career, with a career adviser where needed, and examples of colleagues who moved on'],
    ['Maak een lijst van drie collega\'s die de afgelopen jaren zijn doorgegroeid en vraag of zij hun verhaal willen delen; plan een eerste loopbaanspreekuur.', 'List three colleagues who moved on in recent years and ask whether they will share their story; schedule a first career consultation hour.'],
  ],
  [
    'small_learning_steps', ['self_direction'], ['sd2', 'sd5'], 'manager', `Kolkhuis Tanke (2023); ${EMPLOYEES_RECOMMEND}: faciliteer kleine stapjes`,
    ['Kleine, praktische leerstappen in het eigen werk, zodat een eerste succes vertrouwen geeft in het eigen leervermogen', 'Small, practical learning steps in one\'s own work, so that an early success builds confidence in one\'s ability to learn'],
    ['Vraag elke leidinggevende één taak te noemen die een medewerker deze maand voor het eerst mag doen, met een collega erbij.', 'Ask every manager to name one task an employee may do for the first time this month, with a colleague alongside.'],
  ],
  [
    'choice_in_learning', ['self_direction'], ['sd5', 'sd1'], 'hr', 'Deci & Ryan (2000): autonomie, competentie en verbondenheid',
    ['Keuze in hoe mensen leren: in het werk, online, klassikaal of samen met collega\'s', 'Choice in how people learn: on the job, online, in a classroom or together with colleagues'],
    ['Zet het huidige leeraanbod op één pagina, ingedeeld naar manier van leren, en vraag één team welke vorm ontbreekt.', 'Put the current learning offer on one page, grouped by way of learning, and ask one team which form is missing.'],
  ],
  [
    'listen_to_needs', ['self_direction'], ['sd6', 'sd3'], 'manager', `${EMPLOYEES_RECOMMEND}: ga het gesprek aan en luister naar individuele behoeften`,
    ['Leidinggevenden vragen actief naar wat iemand nodig heeft om te leren, en komen terug op wat ze gehoord hebben', 'Managers actively ask what someone needs in order to learn, and come back to what they heard'],
    ['Geef leidinggevenden drie open vragen over leerbehoeften mee voor hun volgende een-op-een, en vraag ze na een maand wat ze ermee gedaan hebben.', 'Give managers three open questions about learning needs for their next one-to-one, and ask them a month later what they did with the answers.'],
  ],

  // --- content of work -------------------------------------------------------------------------
  [
    'job_crafting', ['work_content'], ['wc4', 'wc2'], 'team', 'Jobcrafting (Barzin, Vîrgă & Rusu, 2021)',
    ['Jobcrafting: medewerkers passen hun taken, contacten en aanpak aan bij hun sterke kanten en interesses', 'Job crafting: employees fit their tasks, contacts and approach to their strengths and interests'],
    ['Plan met één team een werksessie van een uur waarin ieder één taak kiest die hij anders wil inrichten, en spreek een evaluatiedatum af.', 'Hold a one-hour session with one team in which everyone picks one task to reshape, and agree a date to review it.'],
  ],
  [
    'task_rotation', ['work_content'], ['wc1', 'wc6'], 'manager', 'Interventies om inhoud van werk te bevorderen: taakroulatie, taakverrijking, taakverbreding',
    ['Taakroulatie en taakverrijking binnen of tussen teams, zodat mensen nieuwe taken en rollen tegenkomen', 'Task rotation and task enrichment within or between teams, so that people meet new tasks and roles'],
    ['Inventariseer met twee leidinggevenden welke taken zich lenen om te rouleren, en laat de eerste wissel volgende maand ingaan.', 'Identify with two managers which tasks lend themselves to rotation, and let the first swap start next month.'],
  ],
  [
    'task_redesign', ['work_content'], ['wc2', 'wc5'], 'manager', 'Taakherontwerp (Knight & Parker, 2021)',
    ['Taakherontwerp dat teams meer zeggenschap geeft over planning en aanpak, en routinewerk vermindert', 'Task redesign that gives teams more say over planning and approach, and reduces routine work'],
    ['Kies één werkproces dat sterk is voorgeschreven en vraag het team welke twee beslissingen het zelf zou kunnen nemen.', 'Pick one tightly prescribed work process and ask the team which two decisions it could take itself.'],
  ],
  [
    'workload_balance', ['work_content', 'room_safety'], ['rs5', 'wc3'], 'manager', 'Werkdrukinterventies (Salanova & Rodriguez-Sanchez, 2011)',
    ['Werkdruk in balans: taakeisen en mogelijkheden zo op elkaar afstemmen dat er ruimte overblijft om te leren', 'Balanced workload: align job demands and resources so that there is room left to learn'],
    ['Bespreek in één team waar de werkdruk het leren het meest verdringt, en spreek één taak af die tijdelijk vervalt of wordt verdeeld.', 'Discuss with one team where workload crowds out learning most, and agree one task that is dropped or shared for a while.'],
  ],
  [
    'reflection_time', ['work_content', 'room_safety'], ['wc3', 'sd3'], 'team', 'Reflectietijd inbouwen (Habermehl et al., 2017; Dhondt et al., 2017)',
    ['Ingebouwde reflectietijd na projecten of drukke periodes: wat werkte, wat doen we anders?', 'Built-in reflection time after projects or busy periods: what worked, what will we do differently?'],
    ['Reserveer na het eerstvolgende afgeronde project of drukke periode een half uur met het team om terug te kijken.', 'Reserve half an hour with the team after the next finished project or busy period to look back.'],
  ],

  // --- room and safety -------------------------------------------------------------------------
  [
    'learning_from_mistakes', ['room_safety'], ['rs2', 'rs3'], 'manager', 'Fouten behandelen als leerervaring (Garvin et al., 2008; Sander et al., 2011)',
    ['Vaste momenten om van fouten te leren, waarin leidinggevenden als eersten een eigen fout delen', 'Regular moments to learn from mistakes, in which managers are the first to share a mistake of their own'],
    ['Vraag een leidinggevende om in het volgende werkoverleg een eigen fout van de afgelopen maand te vertellen en wat hij ervan leerde.', 'Ask one manager to tell, in the next team meeting, about a mistake of their own from the past month and what they learned.'],
  ],
  [
    'safe_experiments', ['room_safety'], ['rs1', 'wc3'], 'team', 'Experimenteren en risico nemen stimuleren (Karasek & Theorell, 1990; Borgatti & Cross, 2013)',
    ['Kleine experimenten met een afgesproken evaluatiemoment, die mogen mislukken', 'Small experiments with an agreed review moment, which are allowed to fail'],
    ['Laat één team een nieuwe werkwijze kiezen om vier weken uit te proberen, met vooraf een datum om samen te bekijken wat het opleverde.', 'Let one team choose a new way of working to try for four weeks, with a date set in advance to review together what it brought.'],
  ],
  [
    'protected_learning_time', ['room_safety'], ['rs4', 'rs5'], 'hr', 'Tijd en gelegenheid voor leren en reflectie (Dhondt, 2017; Habermehl et al., 2017; Nieuwenhuis, 2017)',
    ['Beschermde leertijd in de planning, bijvoorbeeld een vast aantal uren per maand', 'Protected learning time in the schedule, for example a fixed number of hours a month'],
    ['Spreek met de planners af hoeveel uur leertijd per maand in de roosters komt, en zet die uren voor één afdeling al in de planning van volgende maand.', 'Agree with the schedulers how many hours of learning time a month go into the rosters, and put them into next month\'s schedule for one department.'],
  ],
  [
    'after_action_reviews', ['room_safety'], ['rs3', 'rs2'], 'team', 'Nabesprekingen als leerroutine (Garvin et al., 2008)',
    ['Korte nabesprekingen: wat was het plan, wat gebeurde er, wat leren we ervan? Zonder schuldvraag', 'Short after-action reviews: what was the plan, what happened, what do we learn from it? Without blame'],
    ['Geef teamleiders de drie vragen van een nabespreking op een kaart en vraag ze die na het eerstvolgende incident of project te gebruiken.', 'Give team leads the three questions of an after-action review on a card and ask them to use it after the next incident or project.'],
  ],
  [
    'welcome_questions', ['room_safety'], ['rs6', 'rs1'], 'manager', `${EMPLOYEES_RECOMMEND}: waardering, inspraak en een veilig leerklimaat`,
    ['Vragen zijn welkom: leidinggevenden bedanken voor vragen en leggen uit waarom iets wel of niet gebeurt', 'Questions are welcome: managers thank people for questions and explain why something is or is not done'],
    ['Bespreek in het eerstvolgende leidinggevendenoverleg hoe ieder reageert op vragen die naïef lijken, en spreek één gewoonte af.', 'Discuss in the next managers\' meeting how each responds to questions that seem naive, and agree one habit.'],
  ],

  // --- collaborative learning ------------------------------------------------------------------
  [
    'learning_together', ['collaborative_learning'], ['cl1', 'cl5'], 'manager', 'Sociale steun van collega\'s (Mabry et al., 2018; Nussu & Marschall, 2020; Cabiata, 2021)',
    ['Samen leren: collega\'s volgen met twee of drie tegelijk een opleiding en helpen elkaar bij het toepassen', 'Learning together: colleagues take a course in twos or threes and help each other apply it'],
    ['Kijk welke opleiding de komende maanden gepland staat en nodig een tweede collega uit om mee te gaan.', 'Look at which course is planned in the coming months and invite a second colleague to go along.'],
  ],
  [
    'mentoring', ['collaborative_learning'], ['cl5', 'cl1'], 'hr', '(In)formele mentorprogramma\'s (Oprins et al., 2021)',
    ['Formele of informele mentor- en buddyprogramma\'s', 'Formal or informal mentoring and buddy programmes'],
    ['Vraag drie ervaren collega\'s of zij mentor willen zijn en koppel ze deze maand aan een nieuwe of overgeplaatste collega.', 'Ask three experienced colleagues whether they will mentor, and pair them this month with a new or transferred colleague.'],
  ],
  [
    'improvement_projects', ['collaborative_learning'], ['cl3', 'cl4'], 'manager', 'Verbeterprojecten (Schippers, Den Hartog & Koopman, 2005; De Laat et al., 2001)',
    ['Verbeterprojecten met gemengde teams op vraagstukken uit het dagelijkse werk', 'Improvement projects with mixed teams on problems from daily work'],
    ['Verzamel in één werkoverleg drie ergernissen uit het werk en start een klein verbeterteam op de eerste.', 'Collect three irritations from the work in one team meeting and start a small improvement team on the first.'],
  ],
  [
    'multidisciplinary_teams', ['collaborative_learning'], ['cl4', 'cl6'], 'manager', 'Multidisciplinaire teams (Van der Torre et al., 2020)',
    ['Multidisciplinaire teams of projectgroepen waarin vakgebieden van elkaar leren', 'Multidisciplinary teams or project groups in which disciplines learn from each other'],
    ['Kies een lopend vraagstuk dat meer afdelingen raakt en nodig voor het volgende overleg een collega van een andere afdeling uit.', 'Pick a current problem that touches several departments and invite a colleague from another department to the next meeting.'],
  ],
  [
    'regular_meetings', ['collaborative_learning'], ['cl6', 'cl2'], 'team', 'Regelmatige ontmoetingen van collega\'s (Pasman, 2018)',
    ['Vaste ontmoetingsmomenten: weekstart, team- of projectoverleg, gezamenlijke pauzes', 'Regular meeting moments: a weekly start, team or project meetings, shared breaks'],
    ['Spreek met één team een vaste weekstart van een kwartier af en houd die de komende vier weken vol.', 'Agree a fixed fifteen-minute weekly start with one team and keep it up for the next four weeks.'],
  ],
  [
    'knowledge_sharing_sessions', ['collaborative_learning'], ['cl2', 'cl1'], 'team', 'Ockham IPS, zes tips om leren te bevorderen: deel nieuwe kennis met collega\'s ("learning snacks")',
    ['Korte kennisdeelsessies ("learning snacks") waarin collega\'s laten zien wat ze geleerd hebben', 'Short knowledge-sharing sessions ("learning snacks") in which colleagues show what they have learned'],
    ['Vraag iemand die onlangs een opleiding volgde om in tien minuten in het werkoverleg te vertellen wat hij meenam.', 'Ask someone who recently took a course to tell in ten minutes at the team meeting what they took away.'],
  ],

  // --- leadership ------------------------------------------------------------------------------
  [
    'coaching_leadership_training', ['leadership'], ['ld1', 'ld4'], 'hr', `${EMPLOYEES_RECOMMEND}: training leidinggevenden in coachend leiderschap; Sanders et al. (2013); Van der Weide et al. (2022)`,
    ['Training in coachend leiderschap en het voeren van ontwikkelgesprekken', 'Training in coaching leadership and holding development conversations'],
    ['Vraag twee aanbieders om een voorstel voor een training coachend leiderschap en laat leidinggevenden kiezen welke vaardigheid voorgaat.', 'Ask two providers for a proposal for coaching-leadership training and let managers choose which skill comes first.'],
  ],
  [
    'transfer_conversations', ['leadership'], ['ld6', 'ld5'], 'manager', 'Transfer van het geleerde naar de werkvloer (Govaerts, Kyndt & Dochy, 2018)',
    ['Een gesprek voor en na elke opleiding over wat de medewerker in het werk gaat toepassen, en de ruimte daarvoor', 'A conversation before and after every course about what the employee will apply in the work, and the room to do so'],
    ['Voeg aan elke goedgekeurde opleidingsaanvraag een kort voor- en nagesprek met de leidinggevende toe, te beginnen met de aanvragen van deze maand.', 'Attach a short before-and-after conversation with the manager to every approved course request, starting with this month\'s requests.'],
  ],
  [
    'managers_as_role_models', ['leadership'], ['ld3', 'ld2'], 'manager', 'Leiderschap gericht op ontwikkeling: zelf het goede voorbeeld geven (Sanders et al., 2013; Van der Weide et al., 2022)',
    ['Leidinggevenden delen hun eigen leerdoelen en lessen met hun team', 'Managers share their own learning goals and lessons with their team'],
    ['Vraag het managementteam om elk één eigen leerdoel voor dit kwartaal te kiezen en dat in het eigen team te vertellen.', 'Ask the management team to each pick one learning goal of their own for this quarter and tell their own team about it.'],
  ],
  [
    'manager_peer_coaching', ['leadership'], ['ld2', 'ld3'], 'hr', 'Leidinggevenden over wat stimuleert: investeren in leiderschapstraining als structureel onderdeel (Van der Weide et al., 2022)',
    ['Intervisie tussen leidinggevenden over hoe zij een visie op leren uitdragen en het leren in hun team stimuleren', 'Peer coaching among managers on how they convey a vision on learning and encourage learning in their team'],
    ['Plan een eerste intervisiebijeenkomst van anderhalf uur voor vier tot zes leidinggevenden, met één casus over leren in het team.', 'Schedule a first ninety-minute peer-coaching meeting for four to six managers, with one case about learning in the team.'],
  ],
  [
    'feedback_routine', ['leadership'], ['ld4', 'ld1'], 'manager', 'Goede relaties bevorderen het zoeken naar feedback (Chun et al., 2014; Ashford et al., 2016)',
    ['Een vaste routine van korte, frequente feedbackgesprekken', 'A routine of short, frequent feedback conversations'],
    ['Vraag leidinggevenden om de komende maand met elke medewerker één kort feedbackgesprek van tien minuten te voeren, naast de gewone cyclus.', 'Ask managers to hold one short ten-minute feedback conversation with each employee in the coming month, alongside the regular cycle.'],
  ],
  [
    'involve_in_ideas', ['leadership'], ['ld7', 'ld2'], 'manager', 'Leiderschap gericht op ontwikkeling: mee laten denken en medewerkers betrekken (Sanders et al., 2013; Van der Weide et al., 2022)',
    ['Leidinggevenden vragen actief naar ideeën van medewerkers en laten zien wat ermee gebeurt', 'Managers actively ask for employees\' ideas and show what happens with them'],
    ['Laat elk team in het volgende overleg één idee van een medewerker kiezen om uit te werken, en meld na een maand wat ermee gebeurd is.', 'Have every team pick one employee\'s idea to work out at its next meeting, and report a month later what happened with it.'],
  ],

  // --- organisation ----------------------------------------------------------------------------
  [
    'communicate_opportunities', ['organisation'], ['org2', 'org1'], 'hr', `${EMPLOYEES_RECOMMEND}: communiceer meer over ontwikkelmogelijkheden en middelen`,
    ['Heldere communicatie over ontwikkelmogelijkheden, budget en aanspreekpunt', 'Clear communication about development opportunities, budget and the point of contact'],
    ['Zet op één pagina wat er aan ontwikkelmogelijkheden en budget is en bij wie men terechtkan, en deel die deze maand in elk werkoverleg.', 'Put on one page which development opportunities and budget exist and whom to ask, and share it in every team meeting this month.'],
  ],
  [
    'ld_vision', ['organisation'], ['org1', 'org5'], 'hr', 'SEOR & Ockham IPS (2021): een paragraaf met een visie op leren en ontwikkelen in het HR-beleid',
    ['Een korte, gedeelde visie op leren en ontwikkelen in het HR-beleid, die leidinggevenden kunnen uitleggen', 'A short, shared vision on learning and development in the HR policy that managers can explain'],
    ['Schrijf in een half A4 op waarom de organisatie in leren investeert en leg het voor aan het managementteam en de ondernemingsraad.', 'Write on half a page why the organisation invests in learning and put it to the management team and the works council.'],
  ],
  [
    'development_budget', ['organisation', 'leadership'], ['ld5', 'org2'], 'hr', 'SEOR & Ockham IPS (2021): een jaarlijks budget voor scholing en ontwikkeling',
    ['Een individueel of teambudget voor ontwikkeling dat eenvoudig te gebruiken is', 'An individual or team development budget that is easy to use'],
    ['Zoek uit hoeveel van het opleidingsbudget vorig jaar is gebruikt en door wie, en schrap één stap uit de aanvraagprocedure.', 'Find out how much of last year\'s training budget was used and by whom, and remove one step from the request procedure.'],
  ],
  [
    'development_cycle', ['organisation'], ['org3', 'org4'], 'hr', 'SEOR & Ockham IPS (2021): ontwikkelgesprekken en persoonlijke ontwikkelplannen',
    ['Een jaarlijks ontwikkelgesprek voor iedereen, met afspraken die worden vastgelegd', 'A yearly development conversation for everyone, with agreements that are recorded'],
    ['Zoek uit wie het afgelopen jaar geen ontwikkelgesprek had en plan die gesprekken in de komende twee maanden in.', 'Find out who had no development conversation in the past year and schedule those conversations in the next two months.'],
  ],
  [
    'follow_up_agreements', ['organisation'], ['org4', 'org3'], 'manager', 'Van Duijn, 10 elementen voor een succesvolle bedrijfsacademie: leren volgen in de gesprekscyclus',
    ['Afspraken over ontwikkeling worden opgevolgd: de leidinggevende komt er halverwege het jaar op terug', 'Agreements on development are followed up: the manager comes back to them halfway through the year'],
    ['Vraag leidinggevenden de ontwikkelafspraken van dit jaar erbij te pakken en bij elke medewerker na te gaan wat er al van terechtkwam.', 'Ask managers to take this year\'s development agreements and check with each employee what has come of them so far.'],
  ],
  [
    'strategic_workforce_planning', ['organisation'], ['org5', 'org1'], 'hr', 'SEOR & Ockham IPS (2021): toekomstige competenties doorvertalen naar strategische personeelsplanning',
    ['Strategische personeelsplanning die toekomstige competentiebehoeften vertaalt naar leerplannen, zodat ontwikkelkansen volgen uit behoeften en niet uit toeval', 'Strategic workforce planning that turns future competence needs into learning plans, so that development opportunities follow from needs rather than chance'],
    ['Vraag het managementteam welke drie competenties over drie jaar het meest nodig zijn, en leg naast elkaar wie daar nu al in ontwikkeld wordt.', 'Ask the management team which three competences will be most needed in three years, and set out who is being developed in them now.'],
  ],

  // --- connection with the external environment ------------------------------------------------
  [
    'communities_of_practice', ['external_connection'], ['ext3', 'ext1'], 'hr', 'Toegang tot nieuwe kennis via netwerken en communities of practice (Gerken et al., 2016)',
    ['Communities of practice met vakgenoten van andere organisaties', 'Communities of practice with peers from other organisations'],
    ['Zoek voor één vakgebied een bestaand netwerk of een community of practice in de regio en meld twee medewerkers aan voor de volgende bijeenkomst.', 'Find an existing network or community of practice in the region for one discipline and sign up two employees for its next meeting.'],
  ],
  [
    'external_visits', ['external_connection'], ['ext2', 'ext5'], 'manager', 'Pluvo, bouwstenen van een leercultuur: werkbezoek bij een collega-organisatie',
    ['Werkbezoeken aan klanten, leveranciers of andere organisaties, met terugkoppeling aan het team', 'Working visits to customers, suppliers or other organisations, with a debrief to the team'],
    ['Vraag één relatie of collega-organisatie om een werkbezoek en spreek af dat de bezoekers in het volgende overleg vertellen wat ze zagen.', 'Ask one partner or peer organisation for a working visit, and agree that the visitors tell the team at the next meeting what they saw.'],
  ],
  [
    'education_partnerships', ['external_connection'], ['ext4', 'ext3'], 'hr', 'Kennis uit onderwijs en onderzoek (Gerken et al., 2016)',
    ['Samenwerking met onderwijs- en kennisinstellingen, bijvoorbeeld via stagiairs of gezamenlijke projecten', 'Partnerships with schools and knowledge institutes, for example through interns or joint projects'],
    ['Neem contact op met één mbo- of hbo-opleiding in de regio over een stageplaats of praktijkopdracht op een vraagstuk van de organisatie.', 'Contact one vocational school or university of applied sciences in the region about an internship or a practical assignment on one of the organisation\'s questions.'],
  ],
  [
    'job_exchange', ['external_connection'], ['ext5', 'ext2'], 'hr', 'Arbeidsmobiliteit versterkt kennisopbouw en uitwisseling (Fouarge, 2017)',
    ['Uitwisseling, detachering of meeloopdagen bij andere organisaties', 'Exchanges, secondments or job-shadowing days at other organisations'],
    ['Spreek met één organisatie in de buurt een meeloopdag af, voor en door medewerkers van beide kanten.', 'Agree a job-shadowing day with one nearby organisation, for and by employees on both sides.'],
  ],
  [
    'bring_knowledge_in', ['external_connection'], ['ext1', 'ext4'], 'team', 'Ockham IPS, zes tips om leren te bevorderen: betrek naast collega\'s ook de externe omgeving voor nieuwe kennis',
    ['Nieuwe kennis van buiten naar binnen halen: wie een vakblad, beurs of bijeenkomst bezocht, deelt wat bruikbaar is', 'Bring new knowledge in from outside: whoever read a trade journal or visited a fair or event shares what is useful'],
    ['Maak in het werkoverleg een vaste ronde "wat zag of las je buiten de deur?" en wijs per maand iemand aan die een bron bijhoudt.', 'Add a standing round "what did you see or read outside?" to the team meeting, and appoint someone each month to follow one source.'],
  ],

  // --- cross-cutting, attached to a reason ------------------------------------------------------
  [
    'perspective_dialogue', [], [], 'hr', 'LLO-dialoogmodel (Mazereeuw & Kuijpers, 2024)',
    ['Een dialoogsessie waarin management en medewerkers de verschillen in hun oordeel bespreken en samen vaststellen wat er nodig is', 'A dialogue session in which management and employees discuss the differences in their views and agree together on what is needed'],
    ['Plan een sessie van anderhalf uur met een vertegenwoordiging van management en medewerkers en neem de uitspraken met het grootste verschil als startpunt.', 'Schedule a ninety-minute session with a delegation of management and employees, and take the statements with the largest gap as the starting point.'],
  ],
  [
    'review_changes', [], [], 'hr', 'Vergelijking met de vorige meting',
    ['Samen met medewerkers nagaan wat er sinds de vorige meting is veranderd in werk, team of organisatie', 'Review with employees what has changed in work, team or organisation since the previous round'],
    ['Leg de uitspraken die het meest zijn gedaald voor aan twee teams en vraag wat er in hun werk is veranderd.', 'Put the statements that dropped most to two teams and ask what has changed in their work.'],
  ],
];

function fromRow([id, mechanisms, targets, owner, source, [tnl, ten], [snl, sen]]: Row): InterventionDef {
  return {
    id,
    mechanisms,
    targets,
    owner,
    source,
    text: { nl: tnl, en: ten },
    firstStep: { nl: snl, en: sen },
    watchItem: targets[0] ?? null,
  };
}

/** The catalogue, validated at module load and frozen. */
export const INTERVENTIONS: readonly InterventionDef[] = deepFreeze(ROWS.map((r) => InterventionDefSchema.parse(fromRow(r))));

const byId = new Map(INTERVENTIONS.map((i) => [i.id, i]));
if (byId.size !== INTERVENTIONS.length) throw new Error('interventions: duplicate id');

export function getIntervention(id: string): InterventionDef | undefined {
  return byId.get(id);
}

/** The interventions offered under a mechanism, in catalogue order. */
export function interventionsForMechanism(mechanismId: MechanismId): InterventionDef[] {
  return INTERVENTIONS.filter((i) => i.mechanisms.includes(mechanismId));
}

/** What ranking needs to know about an item: its text and visible figures (null when hidden). */
export interface ItemFigures {
  itemId: string;
  text: LocalizedText;
  favourable: number | null;
  /** The published share compared with this item, when there is one. */
  published: number | null;
}

export interface RankedIntervention {
  def: InterventionDef;
  /** Weighted-mean deficit of its visible target items; null when none is visible. */
  need: number | null;
  relevant: boolean;
  /** The visible target items, weakest first. */
  targets: ItemFigures[];
}

function deficit(i: ItemFigures): number {
  const fav = i.favourable as number;
  return 100 - fav + (i.published !== null ? Math.max(0, i.published - fav) : 0);
}

/** Need of one intervention from the items' visible figures (see the module comment). */
export function interventionNeed(def: InterventionDef, items: ReadonlyMap<string, ItemFigures>): number | null {
  let sum = 0;
  let weights = 0;
  def.targets.forEach((id, index) => {
    const item = items.get(id);
    if (!item || item.favourable === null) return;
    const w = index === 0 ? PRIMARY_WEIGHT : SECONDARY_WEIGHT;
    sum += w * deficit(item);
    weights += w;
  });
  return weights === 0 ? null : sum / weights;
}

/** The mechanism's interventions ranked by need, highest first (null last, ties in catalogue order). */
export function rankInterventions(mechanismId: MechanismId, items: ReadonlyMap<string, ItemFigures>): RankedIntervention[] {
  const ranked = interventionsForMechanism(mechanismId).map((def, order) => {
    const need = interventionNeed(def, items);
    const targets = def.targets
      .map((id) => items.get(id))
      .filter((i): i is ItemFigures => i !== undefined && i.favourable !== null)
      .sort((a, b) => deficit(b) - deficit(a));
    return { def, need, relevant: need !== null && need >= RELEVANT_NEED, targets, order };
  });
  ranked.sort((a, b) => (b.need ?? -1) - (a.need ?? -1) || a.order - b.order);
  return ranked.map(({ order: _order, ...rest }) => rest);
}

// --- as a result-model entry -----------------------------------------------------------------------

function pctText(v: number, lang: 'nl' | 'en'): string {
  return `${Math.round(v)}%`.replace('.', lang === 'nl' ? ',' : '.');
}

/** One ranked intervention as the result model carries it, with the reason in words. */
export function interventionResult(r: RankedIntervention, items: ReadonlyMap<string, ItemFigures>): InterventionResult {
  const weakest = r.targets[0];
  const watch = r.def.watchItem ? items.get(r.def.watchItem) : undefined;
  const basis = weakest
    ? {
        nl: `Gericht op "${weakest.text.nl.replace(/\.$/, '')}" (${pctText(weakest.favourable as number, 'nl')} gunstig${weakest.published !== null ? `; landelijk cijfer ${pctText(weakest.published, 'nl')}` : ''}).`,
        en: `Aimed at "${weakest.text.en.replace(/\.$/, '')}" (${pctText(weakest.favourable as number, 'en')} favourable${weakest.published !== null ? `; national figure ${pctText(weakest.published, 'en')}` : ''}).`,
      }
    : null;
  return {
    id: r.def.id,
    text: { nl: r.def.text.nl, en: r.def.text.en },
    source: r.def.source,
    firstStep: { nl: r.def.firstStep.nl, en: r.def.firstStep.en },
    owner: r.def.owner,
    // The round's own item ids (a version-2 rewrite answers for the version-1 item it revises).
    targetItemIds: r.def.targets.map((id) => items.get(id)?.itemId ?? id),
    watchItemId: r.def.watchItem ? (watch?.itemId ?? r.def.watchItem) : null,
    watchItemText: watch ? { nl: watch.text.nl, en: watch.text.en } : null,
    need: r.need,
    relevant: r.relevant,
    basis,
  };
}

/** A cross-cutting intervention (no item targets) as a result-model entry. */
export function crossCuttingResult(id: string): InterventionResult {
  const def = byId.get(id);
  if (!def) throw new RangeError(`unknown intervention ${id}`);
  return interventionResult({ def, need: null, relevant: true, targets: [] }, new Map());
}

/** Item figures of every mechanism's items, keyed by item id, for ranking (hidden items have null figures). */
export function itemFiguresOf(
  mechanisms: readonly { suppressed: boolean; items: readonly { itemId: string; text: LocalizedText; suppressed: boolean; favourable: number | null; published: { value: number } | null }[] }[],
): Map<string, ItemFigures> {
  const out = new Map<string, ItemFigures>();
  for (const m of mechanisms)
    for (const it of m.items)
      out.set(it.itemId, {
        itemId: it.itemId,
        text: it.text,
        favourable: m.suppressed || it.suppressed ? null : it.favourable,
        published: it.published ? it.published.value : null,
      });
  // The catalogue targets version-1 items. A version-2 item rewritten from one (same facet, other
  // words: V2_ITEM_ORIGINS) stands in for it, so a version-2 round gets the same advice; identical
  // items keep their id and need nothing.
  for (const [id, figures] of [...out]) {
    const origin = V2_ITEM_ORIGINS[id];
    if (origin?.kind === 'revised' && !out.has(origin.v1)) out.set(origin.v1, figures);
  }
  return out;
}
