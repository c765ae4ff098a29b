// The culture scan, version 1: seven scales (one per mechanism), 42 items, written for this product in
// Dutch and English. Each item has an employee form ("Ik ...") and a management/HR form ("Onze
// medewerkers ..."), item for item, so both perspectives can be compared. Version 1 is frozen: a
// change to wording, keying or scale membership is a new version (culture-scan@2), because stored
// answers refer to these item ids and their meaning.

import { ANSWER_OPTIONS, DONT_KNOW_OPTION } from './answer-options.js';
import { BACKGROUND_QUESTIONS } from './background.js';
import { CultureScanInstrumentSchema, deepFreeze, type CultureScanInstrument, type Intervention, type Scale, type ScanItem } from './schemas.js';
import type { Form, LocalizedText, MechanismId } from '../types.js';

export const CULTURE_SCAN_V1_ID = 'culture-scan@1';

type Pair = readonly [nl: string, en: string];

interface ItemInput {
  id: string;
  reverse?: boolean;
  employee: Pair;
  management: Pair;
  figures?: { employee?: string; management?: string };
}

interface ScaleInput {
  name: Pair;
  description: Pair;
  advice: { low: Pair; middle: Pair; high: Pair };
  interventions: readonly (readonly [id: string, nl: string, en: string])[];
  items: readonly ItemInput[];
}

const lt = ([nl, en]: Pair): LocalizedText => ({ nl, en });

function buildScale(mechanism: MechanismId, input: ScaleInput): Scale {
  return {
    id: mechanism,
    mechanism,
    name: lt(input.name),
    description: lt(input.description),
    advice: { low: lt(input.advice.low), middle: lt(input.advice.middle), high: lt(input.advice.high) },
    interventions: input.interventions.map(([id, nl, en]): Intervention => ({ id, text: { nl, en } })),
    items: input.items.map((i): ScanItem => {
      const item: ScanItem = {
        id: i.id,
        mechanism,
        reverse: i.reverse ?? false,
        text: { employee: lt(i.employee), management: lt(i.management) },
      };
      if (i.figures) {
        item.publishedFigureIds = { ...i.figures };
        if (i.figures.employee !== undefined) item.publishedFigureId = i.figures.employee;
      }
      return item;
    }),
  };
}

const SELF_DIRECTION: ScaleInput = {
  name: ['Zelfregie en leerpotentieel', 'Self-direction and learning potential'],
  description: [
    'De mate waarin mensen zelf richting geven aan hun ontwikkeling: ze vertrouwen op hun leervermogen, reflecteren op hun werk, hebben ambities, durven te zeggen wat ze nodig hebben en gaan goed om met verandering.',
    'The extent to which people steer their own development: they trust their ability to learn, reflect on their work, have aspirations, dare to say what they need and cope well with change.',
  ],
  advice: {
    low: [
      'Veel mensen ervaren nog weinig regie over hun eigen ontwikkeling. Begin klein en dicht bij het werk: laat mensen één eigen leerdoel kiezen, bespreek dat in de gewone werkgesprekken en maak kleine successen zichtbaar, zodat het vertrouwen in het eigen leervermogen groeit. Bekijk de uitkomsten per groep, want zelfregie verschilt sterk tussen mensen en hangt samen met hun werk en omgeving; praktisch opgeleide medewerkers leren vaak liever in de praktijk dan in een lokaal.',
      'Many people do not yet feel in charge of their own development. Start small and close to the work: let people choose one learning goal of their own, discuss it in regular work conversations and make small successes visible, so that confidence in their ability to learn grows. Look at the results per group, because self-direction differs a lot between people and is shaped by their work and context; practically trained staff often prefer learning on the job to learning in a classroom.',
    ],
    middle: [
      'Mensen nemen deels zelf de regie over hun ontwikkeling, maar nog niet iedereen en niet altijd. Bouw korte, vaste reflectiemomenten in, bijvoorbeeld de vraag "wat heb ik deze maand in mijn werk geleerd?", en geef mensen invloed op wat en hoe ze leren. Vraag actief naar leerbehoeften, zodat ook wie die moeilijk uitspreekt gehoord wordt.',
      'People take some ownership of their development, but not everyone and not always. Build in short, regular moments of reflection, for example the question "what did I learn in my work this month?", and give people a say in what and how they learn. Ask about learning needs actively, so that people who find them hard to voice are heard as well.',
    ],
    high: [
      'Mensen sturen zelf hun ontwikkeling en hebben vertrouwen in hun leervermogen. Houd dit vast door ruimte te geven voor eigen leerroutes en benut hun ervaring: laat hen collega\'s begeleiden of delen wat ze geleerd hebben. Let op groepen die lager scoren, zodat de hoge scores van sommigen de anderen niet aan het zicht onttrekken.',
      'People steer their own development and are confident they can learn. Keep this going by leaving room for their own learning routes, and use their experience: let them guide colleagues or share what they have learned. Watch groups that score lower, so that the high scores of some do not hide the others.',
    ],
  },
  interventions: [
    ['personal_learning_goals', 'Persoonlijke leerdoelen die de medewerker zelf kiest en die terugkomen in de ontwikkelgesprekken', 'Personal learning goals chosen by the employee and followed up in development conversations'],
    ['reflection_questions', 'Een vaste reflectievraag in het werkoverleg: wat heb je deze maand in je werk geleerd?', 'A standing reflection question in team meetings: what did you learn in your work this month?'],
    ['career_conversations', 'Loopbaan- en ambitiegesprekken, zo nodig met een coach of loopbaanadviseur', 'Career and ambition conversations, with a coach or career adviser where needed'],
    ['small_learning_steps', 'Kleine, praktische leerstappen dicht bij het dagelijkse werk, zodat eerste successen vertrouwen geven', 'Small, practical learning steps close to daily work, so that early successes build confidence'],
    ['choice_in_learning', 'Keuze in de manier van leren: in het werk, online, klassikaal of samen met collega\'s', 'Choice in how to learn: on the job, online, in a classroom or together with colleagues'],
  ],
  items: [
    {
      id: 'sd1',
      employee: ['Ik neem zelf het initiatief om me te ontwikkelen.', 'I take the initiative for my own development.'],
      management: ['Onze medewerkers nemen zelf het initiatief om zich te ontwikkelen.', 'Our employees take the initiative for their own development.'],
    },
    {
      id: 'sd2',
      employee: ['Ik heb er vertrouwen in dat ik nieuwe vaardigheden onder de knie kan krijgen.', 'I am confident that I can master new skills.'],
      management: ['Onze medewerkers hebben er vertrouwen in dat ze nieuwe vaardigheden onder de knie kunnen krijgen.', 'Our employees are confident that they can master new skills.'],
    },
    {
      id: 'sd3',
      employee: ['Ik sta regelmatig stil bij wat ik goed doe en wat beter kan.', 'I regularly reflect on what I do well and what I could do better.'],
      management: ['Onze medewerkers staan regelmatig stil bij wat ze goed doen en wat beter kan.', 'Our employees regularly reflect on what they do well and what they could do better.'],
    },
    {
      id: 'sd4',
      employee: ['Ik weet wat ik de komende jaren in mijn werk wil bereiken.', 'I know what I want to achieve in my work in the coming years.'],
      management: ['Onze medewerkers weten wat ze de komende jaren in hun werk willen bereiken.', 'Our employees know what they want to achieve in their work in the coming years.'],
    },
    {
      id: 'sd5',
      employee: ['Ik leer graag nieuwe dingen, ook als niemand daarom vraagt.', 'I like learning new things, even when nobody asks me to.'],
      management: ['Onze medewerkers leren graag nieuwe dingen, ook als niemand daarom vraagt.', 'Our employees like learning new things, even when nobody asks them to.'],
    },
    {
      id: 'sd6',
      reverse: true,
      employee: ['Ik vind het lastig om aan te geven wat ik nodig heb om me te ontwikkelen.', 'I find it hard to say what I need in order to develop.'],
      management: ['Onze medewerkers vinden het lastig om aan te geven wat ze nodig hebben om zich te ontwikkelen.', 'Our employees find it hard to say what they need in order to develop.'],
    },
    {
      id: 'sd7',
      employee: ['Als mijn werk verandert, zie ik dat als een kans om iets te leren.', 'When my work changes, I see it as a chance to learn something.'],
      management: ['Als hun werk verandert, zien onze medewerkers dat als een kans om iets te leren.', 'When their work changes, our employees see it as a chance to learn something.'],
    },
  ],
};

const WORK_CONTENT: ScaleInput = {
  name: ['Inhoud van het werk', 'Content of work'],
  description: [
    'De mate waarin het werk zelf uitnodigt tot leren: autonomie, afwisseling in taken en rollen, en complexiteit en uitdaging die passen bij wat mensen aankunnen.',
    'The extent to which the work itself invites learning: autonomy, variety in tasks and roles, and complexity and challenge that match what people can handle.',
  ],
  advice: {
    low: [
      'Het werk zelf biedt weinig leerkansen: taken zijn routinematig, sterk voorgeschreven of eenzijdig. Kijk naar taakherontwerp, taakroulatie en taakverrijking, zodat mensen nieuwe vraagstukken en rollen tegenkomen, en geef hun meer zeggenschap over hoe ze hun werk doen. Kijk ook naar de werkdruk: als de eisen de mogelijkheden ver overstijgen, schiet leren er als eerste bij in.',
      'The work itself offers few chances to learn: tasks are routine, tightly prescribed or one-sided. Look at task redesign, task rotation and task enrichment, so that people meet new problems and roles, and give them more say in how they do their work. Look at the workload as well: when demands far exceed the means to meet them, learning is the first thing to go.',
    ],
    middle: [
      'Het werk biedt enige afwisseling en autonomie, maar niet voor iedereen. Jobcrafting, waarbij medewerkers hun taken meer laten aansluiten bij hun talenten en interesses, heeft aantoonbaar effect op welzijn en werkprestaties. Tijdelijke rollen, projecten of een dag meelopen op een andere plek brengen afwisseling zonder ingrijpende reorganisatie.',
      'The work offers some variety and autonomy, but not for everyone. Job crafting, in which employees shape their tasks to fit their strengths and interests, has shown effects on wellbeing and performance. Temporary roles, projects or a day of job shadowing elsewhere add variety without a major reorganisation.',
    ],
    high: [
      'Het werk biedt autonomie, afwisseling en uitdaging: een sterke basis voor leren in het werk, waar het meeste leren plaatsvindt (70-20-10). Bewaak dit bij herinrichting of automatisering van taken, en bouw tijd in om op het werk te reflecteren, zodat ervaring ook leren wordt. Vergelijk het oordeel van medewerkers over autonomie met dat van het management: landelijk ligt daar een groot verschil tussen (58% tegenover 31%, TNO/SER 2023).',
      'The work offers autonomy, variety and challenge: a strong basis for learning on the job, where most learning happens (70-20-10). Protect this when tasks are redesigned or automated, and build in time to reflect on the work, so that experience turns into learning. Compare the employees\' view of autonomy with management\'s: nationally the two differ widely (58% against 31%, TNO/SER 2023).',
    ],
  },
  interventions: [
    ['job_crafting', 'Jobcrafting: medewerkers geven hun taken, contacten en aanpak vorm vanuit hun sterke kanten', 'Job crafting: employees shape their tasks, contacts and approach around their strengths'],
    ['task_rotation', 'Taakroulatie en taakverrijking binnen of tussen teams', 'Task rotation and task enrichment within or between teams'],
    ['task_redesign', 'Taakherontwerp dat teams meer zeggenschap geeft over planning en aanpak', 'Task redesign that gives teams more say over planning and approach'],
    ['workload_balance', 'Werkdrukinterventies die taakeisen en mogelijkheden beter in balans brengen', 'Workload interventions that balance job demands and resources'],
    ['reflection_time', 'Ingeroosterde reflectietijd na projecten of drukke periodes', 'Scheduled reflection time after projects or busy periods'],
  ],
  items: [
    {
      id: 'wc1',
      employee: ['Ik heb veel afwisseling in mijn werk.', 'I have a lot of variety in my work.'],
      management: ['Onze medewerkers hebben veel afwisseling in hun werk.', 'Our employees have a lot of variety in their work.'],
      figures: { employee: 'tno_ser2023_variety_employees' },
    },
    {
      id: 'wc2',
      employee: ['Ik heb veel vrijheid om zelf te bepalen hoe ik mijn werk doe.', 'I have a lot of freedom to decide how I do my work.'],
      management: ['Onze medewerkers hebben veel vrijheid om zelf te bepalen hoe ze hun werk doen.', 'Our employees have a lot of freedom to decide how they do their work.'],
      figures: { employee: 'tno_ser2023_autonomy_employees', management: 'tno_ser2023_autonomy_employers' },
    },
    {
      id: 'wc3',
      employee: ['Mijn werk daagt me regelmatig uit om nieuwe oplossingen te bedenken.', 'My work regularly challenges me to come up with new solutions.'],
      management: ['Het werk daagt onze medewerkers regelmatig uit om nieuwe oplossingen te bedenken.', 'Their work regularly challenges our employees to come up with new solutions.'],
    },
    {
      id: 'wc4',
      employee: ['Ik kan mijn taken zo inrichten dat ze passen bij mijn talenten en interesses.', 'I can arrange my tasks so that they fit my strengths and interests.'],
      management: ['Onze medewerkers kunnen hun taken zo inrichten dat ze passen bij hun talenten en interesses.', 'Our employees can arrange their tasks so that they fit their strengths and interests.'],
    },
    {
      id: 'wc5',
      reverse: true,
      employee: ['Mijn werk bestaat vooral uit elke dag dezelfde routinetaken.', 'My work consists mostly of the same routine tasks every day.'],
      management: ['Het werk van onze medewerkers bestaat vooral uit elke dag dezelfde routinetaken.', 'The work of our employees consists mostly of the same routine tasks every day.'],
    },
    {
      id: 'wc6',
      employee: ['Ik krijg de kans om af en toe taken of rollen buiten mijn eigen functie op te pakken.', 'I get the chance to take on tasks or roles outside my own job now and then.'],
      management: ['Onze medewerkers krijgen de kans om af en toe taken of rollen buiten hun eigen functie op te pakken.', 'Our employees get the chance to take on tasks or roles outside their own job now and then.'],
    },
  ],
};

const ROOM_SAFETY: ScaleInput = {
  name: ['Ruimte en veiligheid om te ontwikkelen', 'Room and safety to develop'],
  description: [
    'De mate waarin mensen tijd en ruimte hebben om te leren en te experimenteren, en zich veilig voelen om fouten te maken, vragen te stellen en zich uit te spreken.',
    'The extent to which people have time and room to learn and experiment, and feel safe to make mistakes, ask questions and speak up.',
  ],
  advice: {
    low: [
      'Mensen ervaren weinig ruimte of veiligheid om te leren: er is weinig tijd, en fouten maken of vragen stellen voelt riskant. Maak expliciet dat fouten leermateriaal zijn, bijvoorbeeld door in het werkoverleg een recente fout en de les daaruit te bespreken, met leidinggevenden als eersten. Reserveer tijd voor leren in de planning in plaats van het te verwachten bovenop het werk.',
      'People have little room or safety to learn: time is short, and making mistakes or asking questions feels risky. Make it explicit that mistakes are material for learning, for example by discussing a recent mistake and its lesson in team meetings, with managers going first. Reserve time for learning in the schedule instead of expecting it on top of the work.',
    ],
    middle: [
      'Er is enige ruimte om te leren en te experimenteren, maar die is kwetsbaar, bijvoorbeeld onder werkdruk. Spreek kleine experimenten af die mogen mislukken, met een vast evaluatiemoment, en houd korte nabesprekingen. Bescherm leertijd in drukke periodes: gebrek aan tijd is een veelgenoemde drempel (49% van de werknemers zegt geen tijd te hebben om te leren, AIHR 2025).',
      'There is some room to learn and experiment, but it is fragile, for example under pressure of work. Agree on small experiments that are allowed to fail, with a fixed evaluation moment, and hold short reviews afterwards. Protect learning time in busy periods: lack of time is a frequently named barrier (49% of employees say they lack time for learning, AIHR 2025).',
    ],
    high: [
      'Mensen hebben ruimte om te experimenteren en voelen zich veilig om fouten te maken en vragen te stellen. Benut dit om nieuwe werkwijzen uit te proberen en de lessen in de hele organisatie te delen. Let erop dat die veiligheid ook onder druk blijft bestaan, en ook geldt voor nieuwkomers en flexwerkers.',
      'People have room to experiment and feel safe to make mistakes and ask questions. Use this to try out new ways of working and to share the lessons across the organisation. Make sure this safety holds under pressure too, and also applies to newcomers and flexible workers.',
    ],
  },
  interventions: [
    ['learning_from_mistakes', 'Vaste momenten om van fouten te leren, waarin leidinggevenden als eersten hun eigen fouten delen', 'Regular sessions on learning from mistakes, in which managers share their own mistakes first'],
    ['safe_experiments', 'Kleine experimenten met een afgesproken evaluatiemoment, die mogen mislukken', 'Small experiments with an agreed evaluation moment, which are allowed to fail'],
    ['protected_learning_time', 'Beschermde leertijd in de planning, bijvoorbeeld een vast aantal uren per maand', 'Protected learning time in the schedule, for example a fixed number of hours per month'],
    ['after_action_reviews', 'Korte nabesprekingen: wat was het plan, wat gebeurde er en wat leren we ervan?', 'Short after-action reviews: what was the plan, what happened and what do we learn from it?'],
  ],
  items: [
    {
      id: 'rs1',
      employee: ['Ik kan nieuwe werkwijzen uitproberen, ook als de uitkomst onzeker is.', 'I can try out new ways of working, even when the outcome is uncertain.'],
      management: ['Onze medewerkers kunnen nieuwe werkwijzen uitproberen, ook als de uitkomst onzeker is.', 'Our employees can try out new ways of working, even when the outcome is uncertain.'],
    },
    {
      id: 'rs2',
      employee: ['Als ik een fout maak, wordt dat gezien als iets om van te leren.', 'When I make a mistake, it is treated as something to learn from.'],
      management: ['Als onze medewerkers een fout maken, wordt dat gezien als iets om van te leren.', 'When our employees make a mistake, it is treated as something to learn from.'],
    },
    {
      id: 'rs3',
      reverse: true,
      employee: ['Ik houd fouten liever voor mezelf om problemen te voorkomen.', 'I prefer to keep mistakes to myself to avoid trouble.'],
      management: ['Onze medewerkers houden fouten liever voor zich om problemen te voorkomen.', 'Our employees prefer to keep mistakes to themselves to avoid trouble.'],
    },
    {
      id: 'rs4',
      employee: ['Ik krijg onder werktijd tijd om te leren.', 'I get time to learn during working hours.'],
      management: ['Onze medewerkers krijgen onder werktijd tijd om te leren.', 'Our employees get time to learn during working hours.'],
    },
    {
      id: 'rs5',
      reverse: true,
      employee: ['Mijn werkdruk laat geen ruimte om iets nieuws te leren.', 'My workload leaves no room to learn anything new.'],
      management: ['De werkdruk van onze medewerkers laat geen ruimte om iets nieuws te leren.', 'The workload of our employees leaves no room to learn anything new.'],
    },
    {
      id: 'rs6',
      employee: ['Ik durf vragen te stellen, ook als die misschien naïef klinken.', 'I dare to ask questions, even when they might sound naive.'],
      management: ['Onze medewerkers durven vragen te stellen, ook als die misschien naïef klinken.', 'Our employees dare to ask questions, even when they might sound naive.'],
    },
  ],
};

const COLLABORATIVE_LEARNING: ScaleInput = {
  name: ['Samenwerkend leren en teamontwikkeling', 'Collaborative learning and team development'],
  description: [
    'De mate waarin mensen met en van elkaar leren: steun van collega\'s, kennis delen, verbeterprojecten, samenwerken over vakgrenzen heen en begeleiding door ervaren collega\'s.',
    'The extent to which people learn with and from each other: support from colleagues, knowledge sharing, improvement projects, working across disciplines and guidance by experienced colleagues.',
  ],
  advice: {
    low: [
      'Mensen werken en leren vooral ieder voor zich. Creëer vaste momenten waarop collega\'s elkaar ontmoeten en hun werk bespreken, zoals een weekstart, werkoverleg of een gezamenlijke koffiepauze, en koppel nieuwkomers en minder ervaren collega\'s aan een mentor of buddy. Start één klein verbeterproject waarin een gemengd team een probleem uit het dagelijkse werk aanpakt.',
      'People mostly work and learn on their own. Create regular moments where colleagues meet and discuss their work, such as a weekly start, a team meeting or a shared coffee break, and pair newcomers and less experienced colleagues with a mentor or buddy. Start one small improvement project in which a mixed team tackles a problem from daily work.',
    ],
    middle: [
      'Collega\'s helpen elkaar, maar kennis delen hangt nog af van personen. Maak het structureel met korte kennisdeelmomenten, multidisciplinaire projectteams en formele of informele mentorprogramma\'s. Samen met een of twee collega\'s een opleiding volgen helpt mensen elkaar te stimuleren.',
      'Colleagues help each other, but knowledge sharing still depends on individuals. Make it structural with short knowledge-sharing moments, multidisciplinary project teams and formal or informal mentoring programmes. Taking a course together with one or two colleagues helps people encourage each other.',
    ],
    high: [
      'Mensen leren veel met en van elkaar. Houd dat vast door tijd te geven voor verbeterprojecten en mentoring, en door collega\'s die kennis delen zichtbaar te waarderen. Verbind teams met elkaar, zodat goede werkwijzen zich door de hele organisatie verspreiden.',
      'People learn a lot with and from each other. Keep it up by giving time to improvement projects and mentoring, and by visibly valuing colleagues who share knowledge. Connect teams with each other, so that good practices spread across the whole organisation.',
    ],
  },
  interventions: [
    ['mentoring', 'Formele of informele mentor- en buddyprogramma\'s', 'Formal or informal mentoring and buddy programmes'],
    ['improvement_projects', 'Verbeterprojecten met gemengde teams op vraagstukken uit het dagelijkse werk', 'Improvement projects with mixed teams on problems from daily work'],
    ['multidisciplinary_teams', 'Multidisciplinaire teams of projectgroepen', 'Multidisciplinary teams or project groups'],
    ['regular_meetings', 'Vaste ontmoetingsmomenten: weekstart, team- of projectoverleg, gezamenlijke pauzes', 'Regular meeting moments: weekly start, team or project meetings, shared breaks'],
    ['knowledge_sharing_sessions', 'Korte kennisdeelsessies waarin collega\'s laten zien wat ze geleerd hebben', 'Short knowledge-sharing sessions in which colleagues show what they have learned'],
  ],
  items: [
    {
      id: 'cl1',
      employee: ['Als ik iets nieuws wil leren, helpen mijn collega\'s me daarbij.', 'When I want to learn something new, my colleagues help me.'],
      management: ['Als onze medewerkers iets nieuws willen leren, helpen hun collega\'s hen daarbij.', 'When our employees want to learn something new, their colleagues help them.'],
    },
    {
      id: 'cl2',
      employee: ['Ik deel regelmatig kennis en ervaring met collega\'s.', 'I regularly share knowledge and experience with colleagues.'],
      management: ['Onze medewerkers delen regelmatig kennis en ervaring met collega\'s.', 'Our employees regularly share knowledge and experience with colleagues.'],
    },
    {
      id: 'cl3',
      employee: ['Ik doe mee aan verbeterprojecten of werkgroepen.', 'I take part in improvement projects or working groups.'],
      management: ['Onze medewerkers doen mee aan verbeterprojecten of werkgroepen.', 'Our employees take part in improvement projects or working groups.'],
    },
    {
      id: 'cl4',
      employee: ['Ik werk samen met collega\'s uit andere vakgebieden of afdelingen en leer van hen.', 'I work with colleagues from other disciplines or departments and learn from them.'],
      management: ['Onze medewerkers werken samen met collega\'s uit andere vakgebieden of afdelingen en leren van hen.', 'Our employees work with colleagues from other disciplines or departments and learn from them.'],
    },
    {
      id: 'cl5',
      employee: ['Als ik dat nodig heb, kan ik terecht bij een ervaren collega die me begeleidt.', 'When I need it, I can turn to an experienced colleague who guides me.'],
      management: ['Als ze dat nodig hebben, kunnen onze medewerkers terecht bij een ervaren collega die hen begeleidt.', 'When they need it, our employees can turn to an experienced colleague who guides them.'],
    },
    {
      id: 'cl6',
      reverse: true,
      employee: ['In mijn team werkt iedereen vooral op zijn eigen eilandje.', 'In my team, everyone mostly works on their own island.'],
      management: ['Onze medewerkers werken vooral ieder op hun eigen eilandje.', 'Our employees mostly work each on their own island.'],
    },
  ],
};

const LEADERSHIP: ScaleInput = {
  name: ['Ontwikkelingsgericht leiderschap', 'Leadership aimed at development'],
  description: [
    'De mate waarin leidinggevenden ontwikkeling ondersteunen: ze maken duidelijk waarom leren ertoe doet, geven zelf het goede voorbeeld, bieden tijd en middelen, geven bruikbare feedback, betrekken mensen en helpen hen het geleerde toe te passen.',
    'The extent to which managers support development: they make clear why learning matters, set the example themselves, offer time and means, give useful feedback, involve people and help them apply what they have learned.',
  ],
  advice: {
    low: [
      'Medewerkers ervaren weinig steun voor leren van hun leidinggevenden, terwijl juist leidinggevenden bepalend zijn voor het toepassen van het geleerde in het werk. Investeer in coachend leiderschap: train leidinggevenden in ontwikkelgesprekken, feedback geven en vragen naar ideeën. Spreek met leidinggevenden af wat ze concreet bieden (tijd, budget, doelen) en bespreek dat ook in hun eigen gesprekscyclus.',
      'Employees experience little support for learning from their managers, while managers are key to applying what was learned in the work. Invest in coaching leadership: train managers in development conversations, giving feedback and asking for ideas. Agree with managers on what they offer concretely (time, budget, goals) and discuss it in their own performance cycle too.',
    ],
    middle: [
      'Leidinggevenden ondersteunen ontwikkeling, maar niet overal even sterk. Vraag leidinggevenden het goede voorbeeld te geven door hun eigen leren te delen, en na elke opleiding met de medewerker te bespreken hoe het geleerde in het werk wordt toegepast. Intervisie tussen leidinggevenden helpt goede aanpakken te verspreiden.',
      'Managers support development, but not equally everywhere. Ask managers to set the example by sharing their own learning, and to discuss with the employee after every course how it will be applied in the work. Peer coaching among managers helps good approaches spread.',
    ],
    high: [
      'Leidinggevenden ondersteunen ontwikkeling duidelijk. Blijf investeren in leiderschapsontwikkeling, ook voor nieuwe leidinggevenden, en zet sterke leidinggevenden in als voorbeeld voor anderen. Vergelijk met het landelijke cijfer: 80% van de werknemers ervaart steun van de leidinggevende bij het ontwikkelen van kennis en vaardigheden (TNO/SER 2023).',
      'Managers clearly support development. Keep investing in leadership development, also for new managers, and let strong managers serve as an example for others. Compare with the national figure: 80% of employees experience support from their manager in developing knowledge and skills (TNO/SER 2023).',
    ],
  },
  interventions: [
    ['coaching_leadership_training', 'Training in coachend leiderschap en het voeren van ontwikkelgesprekken', 'Training in coaching leadership and holding development conversations'],
    ['transfer_conversations', 'Gesprekken voor en na een opleiding over het toepassen van het geleerde in het werk', 'Conversations before and after a course about applying what was learned in the work'],
    ['managers_as_role_models', 'Leidinggevenden delen hun eigen leerdoelen en lessen met hun team', 'Managers share their own learning goals and lessons with their team'],
    ['manager_peer_coaching', 'Intervisie tussen leidinggevenden', 'Peer coaching among managers'],
    ['feedback_routine', 'Een vaste routine van korte, frequente feedbackgesprekken', 'A routine of short, frequent feedback conversations'],
  ],
  items: [
    {
      id: 'ld1',
      employee: ['Mijn leidinggevende steunt mij bij het ontwikkelen van mijn kennis en vaardigheden.', 'My manager supports me in developing my knowledge and skills.'],
      management: ['Onze medewerkers krijgen steun van hun leidinggevende bij het ontwikkelen van hun kennis en vaardigheden.', 'Our employees get support from their manager in developing their knowledge and skills.'],
      figures: { employee: 'tno_ser2023_manager_support_employees' },
    },
    {
      id: 'ld2',
      employee: ['Mijn leidinggevende maakt duidelijk waarom leren belangrijk is voor ons werk.', 'My manager makes clear why learning matters for our work.'],
      management: ['Onze medewerkers horen van hun leidinggevende waarom leren belangrijk is voor hun werk.', 'Our employees hear from their manager why learning matters for their work.'],
    },
    {
      id: 'ld3',
      employee: ['Mijn leidinggevende geeft het goede voorbeeld door zelf ook te blijven leren.', 'My manager sets an example by continuing to learn too.'],
      management: ['Onze medewerkers zien hun leidinggevende het goede voorbeeld geven door zelf ook te blijven leren.', 'Our employees see their manager set an example by continuing to learn too.'],
    },
    {
      id: 'ld4',
      employee: ['Ik krijg regelmatig bruikbare feedback van mijn leidinggevende.', 'I regularly get useful feedback from my manager.'],
      management: ['Onze medewerkers krijgen regelmatig bruikbare feedback van hun leidinggevende.', 'Our employees regularly get useful feedback from their manager.'],
    },
    {
      id: 'ld5',
      employee: ['Mijn leidinggevende maakt tijd, budget of andere middelen vrij voor mijn ontwikkeling.', 'My manager makes time, budget or other resources available for my development.'],
      management: ['Onze medewerkers krijgen van hun leidinggevende tijd, budget of andere middelen voor hun ontwikkeling.', 'Our employees get time, budget or other resources for their development from their manager.'],
    },
    {
      id: 'ld6',
      employee: ['Mijn leidinggevende helpt me om wat ik geleerd heb toe te passen in mijn werk.', 'My manager helps me apply what I have learned in my work.'],
      management: ['Onze medewerkers krijgen hulp van hun leidinggevende om wat ze geleerd hebben toe te passen in hun werk.', 'Our employees get help from their manager in applying what they have learned in their work.'],
    },
    {
      id: 'ld7',
      reverse: true,
      employee: ['Mijn leidinggevende vraagt zelden naar mijn ideeën.', 'My manager rarely asks for my ideas.'],
      management: ['Onze medewerkers worden zelden door hun leidinggevende naar hun ideeën gevraagd.', 'Our employees are rarely asked for their ideas by their manager.'],
    },
  ],
};

const ORGANISATION: ScaleInput = {
  name: ['Ontwikkelingsgerichte organisatie', 'Organisation aimed at development'],
  description: [
    'De mate waarin het beleid leren ondersteunt en medewerkers dat ook merken: een visie op leren, plannen en budget, duidelijke verantwoordelijkheden en ontwikkelgesprekken die worden opgevolgd. De mkb-checklist meet dezelfde kant op beleidsniveau.',
    'The extent to which policy supports learning and employees actually notice it: a vision on learning, plans and budget, clear responsibilities and development conversations that are followed up. The SME policy checklist measures the same side at policy level.',
  ],
  advice: {
    low: [
      'Medewerkers merken weinig van beleid voor leren en ontwikkelen. Zorg voor de basis en maak die bekend: een korte visie op leren, een ontwikkelbudget, een duidelijk aanspreekpunt en minstens één ontwikkelgesprek per jaar. Gebruik de checklist van leer- en ontwikkelbeleid om te zien welke onderdelen ontbreken, en hoe gangbaar ze zijn in het mkb.',
      'Employees notice little of a policy for learning and development. Put the basics in place and make them known: a short vision on learning, a development budget, a clear point of contact and at least one development conversation a year. Use the learning and development policy checklist to see which practices are missing, and how common they are among SMEs.',
    ],
    middle: [
      'Er is beleid, maar medewerkers vinden of gebruiken het niet altijd. Communiceer vaker en concreter over ontwikkelmogelijkheden en middelen, en zorg dat afspraken uit ontwikkelgesprekken worden nagekomen. Verbind de leerbehoeften van medewerkers met de competenties die de organisatie in de toekomst nodig heeft.',
      'Policy exists, but employees do not always find or use it. Communicate more often and more concretely about development opportunities and resources, and make sure agreements from development conversations are kept. Connect the learning needs of employees with the competences the organisation will need in the future.',
    ],
    high: [
      'Het beleid voor leren staat en medewerkers ervaren het ook. Houd het levend door plannen en budget jaarlijks te toetsen aan de doelen van de organisatie en door te evalueren wat leeractiviteiten opleveren. Ga na of de mogelijkheden elke groep bereiken, ook flexwerkers en praktisch opgeleiden.',
      'Policy for learning is in place and employees experience it. Keep it alive by checking plans and budget against the organisation\'s goals every year and by evaluating what learning activities deliver. Check that the opportunities reach every group, including flexible workers and practically trained staff.',
    ],
  },
  interventions: [
    ['ld_vision', 'Een korte, gedeelde visie op leren en ontwikkelen in het HR-beleid', 'A short, shared vision on learning and development in the HR policy'],
    ['development_budget', 'Een individueel of teambudget voor ontwikkeling dat eenvoudig te gebruiken is', 'An individual or team development budget that is easy to use'],
    ['development_cycle', 'Een jaarlijks ontwikkelgesprek met afspraken die worden opgevolgd', 'A yearly development conversation with agreements that are followed up'],
    ['strategic_workforce_planning', 'Strategische personeelsplanning die toekomstige competentiebehoeften vertaalt naar leerplannen', 'Strategic workforce planning that translates future competence needs into learning plans'],
    ['communicate_opportunities', 'Heldere communicatie over ontwikkelmogelijkheden, budget en aanspreekpunt', 'Clear communication about development opportunities, budget and the point of contact'],
  ],
  items: [
    {
      id: 'org1',
      employee: ['Ik weet wat de visie van onze organisatie op leren en ontwikkelen is.', 'I know what our organisation\'s vision on learning and development is.'],
      management: ['Onze medewerkers weten wat de visie van onze organisatie op leren en ontwikkelen is.', 'Our employees know what our organisation\'s vision on learning and development is.'],
    },
    {
      id: 'org2',
      employee: ['Ik weet waar ik terecht kan voor opleidingen, cursussen of een ontwikkelbudget.', 'I know where to go for training, courses or a development budget.'],
      management: ['Onze medewerkers weten waar ze terecht kunnen voor opleidingen, cursussen of een ontwikkelbudget.', 'Our employees know where to go for training, courses or a development budget.'],
    },
    {
      id: 'org3',
      employee: ['Ik heb minstens één keer per jaar een gesprek over mijn ontwikkeling.', 'I have a conversation about my development at least once a year.'],
      management: ['Onze medewerkers hebben minstens één keer per jaar een gesprek over hun ontwikkeling.', 'Our employees have a conversation about their development at least once a year.'],
    },
    {
      id: 'org4',
      employee: ['Afspraken over mijn ontwikkeling worden ook echt nagekomen.', 'Agreements about my development are actually kept.'],
      management: ['Afspraken over de ontwikkeling van onze medewerkers worden ook echt nagekomen.', 'Agreements about the development of our employees are actually kept.'],
    },
    {
      id: 'org5',
      reverse: true,
      employee: ['Of ik hier ontwikkelkansen krijg, hangt vooral af van toeval of van wie ik ken.', 'Whether I get development opportunities here depends mostly on chance or on who I know.'],
      management: ['Of onze medewerkers ontwikkelkansen krijgen, hangt vooral af van toeval of van wie ze kennen.', 'Whether our employees get development opportunities depends mostly on chance or on who they know.'],
    },
  ],
};

const EXTERNAL_CONNECTION: ScaleInput = {
  name: ['Verbinding met de omgeving', 'Connection with the external environment'],
  description: [
    'De mate waarin mensen nieuwe kennis en perspectieven van buiten binnenhalen: van klanten, de branche, onderwijs en onderzoek, via netwerken, communities of practice en werken op andere plekken.',
    'The extent to which people bring in new knowledge and perspectives from outside: from customers, the industry, education and research, through networks, communities of practice and working elsewhere.',
  ],
  advice: {
    low: [
      'De organisatie is vooral naar binnen gericht; er komt weinig nieuwe kennis van buiten binnen. Geef mensen de gelegenheid om vakbijeenkomsten, andere organisaties of klanten te bezoeken, en vraag hen te delen wat ze gezien hebben. Overweeg een samenwerking met een onderwijs- of kennisinstelling, bijvoorbeeld via stagiairs of een gezamenlijk project.',
      'The organisation is mostly inward-looking; little new knowledge comes in from outside. Give people the opportunity to visit trade events, other organisations or customers, and ask them to share what they saw. Consider a partnership with a school or knowledge institute, for example through interns or a joint project.',
    ],
    middle: [
      'Sommige mensen halen kennis van buiten binnen, maar die blijft vaak bij hen. Organiseer hoe die kennis anderen bereikt, bijvoorbeeld met een korte terugkoppeling na elke externe bijeenkomst. Sluit aan bij een community of practice met vakgenoten van andere organisaties, of start er een, en overweeg uitwisseling of detachering.',
      'Some people bring in knowledge from outside, but it often stays with them. Organise how it reaches others, for example with a short debrief after every external event. Join or start a community of practice with peers from other organisations, and consider exchanges or secondments.',
    ],
    high: [
      'De organisatie is goed verbonden met haar omgeving en kennis van buiten vindt zijn weg naar binnen. Zorg dat die kennis ook leidt tot nieuwe werkwijzen, en deel in ruil de eigen praktijk met het netwerk. Ga na of dit voor alle teams geldt en niet alleen voor een paar voorlopers.',
      'The organisation is well connected with its environment, and knowledge from outside finds its way in. Make sure it also leads to new ways of working, and share your own practice with the network in return. Check that this holds for all teams and not only for a few pioneers.',
    ],
  },
  interventions: [
    ['communities_of_practice', 'Communities of practice met vakgenoten van andere organisaties', 'Communities of practice with peers from other organisations'],
    ['external_visits', 'Werkbezoeken aan klanten, leveranciers of andere organisaties, met terugkoppeling aan het team', 'Working visits to customers, suppliers or other organisations, with a debrief to the team'],
    ['education_partnerships', 'Samenwerking met onderwijs- en kennisinstellingen, bijvoorbeeld via stagiairs of gezamenlijke projecten', 'Partnerships with schools and knowledge institutes, for example through interns or joint projects'],
    ['job_exchange', 'Uitwisseling, detachering of meeloopdagen bij andere organisaties', 'Exchanges, secondments or job-shadowing days at other organisations'],
  ],
  items: [
    {
      id: 'ext1',
      employee: ['Ik houd ontwikkelingen in mijn vakgebied bij, bijvoorbeeld via vakbladen, bijeenkomsten of online bronnen.', 'I keep up with developments in my field, for example through trade journals, events or online sources.'],
      management: ['Onze medewerkers houden ontwikkelingen in hun vakgebied bij, bijvoorbeeld via vakbladen, bijeenkomsten of online bronnen.', 'Our employees keep up with developments in their field, for example through trade journals, events or online sources.'],
    },
    {
      id: 'ext2',
      employee: ['Ik leer van contacten met klanten, leveranciers of samenwerkingspartners.', 'I learn from contacts with customers, suppliers or partners.'],
      management: ['Onze medewerkers leren van contacten met klanten, leveranciers of samenwerkingspartners.', 'Our employees learn from contacts with customers, suppliers or partners.'],
    },
    {
      id: 'ext3',
      employee: ['Ik heb de gelegenheid om kennis uit te wisselen met mensen van andere organisaties, bijvoorbeeld in een netwerk of community of practice.', 'I have the opportunity to exchange knowledge with people from other organisations, for example in a network or community of practice.'],
      management: ['Onze medewerkers hebben de gelegenheid om kennis uit te wisselen met mensen van andere organisaties, bijvoorbeeld in een netwerk of community of practice.', 'Our employees have the opportunity to exchange knowledge with people from other organisations, for example in a network or community of practice.'],
    },
    {
      id: 'ext4',
      employee: ['Ik breng nieuwe kennis van buiten, zoals uit onderwijs, onderzoek of andere organisaties, in mijn werk.', 'I bring new knowledge from outside, such as from education, research or other organisations, into my work.'],
      management: ['Onze medewerkers brengen nieuwe kennis van buiten, zoals uit onderwijs, onderzoek of andere organisaties, in hun werk.', 'Our employees bring new knowledge from outside, such as from education, research or other organisations, into their work.'],
    },
    {
      id: 'ext5',
      reverse: true,
      employee: ['Voor nieuwe ideeën kijk ik zelden verder dan mijn eigen organisatie.', 'For new ideas, I rarely look beyond my own organisation.'],
      management: ['Voor nieuwe ideeën kijken onze medewerkers zelden verder dan onze eigen organisatie.', 'For new ideas, our employees rarely look beyond our own organisation.'],
    },
  ],
};

const DATA: CultureScanInstrument = {
  id: CULTURE_SCAN_V1_ID,
  module: 'culture_scan',
  version: 1,
  name: { nl: 'Leercultuurscan', en: 'Learning culture scan' },
  description: {
    nl: 'Vragenlijst over de zeven mechanismen die leven lang ontwikkelen in organisaties bepalen. Medewerkers vullen de medewerkerversie in, management en HR de parallelle organisatieversie, zodat beide perspectieven naast elkaar te leggen zijn.',
    en: 'Questionnaire on the seven mechanisms that drive lifelong learning in organisations. Employees answer the employee form, management and HR the parallel organisation form, so that both perspectives can be compared.',
  },
  instructions: {
    employee: {
      nl: 'Geef bij elke uitspraak aan in hoeverre u het ermee eens bent. Er zijn geen goede of foute antwoorden. Kunt u een uitspraak niet beoordelen, kies dan "Weet ik niet / niet van toepassing". Uw antwoorden zijn anoniem: uitkomsten worden alleen getoond voor groepen van minstens vijf personen.',
      en: 'For each statement, indicate how far you agree with it. There are no right or wrong answers. If you cannot judge a statement, choose "Don\'t know / not applicable". Your answers are anonymous: results are only shown for groups of at least five people.',
    },
    management: {
      nl: 'Geef bij elke uitspraak aan in hoeverre die volgens u geldt voor de medewerkers in uw organisatie als geheel. Kunt u een uitspraak niet beoordelen, kies dan "Weet ik niet / niet van toepassing".',
      en: 'For each statement, indicate how far it holds, in your view, for the employees of your organisation as a whole. If you cannot judge a statement, choose "Don\'t know / not applicable".',
    },
  },
  answerOptions: [...ANSWER_OPTIONS],
  dontKnowOption: DONT_KNOW_OPTION,
  scales: [
    buildScale('self_direction', SELF_DIRECTION),
    buildScale('work_content', WORK_CONTENT),
    buildScale('room_safety', ROOM_SAFETY),
    buildScale('collaborative_learning', COLLABORATIVE_LEARNING),
    buildScale('leadership', LEADERSHIP),
    buildScale('organisation', ORGANISATION),
    buildScale('external_connection', EXTERNAL_CONNECTION),
  ],
  background: [...BACKGROUND_QUESTIONS],
};

/** The culture scan, version 1, validated at module load and frozen. */
export const CULTURE_SCAN_V1: CultureScanInstrument = deepFreeze(CultureScanInstrumentSchema.parse(DATA));

/** All items of a culture scan in scale order. */
export function instrumentItems(instrument: CultureScanInstrument): ScanItem[] {
  return instrument.scales.flatMap((s) => s.items);
}

/** The published figure an item compares with on a given form, if any. */
export function publishedFigureIdFor(item: Pick<ScanItem, 'publishedFigureIds'>, form: Form): string | undefined {
  return item.publishedFigureIds?.[form];
}

/** Item lookup by id for one instrument. */
export function findItem(instrument: CultureScanInstrument, itemId: string): ScanItem | undefined {
  for (const scale of instrument.scales) {
    const item = scale.items.find((i) => i.id === itemId);
    if (item) return item;
  }
  return undefined;
}

/** The scale of a mechanism in an instrument. */
export function getScale(instrument: CultureScanInstrument, mechanism: MechanismId): Scale {
  const scale = instrument.scales.find((s) => s.mechanism === mechanism);
  if (!scale) throw new RangeError(`instrument ${instrument.id} has no scale ${mechanism}`);
  return scale;
}
