// The methodology as structured, bilingual content: PDF reports print it, and docs/methodology.md and
// docs/methodology.nl.md are rendered from it (a test keeps them identical), so the text a consultant
// hands out always matches how the product computes. After editing, regenerate the docs with
//   UPDATE_METHODOLOGY_DOCS=1 npx vitest run tests/scans/methodology.test.ts

import { PUBLISHED_FIGURES, citeFigure, type PublishedFigure } from './benchmarks/published.js';
import { DEFAULT_K } from './anonymity.js';
import { CULTURE_SCAN_V1 } from './instruments/culture-scan-v1.js';
import { QUADRANTS } from './instruments/dialogue-model.js';
import { minItemsForScore } from './scoring/scales.js';
import type { Language, LocalizedText } from './types.js';

export type MethodologyBlock =
  | { kind: 'paragraph'; text: LocalizedText }
  | { kind: 'list'; items: LocalizedText[] }
  /** A formula in plain text, printed in a monospace block. */
  | { kind: 'formula'; text: LocalizedText }
  | { kind: 'table'; header: LocalizedText[]; rows: LocalizedText[][] };

export interface MethodologySection {
  id: string;
  title: LocalizedText;
  blocks: MethodologyBlock[];
}

const p = (nl: string, en: string): MethodologyBlock => ({ kind: 'paragraph', text: { nl, en } });
const same = (s: string): LocalizedText => ({ nl: s, en: s });
const pct = (value: number, decimals = 0): LocalizedText => ({
  nl: `${value.toFixed(decimals).replace('.', ',')}%`,
  en: `${value.toFixed(decimals)}%`,
});
const f = (nl: string, en: string): MethodologyBlock => ({ kind: 'formula', text: { nl, en } });

const scaleSizes = CULTURE_SCAN_V1.scales.map((s) => s.items.length);
const sizeRows = [...new Set(scaleSizes)]
  .sort((a, b) => a - b)
  .map((size): LocalizedText[] => [
    same(String(size)),
    same(String(minItemsForScore(size))),
    {
      nl: CULTURE_SCAN_V1.scales.filter((s) => s.items.length === size).map((s) => s.name.nl).join(', '),
      en: CULTURE_SCAN_V1.scales.filter((s) => s.items.length === size).map((s) => s.name.en).join(', '),
    },
  ]);

// SEOR publishes shares with one decimal; the other sources in whole percentages.
const figureDecimals = (f: PublishedFigure): number => (f.kind === 'sme_practice' ? 1 : 0);
const figureRow = (f: PublishedFigure): LocalizedText[] => [
  f.description,
  f.approximate
    ? { nl: `ca. ${pct(f.value).nl}`, en: `about ${pct(f.value).en}` }
    : pct(f.value, figureDecimals(f)),
  f.population,
  { nl: citeFigure(f, 'nl'), en: citeFigure(f, 'en') },
];
const figureHeader: LocalizedText[] = [
  { nl: 'Uitspraak', en: 'Statement' },
  { nl: 'Aandeel', en: 'Share' },
  { nl: 'Populatie', en: 'Population' },
  { nl: 'Bron', en: 'Source' },
];

export const METHODOLOGY: readonly MethodologySection[] = [
  {
    id: 'purpose',
    title: { nl: 'Wat de scan meet', en: 'What the scan measures' },
    blocks: [
      p(
        'De leercultuurscan brengt in beeld hoe een organisatie leven lang ontwikkelen ondersteunt. De vragenlijst heeft een schaal voor elk van de zeven mechanismen die volgens onderzoek naar leren in organisaties bepalend zijn: zelfregie en leerpotentieel, inhoud van het werk, ruimte en veiligheid, samenwerkend leren, ontwikkelingsgericht leiderschap, een ontwikkelingsgerichte organisatie en verbinding met de omgeving.',
        'The learning culture scan shows how an organisation supports lifelong learning. The questionnaire has a scale for each of the seven mechanisms that research on learning in organisations identifies: self-direction and learning potential, content of work, room and safety, collaborative learning, leadership aimed at development, an organisation aimed at development, and connection with the external environment.',
      ),
      p(
        `Er zijn twee parallelle versies met dezelfde uitspraken: medewerkers beantwoorden ze over zichzelf ("Ik ..."), management en HR over de medewerkers ("Onze medewerkers ..."). Zo zijn beide perspectieven per uitspraak te vergelijken. Versie 1 telt ${CULTURE_SCAN_V1.scales.reduce((n, s) => n + s.items.length, 0)} uitspraken. Aanvullende modules zijn een checklist van leer- en ontwikkelbeleid, het LLO-dialoogmodel en een lijst van stimulerende en belemmerende factoren.`,
        `There are two parallel forms with the same statements: employees answer them about themselves ("I ..."), management and HR about the employees ("Our employees ..."). Both perspectives can thus be compared statement by statement. Version 1 has ${CULTURE_SCAN_V1.scales.reduce((n, s) => n + s.items.length, 0)} statements. Additional modules are a learning and development policy checklist, the LLO dialogue model and a list of stimulating and hindering factors.`,
      ),
      p(
        'De scan is een gespreksinstrument, geen oordeel. De uitkomsten zijn bedoeld om het gesprek te openen over waar de organisatie staat en waar ze naartoe wil.',
        'The scan is a tool for dialogue, not a verdict. The results are meant to open the conversation about where the organisation stands and where it wants to go.',
      ),
    ],
  },
  {
    id: 'answer_scale',
    title: { nl: 'Antwoordschaal', en: 'Answer scale' },
    blocks: [
      p(
        'Elke uitspraak wordt beantwoord op een vijfpuntsschaal: 1 = helemaal mee oneens, 2 = mee oneens, 3 = niet eens, niet oneens, 4 = mee eens, 5 = helemaal mee eens. Daarnaast is er "weet ik niet / niet van toepassing"; dat antwoord telt als ontbrekend en gaat nergens in mee.',
        'Each statement is answered on a five-point scale: 1 = strongly disagree, 2 = disagree, 3 = neither agree nor disagree, 4 = agree, 5 = strongly agree. There is also "don\'t know / not applicable"; that answer counts as missing and is left out of every figure.',
      ),
      p(
        'Sommige uitspraken zijn negatief geformuleerd (bijvoorbeeld "Mijn werkdruk laat geen ruimte om iets nieuws te leren"). Bij die uitspraken wordt het antwoord omgedraaid voordat er gerekend wordt, zodat 5 altijd de gunstige kant is:',
        'Some statements are worded negatively (for example "My workload leaves no room to learn anything new"). For those statements the answer is reversed before any calculation, so that 5 is always the favourable end:',
      ),
      f('omgedraaide waarde = 6 - antwoord   (1 -> 5, 2 -> 4, 3 -> 3, 4 -> 2, 5 -> 1)', 'keyed value = 6 - answer   (1 -> 5, 2 -> 4, 3 -> 3, 4 -> 2, 5 -> 1)'),
    ],
  },
  {
    id: 'scale_scores',
    title: { nl: 'Schaalscores en de 2/3-regel', en: 'Scale scores and the 2/3 rule' },
    blocks: [
      p(
        'De score van een respondent op een schaal is het gemiddelde van zijn of haar antwoorden op de uitspraken van die schaal, na omdraaien waar nodig. Een schaalscore wordt alleen berekend als de respondent minstens twee derde van de uitspraken van de schaal heeft beantwoord, naar boven afgerond; anders ontbreekt de schaal voor die respondent.',
        'A respondent\'s score on a scale is the mean of their answers (reversed where needed) on the statements of that scale. A scale score is computed only when the respondent answered at least two thirds of the scale\'s statements, rounded up; otherwise the scale is missing for that respondent.',
      ),
      f('minimaal beantwoord = 2/3 x aantal uitspraken in de schaal, naar boven afgerond', 'minimum answered = 2/3 x number of items in the scale, rounded up'),
      {
        kind: 'table',
        header: [
          { nl: 'Uitspraken in de schaal', en: 'Items in the scale' },
          { nl: 'Minimaal beantwoord', en: 'Minimum answered' },
          { nl: 'Schalen (versie 1)', en: 'Scales (version 1)' },
        ],
        rows: sizeRows,
      },
      p(
        'De score van een groep is het gemiddelde van de schaalscores van de respondenten die een schaalscore hebben. Daarbij horen het aantal respondenten (n), de standaardafwijking en een betrouwbaarheidsinterval. Scores worden met één decimaal getoond.',
        'A group\'s score is the mean of the scale scores of the respondents who have one. It is reported with the number of respondents (n), the standard deviation and a confidence interval. Scores are shown with one decimal.',
      ),
    ],
  },
  {
    id: 'spread_and_confidence',
    title: { nl: 'Spreiding en betrouwbaarheidsinterval', en: 'Spread and confidence interval' },
    blocks: [
      p(
        'De standaardafwijking (SD) laat zien hoe ver de scores van respondenten uiteenlopen. Ze wordt berekend als steekproefstandaardafwijking, met n - 1 in de noemer.',
        'The standard deviation (SD) shows how far respondents\' scores differ. It is computed as the sample standard deviation, with n - 1 in the denominator.',
      ),
      p(
        'Het 95%-betrouwbaarheidsinterval geeft aan hoe nauwkeurig het groepsgemiddelde is. Het is gebaseerd op de t-verdeling met n - 1 vrijheidsgraden, wat bij kleine groepen een breder en eerlijker interval geeft dan de normale verdeling:',
        'The 95% confidence interval shows how precise the group mean is. It uses the t distribution with n - 1 degrees of freedom, which gives small groups a wider and more honest interval than the normal distribution:',
      ),
      f(
        'interval = gemiddelde +/- t(0,975; n - 1) x SD / wortel(n)    bijv. t = 12,706 (n = 2), 2,228 (n = 11), 2,042 (n = 31)',
        'CI = mean +/- t(0.975; n - 1) x SD / sqrt(n)    e.g. t = 12.706 (n = 2), 2.228 (n = 11), 2.042 (n = 31)',
      ),
      p(
        'Bij één respondent zijn SD en interval niet te berekenen en worden ze niet getoond. Overlappen de intervallen van twee groepen sterk, dan is een verschil tussen hun gemiddelden voorzichtig te interpreteren.',
        'With a single respondent the SD and interval cannot be computed and are not shown. When the intervals of two groups overlap a lot, a difference between their means should be read with caution.',
      ),
    ],
  },
  {
    id: 'favourable_and_distribution',
    title: { nl: 'Percentage gunstig en verdeling', en: 'Percentage favourable and distribution' },
    blocks: [
      p(
        'Het percentage gunstig van een uitspraak is het aandeel van de geldige antwoorden dat 4 of 5 is, na omdraaien. "Weet ik niet" en lege antwoorden tellen niet mee in teller of noemer.',
        'The percentage favourable of a statement is the share of valid answers that are 4 or 5, after reversing. "Don\'t know" and blank answers count in neither numerator nor denominator.',
      ),
      p(
        'Het percentage gunstig van een schaal is het aandeel van alle geldige antwoorden op de uitspraken van die schaal dat 4 of 5 is. Hier tellen alle geldige antwoorden mee, ook van respondenten die te weinig uitspraken beantwoordden voor een schaalscore.',
        'The percentage favourable of a scale is the share of all valid answers on its statements that are 4 or 5. All valid answers count here, including those of respondents who answered too few statements for a scale score.',
      ),
      p(
        'De verdeling toont per antwoordmogelijkheid (1 tot en met 5, na omdraaien) hoeveel antwoorden er zijn, plus het aantal ontbrekende antwoorden. Zo is te zien of een gemiddelde van 3 betekent dat iedereen neutraal is of dat de meningen verdeeld zijn.',
        'The distribution shows, for each answer option (1 to 5, after reversing), how many answers there are, plus the number of missing answers. It shows whether a mean of 3 means that everyone is neutral or that opinions are divided.',
      ),
    ],
  },
  {
    id: 'bands_and_advice',
    title: { nl: 'Scorebanden en advies', en: 'Score bands and advice' },
    blocks: [
      p(
        'Elke schaal heeft adviesteksten voor drie scorebanden. De band wordt bepaald op de score zoals die getoond wordt, afgerond op één decimaal, zodat band en getal altijd bij elkaar passen.',
        'Each scale has advice texts for three score bands. The band is taken on the score as shown, rounded to one decimal, so that band and number always match.',
      ),
      {
        kind: 'table',
        header: [
          { nl: 'Band', en: 'Band' },
          { nl: 'Score (afgerond op één decimaal)', en: 'Score (rounded to one decimal)' },
        ],
        rows: [
          [{ nl: 'Laag', en: 'Low' }, { nl: 'lager dan 3,0', en: 'below 3.0' }],
          [{ nl: 'Midden', en: 'Middle' }, { nl: '3,0 tot en met 3,9', en: '3.0 to 3.9' }],
          [{ nl: 'Hoog', en: 'High' }, { nl: '4,0 of hoger', en: '4.0 or higher' }],
        ],
      },
    ],
  },
  {
    id: 'reliability',
    title: { nl: 'Betrouwbaarheid (Cronbachs alfa)', en: "Reliability (Cronbach's alpha)" },
    blocks: [
      p(
        'Cronbachs alfa geeft aan in hoeverre de uitspraken van een schaal samen één samenhangend geheel meten. Alfa wordt per schaal berekend over de respondenten die alle uitspraken van die schaal hebben beantwoord (na omdraaien); het aantal gebruikte respondenten wordt erbij vermeld.',
        "Cronbach's alpha shows how far the statements of a scale measure one coherent whole. Alpha is computed per scale over the respondents who answered every statement of the scale (after reversing); the number of respondents used is reported with it.",
      ),
      f(
        'alfa = k / (k - 1) x (1 - som van de itemvarianties / variantie van de totaalscore)',
        'alpha = k / (k - 1) x (1 - sum of item variances / variance of the total score)',
      ),
      p(
        `Hierin is k het aantal uitspraken; varianties zijn steekproefvarianties (n - 1). Alfa heeft een eigen n: de respondenten die alle uitspraken van de schaal beantwoordden. Alfa wordt alleen getoond als die n minstens k is (de anonimiteitsdrempel, standaard ${DEFAULT_K}), en niet als de totaalscore geen spreiding heeft. Betekenisvol lezen kan pas vanaf ongeveer 30 volledige respondenten; daaronder is alfa een ruwe aanwijzing. Alfa is hoogstens 1 en kan negatief zijn als uitspraken elkaar tegenspreken. Een veelgebruikte vuistregel is dat een alfa vanaf ongeveer 0,7 voldoende is om een schaal als geheel te lezen; bij kleine groepen schommelt alfa sterk.`,
        `Here k is the number of statements; variances are sample variances (n - 1). Alpha has its own n: the respondents who answered every statement of the scale. Alpha is shown only when that n is at least k (the anonymity threshold, ${DEFAULT_K} by default), and not when the total score has no spread. It is worth reading from about 30 complete respondents; below that it is a rough indication. Alpha is at most 1 and can be negative when statements contradict each other. A common rule of thumb is that an alpha from about 0.7 is enough to read a scale as a whole; in small groups alpha fluctuates a lot.`,
      ),
      p(
        'Bij alfa staat een 95%-betrouwbaarheidsinterval volgens Feldt (1965): (1 - alfa) / (1 - populatiealfa) volgt een F-verdeling met n - 1 en (n - 1)(k - 1) vrijheidsgraden. Een breed interval betekent dat de groep te klein is om de samenhang van de schaal stellig te beoordelen. Per uitspraak wordt de gecorrigeerde item-restcorrelatie gegeven: de correlatie van de uitspraak met de som van de andere uitspraken van de schaal, over dezelfde respondenten. Uitspraken onder 0,20 worden gemarkeerd: respondenten lezen ze mogelijk anders dan bedoeld.',
        "Alpha comes with a 95% confidence interval after Feldt (1965): (1 - alpha) / (1 - population alpha) follows an F distribution with n - 1 and (n - 1)(k - 1) degrees of freedom. A wide interval means the group is too small to judge the scale's coherence firmly. Per statement the corrected item-rest correlation is given: the correlation of the statement with the sum of the scale's other statements, over the same respondents. Statements under 0.20 are flagged: respondents may read them differently than intended.",
      ),
    ],
  },
  {
    id: 'perspectives',
    title: { nl: 'Medewerkers en management vergeleken', en: 'Employees and management compared' },
    blocks: [
      p(
        'Omdat beide versies dezelfde uitspraken bevatten, worden per uitspraak en per schaal de scores en percentages gunstig van medewerkers en van management/HR naast elkaar gezet. Het verschil is management min medewerkers. Een groot verschil is een gespreksonderwerp: het laat zien dat beide groepen de organisatie anders zien.',
        'Because both forms contain the same statements, the scores and percentages favourable of employees and of management/HR are put side by side per statement and per scale. The gap is management minus employees. A large gap is a topic for discussion: it shows that the two groups see the organisation differently.',
      ),
    ],
  },
  {
    id: 'differences',
    title: { nl: 'Wanneer een verschil een verschil is', en: 'When a difference is a difference' },
    blocks: [
      p(
        'Waar het dashboard of een rapport twee cijfers vergelijkt (een groep met de hele organisatie, deze meting met de vorige, medewerkers met management, de organisatie met een vergelijkingscijfer), wordt een verschil alleen als bevinding gekleurd als het groter is dan de onzekerheid van de cijfers. Daarvoor wordt een 95%-betrouwbaarheidsinterval van het verschil berekend:',
        'Where the dashboard or a report compares two figures (a group with the whole organisation, this round with the previous one, employees with management, the organisation with a benchmark), a difference is coloured as a finding only when it is larger than the uncertainty of the figures. For this a 95% confidence interval of the difference is computed:',
      ),
      {
        kind: 'list',
        items: [
          {
            nl: 'Twee afzonderlijke groepen (twee metingen, medewerkers en management): het interval van Welch, verschil ± t(0,975; df) × √(s1²/n1 + s2²/n2), met de vrijheidsgraden volgens Welch-Satterthwaite.',
            en: 'Two separate groups (two rounds, employees and management): Welch\'s interval, difference ± t(0.975; df) × √(s1²/n1 + s2²/n2), with Welch-Satterthwaite degrees of freedom.',
          },
          {
            nl: 'Een groep tegenover de organisatie waar hij deel van is: de groep zit ook in het cijfer van de organisatie. Het verschil is (n_rest / N) × (groep - rest), met "rest" de organisatie zonder de groep; het interval is dat van Welch voor groep tegenover rest, maal n_rest / N.',
            en: 'A group against the organisation it is part of: the group is also in the organisation\'s figure. The difference is (n_rest / N) × (group - rest), with "rest" the organisation without the group; the interval is Welch\'s for group against rest, times n_rest / N.',
          },
          {
            nl: 'Tegenover een vast vergelijkingscijfer: het verschil is duidelijk als het vergelijkingscijfer buiten het 95%-interval van het eigen gemiddelde (t-verdeling) of het eigen percentage (Wilson) valt. Twee percentages: het interval van Newcombe uit de twee Wilson-intervallen.',
            en: 'Against a fixed benchmark figure: the difference is clear when the benchmark lies outside the 95% interval of our own mean (t distribution) or our own percentage (Wilson). Two percentages: Newcombe\'s interval from the two Wilson intervals.',
          },
        ],
      },
      p(
        'Valt 0 buiten het interval, dan heet het verschil duidelijk hoger of lager. Valt 0 erbinnen en is het interval smal (hooguit 0,5 punt of 10 procentpunt aan elke kant), dan is er geen duidelijk verschil. Is het interval breder, dan staat er in woorden dat de groep te klein is om te zeggen of het verschil iets betekent. Zo wordt ruis nooit als bevinding gekleurd.',
        'When 0 lies outside the interval, the difference is called clearly higher or lower. When 0 lies inside and the interval is narrow (at most 0.5 points or 10 percentage points on either side), there is no clear difference. When the interval is wider, the text says in words that the group is too small to tell whether the difference means anything. This way noise is never coloured as a finding.',
      ),
    ],
  },
  {
    id: 'benchmarks',
    title: { nl: 'Vergelijking met gepubliceerde cijfers', en: 'Comparison with published figures' },
    blocks: [
      p(
        'Enkele uitspraken komen inhoudelijk overeen met een landelijk gepubliceerd cijfer. Voor die uitspraken wordt het percentage gunstig van de groep vergeleken met het gepubliceerde aandeel; het verschil wordt in procentpunten weergegeven:',
        'Some statements match a nationally published figure in content. For those statements the group\'s percentage favourable is compared with the published share; the difference is shown in percentage points:',
      ),
      f('verschil (procentpunten) = % gunstig van de groep - gepubliceerd aandeel (%)', 'delta (percentage points) = group % favourable - published share (%)'),
      p(
        'De medewerkerversie wordt vergeleken met cijfers over werknemers, de managementversie met cijfers over werkgevers. Voor autonomie bestaan beide: 58% van de werknemers ervaart veel autonomie, terwijl 31% van de werkgevers vindt dat hun werknemers veel autonomie hebben. Juist daarom stelt de scan die vraag aan beide kanten.',
        'The employee form is compared with figures about employees, the management form with figures about employers. For autonomy both exist: 58% of employees experience much autonomy, while 31% of employers say their employees have much autonomy. That is exactly why the scan asks both sides.',
      ),
      p(
        'Gepubliceerde cijfers zijn context, geen norm: ze komen uit andere onderzoeken, met een eigen vraagstelling, populatie en jaar. Het percentage gunstig (antwoord 4 of 5) is een benadering van "de uitspraak geldt". De checklist van leer- en ontwikkelbeleid wordt vergeleken met het aandeel mkb-bedrijven waar het onderdeel aanwezig is.',
        'Published figures are context, not a norm: they come from other studies, with their own wording, population and year. The percentage favourable (answer 4 or 5) approximates "the statement holds". The learning and development policy checklist is compared with the share of SMEs where the element is in place.',
      ),
      {
        kind: 'table',
        header: figureHeader,
        rows: PUBLISHED_FIGURES.filter((f) => f.kind !== 'context').map(figureRow),
      },
      p('Overige contextcijfers die in rapporten kunnen worden genoemd:', 'Other context figures that reports may quote:'),
      {
        kind: 'table',
        header: figureHeader,
        rows: PUBLISHED_FIGURES.filter((f) => f.kind === 'context').map(figureRow),
      },
      p(
        'Volgens het 70-20-10-model (Jennings, 2011) leren mensen vooral door het werk zelf, daarna van collega\'s en het minst via formele opleiding. Dat is een model en geen meting; het wordt daarom niet als benchmark gebruikt.',
        'According to the 70-20-10 model (Jennings, 2011) people learn mostly through the work itself, then from colleagues, and least through formal training. That is a model, not a measurement, so it is not used as a benchmark.',
      ),
    ],
  },
  {
    id: 'percentile_rank',
    title: { nl: 'Positie ten opzichte van andere organisaties', en: 'Position among other organisations' },
    blocks: [
      p(
        'Waar genoeg andere organisaties de scan hebben ingevuld, wordt de positie van de organisatie weergegeven als percentielrang: het percentage organisaties met een lagere score, waarbij gelijke scores voor de helft meetellen. De organisatie zelf zit niet in de vergelijkingsgroep.',
        'Where enough other organisations have taken the scan, the organisation\'s position is shown as a percentile rank: the percentage of organisations with a lower score, with equal scores counting for half. The organisation itself is not part of the comparison group.',
      ),
      f(
        'percentielrang = (aantal lager + 0,5 x aantal gelijk) / aantal organisaties x 100',
        'percentile rank = (number below + 0.5 x number equal) / number of organisations x 100',
      ),
      p(
        'Het kwartiel volgt uit de percentielrang: 1 onder 25, 2 van 25 tot 50, 3 van 50 tot 75 en 4 vanaf 75. Is de vergelijkingsgroep te klein, dan wordt geen positie getoond.',
        'The quartile follows from the percentile rank: 1 below 25, 2 from 25 to 50, 3 from 50 to 75 and 4 from 75. When the comparison group is too small, no position is shown.',
      ),
      p(
        'Scores worden voor deze positie vergeleken op een raster van 0,25 (1,00; 1,25; ... 5,00), de eigen score en die van de andere organisaties gelijk. Een adviseur kan de eigen score vrij kiezen (een ronde met gekozen antwoorden) en zoeken bij welke score de positie verandert; dat punt is de score van een andere organisatie. Op het raster vindt hij alleen het rasterpunt ernaast, nooit die score zelf. Het gemiddelde van de andere organisaties wordt alleen getoond vanaf 10 andere organisaties en afgerond op één decimaal; komt er één organisatie bij, dan volgt haar score uit twee opeenvolgende gemiddelden hooguit tot op ongeveer één punt nauwkeurig.',
        'For this position, scores are compared on a grid of 0.25 (1.00, 1.25, ... 5.00), the own score and the other organisations\' alike. A consultant can choose the own score at will (a round with chosen answers) and look for the score where the position changes; that point is another organisation\'s score. On the grid it finds only the grid point next to it, never that score itself. The mean of the other organisations is shown only from 10 other organisations and rounded to one decimal; when one organisation joins, its score follows from two successive means to within about one point at best.',
      ),
    ],
  },
  {
    id: 'dialogue_model',
    title: { nl: 'LLO-dialoogmodel', en: 'LLO dialogue model' },
    blocks: [
      p(
        'Het LLO-dialoogmodel (Mazereeuw & Kuijpers, 2024) heeft twee assen, elk van -100 tot +100. De horizontale as loopt van gericht op (duurzame) welvaart van organisaties en samenleving (-100, links) naar gericht op welzijn van mensen (+100, rechts). De verticale as loopt van reactief (-100, boven) naar proactief (+100, onder). Deelnemers plaatsen de organisatie voor een kenmerkende periode uit het verleden, de huidige en de gewenste situatie.',
        'The LLO dialogue model (Mazereeuw & Kuijpers, 2024) has two axes, each from -100 to +100. The horizontal axis runs from focus on the (sustainable) welfare of organisations and society (-100, left) to focus on the wellbeing of people (+100, right). The vertical axis runs from reactive (-100, top) to proactive (+100, bottom). Participants place the organisation for a characteristic past period, the current and the desired situation.',
      ),
      {
        kind: 'table',
        header: [
          { nl: 'Kwadrant', en: 'Quadrant' },
          { nl: 'Positie', en: 'Position' },
        ],
        rows: QUADRANTS.map((q): LocalizedText[] => [
          q.label,
          {
            nl: `${q.focus === 'organisation' ? 'x < 0' : 'x >= 0'}, ${q.stance === 'reactive' ? 'y < 0' : 'y >= 0'}`,
            en: `${q.focus === 'organisation' ? 'x < 0' : 'x >= 0'}, ${q.stance === 'reactive' ? 'y < 0' : 'y >= 0'}`,
          },
        ]),
      },
      p(
        'Een punt precies op een as hoort bij de positieve kant: x = 0 telt als gericht op mensen en y = 0 als proactief, dus het middelpunt valt in Preventief.',
        'A point exactly on an axis belongs to the positive side: x = 0 counts as focus on people and y = 0 as proactive, so the centre falls in Preventive.',
      ),
      p(
        'Per groep (directie, HR, adviseur, medewerkers) en per tijdsbeeld tonen we het gemiddelde punt, de standaardafwijking per as (n - 1), het kwadrant van het gemiddelde punt en de gemiddelde afstand van de plaatsingen tot dat gemiddelde punt. Die laatste maat geeft de mate van overeenstemming: 0 betekent dat iedereen hetzelfde punt koos. De beweging van huidig naar gewenst wordt beschreven met de verschuiving op beide assen (dx, dy), de afstand en of het kwadrant verandert.',
        'Per group (directors, HR, consultant, employees) and per time frame we show the mean point, the standard deviation per axis (n - 1), the quadrant of the mean point and the mean distance of the placements to that mean point. The last measure shows agreement: 0 means everyone chose the same point. The move from current to desired is described by the shift on both axes (dx, dy), the distance and whether the quadrant changes.',
      ),
      f(
        'overeenstemming = gemiddelde over de plaatsingen van wortel((x - gem. x)^2 + (y - gem. y)^2);   afstand = wortel(dx^2 + dy^2)',
        'agreement = mean over placements of sqrt((x - mean x)^2 + (y - mean y)^2);   distance = sqrt(dx^2 + dy^2)',
      ),
      p(
        'Het model vraagt om een gesprek, niet om een score: de doelen van leven lang ontwikkelen kunnen met elkaar schuren. Verschillen tussen groepen en tussen tijdsbeelden zijn het vertrekpunt voor dat gesprek.',
        'The model asks for a conversation, not a score: the goals of lifelong learning can pull against each other. Differences between groups and between time frames are the starting point for that conversation.',
      ),
    ],
  },
  {
    id: 'checklist_and_factors',
    title: { nl: 'Beleidschecklist en factoren', en: 'Policy checklist and factors' },
    blocks: [
      p(
        'De checklist van leer- en ontwikkelbeleid bevat tien onderdelen, die voor de organisatie als geheel met ja, nee of weet ik niet worden beantwoord. Elk onderdeel wordt naast het aandeel mkb-bedrijven gezet waar het aanwezig is (SEOR & Ockham IPS, 2021).',
        'The learning and development policy checklist has ten elements, answered yes, no or don\'t know for the organisation as a whole. Each element is set beside the share of SMEs where it is in place (SEOR & Ockham IPS, 2021).',
      ),
      p(
        'In de module factoren geven respondenten per factor aan of die hun ontwikkeling belemmert of stimuleert, van -2 (belemmert sterk) tot +2 (stimuleert sterk), of niet van toepassing. Per factor tonen we het gemiddelde en het aandeel dat de factor stimulerend (boven 0) of belemmerend (onder 0) vindt; "niet van toepassing" telt niet mee.',
        'In the factors module respondents rate each factor from -2 (strongly hindering) to +2 (strongly stimulating), or not applicable. Per factor we show the mean and the share who find the factor stimulating (above 0) or hindering (below 0); "not applicable" is left out.',
      ),
    ],
  },
  {
    id: 'anonymity',
    title: { nl: 'Anonimiteit', en: 'Anonymity' },
    blocks: [
      p(
        `Uitkomsten worden alleen getoond voor groepen van minstens k respondenten. Standaard is k = ${DEFAULT_K}; een meetronde kan een hogere drempel instellen, nooit een lagere. Een groep onder de drempel krijgt geen enkel cijfer, ook geen aantal.`,
        `Results are shown only for groups of at least k respondents. By default k = ${DEFAULT_K}; a round may set a higher threshold, never a lower one. A group under the threshold gets no figure at all, not even a count.`,
      ),
      p(
        'Aanvullende afscherming voorkomt dat een verborgen groep toch te herleiden is door de getoonde groepen van het totaal af te trekken. Als de verborgen groepen van een indeling (bijvoorbeeld alle afdelingen, inclusief "niet ingevuld") samen 1 tot k - 1 respondenten tellen, wordt ook de kleinste zichtbare groep verborgen. Daarna tellen de verborgen groepen samen 0 of minstens k respondenten, zodat ook een afgeleid gemiddelde altijd over minstens k mensen gaat.',
        'Complementary suppression prevents a hidden group from being derived by subtracting the shown groups from the total. When the hidden groups of a breakdown (for example all departments, including "not stated") together hold 1 to k - 1 respondents, the smallest visible group is hidden as well. Afterwards the hidden groups together hold 0 or at least k respondents, so that even a derived mean always covers at least k people.',
      ),
      {
        kind: 'list',
        items: [
          {
            nl: 'Voorbeeld (k = 5): afdelingen A = 12, B = 8, C = 3. C is te klein en wordt verborgen. Dan zou C = totaal - A - B = 3 te herleiden zijn, dus wordt ook B verborgen. Getoond wordt alleen A.',
            en: 'Example (k = 5): departments A = 12, B = 8, C = 3. C is too small and is hidden. C would then follow as total - A - B = 3, so B is hidden as well. Only A is shown.',
          },
          {
            nl: 'Voorbeeld (k = 5): A = 12, B = 8, C = 3, D = 2. C en D worden verborgen; samen tellen ze 5, dus A en B blijven zichtbaar.',
            en: 'Example (k = 5): A = 12, B = 8, C = 3, D = 2. C and D are hidden; together they hold 5, so A and B stay visible.',
          },
        ],
      },
      p(
        'Elk cijfer heeft zijn eigen n: de respondenten op wie precies dat getal rust. Voor een schaalgemiddelde (met SD en interval) zijn dat de respondenten met een schaalscore; voor het percentage gunstig en de verdeling van een schaal de respondenten met minstens één geldig antwoord op die schaal; voor een uitspraak wie die uitspraak geldig beantwoordde; voor alfa wie alle uitspraken van de schaal beantwoordde; voor een plaatsing op het dialoogmodel wie dat tijdsbeeld plaatste; voor een factor wie die factor van -2 tot +2 beoordeelde ("niet van toepassing" telt niet, en wie alles "niet van toepassing" vond is geen beoordelaar). Een cijfer met n kleiner dan k wordt niet getoond, ook als de groep zelf groot genoeg is; een niet getoond cijfer heet "afgeschermd" (suppressed) en draagt geen enkel getal, ook geen n.',
        'Every figure has its own n: the respondents that exact number rests on. For a scale mean (with SD and interval) those are the respondents with a scale score; for the percentage favourable and the distribution of a scale, the respondents with at least one valid answer on that scale; for a statement, those who answered it validly; for alpha, those who answered every statement of the scale; for a placement on the dialogue model, those who placed that frame; for a factor, those who rated it from -2 to +2 ("not applicable" does not count, and someone who found every factor "not applicable" is not a rater). A figure with n below k is not shown, even when the group itself is large enough; a figure not shown is "suppressed" and carries no number at all, not even its n.',
      ),
      p(
        'Afgeschermd wordt ook wat door aftrekken te herleiden zou zijn. Voor elk paar cijfers van dezelfde grootheid dat dezelfde lezer kan zien (in één uitvoer, tussen het totaal en een groepsfilter, tussen twee groepen van verschillende indelingen, tussen twee publicaties van dezelfde ronde), waarbij de respondenten van het ene cijfer binnen die van het andere vallen, verschillen ze met 0 of minstens k respondenten. Anders wordt het kleinere cijfer afgeschermd. Alle regels gelden per cijfer, dus per grootheid en per groep, en worden herhaald tot niets meer verandert:',
        'Whatever could be derived by subtraction is suppressed as well. For every pair of figures of the same statistic that one reader can see (within one output, between the total and a group filter, between groups of different breakdowns, between two publications of the same round), where the respondents of one lie within those of the other, they differ by 0 or by at least k respondents. Otherwise the smaller figure is suppressed. Every rule applies per figure, so per statistic and per group, and they are repeated until nothing changes:',
      ),
      {
        kind: 'list',
        items: [
          {
            nl: 'Drempel: een cijfer over minder dan k respondenten wordt afgeschermd. Een groep met minder dan k respondenten krijgt geen enkel cijfer; het management-perspectief geen enkel cijfer onder k managementrespondenten. Ook aantallen ingevulde vragenlijsten (totaal, per versie, per groep) vallen hieronder; het totaal van beide versies wordt niet getoond als het een afgeschermd aantal zou verraden.',
            en: 'Threshold: a figure over fewer than k respondents is suppressed. A group with fewer than k respondents gets no figure at all; the management perspective none under k management respondents. Counts of completed questionnaires (total, per form, per group) fall under this too; the total of both forms is not shown when it would reveal a suppressed count.',
          },
          {
            nl: 'Genest verschil: valt groep G binnen groep H (bijvoorbeeld een afdeling binnen het totaal, of een afdeling die toevallig geheel binnen één leeftijdsgroep valt) en verschillen hun n met 1 tot k - 1, dan wordt het cijfer van G afgeschermd. Voorbeeld (k = 5): het totaal heeft 12 scores op een schaal en afdeling A 9; dan is de schaalscore van A niet te zien, want 12 - 9 = 3.',
            en: 'Nested difference: when group G lies within group H (for example a department within the total, or a department that happens to lie entirely within one age band) and their n differ by 1 to k - 1, the figure of G is suppressed. Example (k = 5): the total has 12 scores on a scale and department A has 9; then the scale score of A is not shown, since 12 - 9 = 3.',
          },
          {
            nl: 'Aanvullende afscherming: per indeling (alle afdelingen inclusief "niet ingevuld", alle leeftijdsgroepen, ...) en per grootheid tellen de afgeschermde groepen samen 0 of minstens k respondenten; anders wordt ook de kleinste getoonde groep afgeschermd (zie de voorbeelden hierboven).',
            en: 'Complementary suppression: per breakdown (all departments including "not stated", all age bands, ...) and per statistic, the suppressed groups together hold 0 or at least k respondents; otherwise the smallest shown group is suppressed too (see the examples above).',
          },
          {
            nl: 'Samengestelde cijfers: de verdeling en het percentage gunstig van een schaal zijn de som van die van haar uitspraken. Rust een afgeschermde uitspraak (of rusten de afgeschermde uitspraken samen) op 1 tot k - 1 respondenten, dan worden verdeling en percentage gunstig van de schaal in die groep niet getoond; het schaalgemiddelde blijft, want dat is geen som van uitspraakcijfers. Zo ook het totaal van beide versies.',
            en: 'Composite figures: the distribution and percentage favourable of a scale are the sum of those of its statements. When a suppressed statement (or the suppressed statements together) rests on 1 to k - 1 respondents, the distribution and percentage favourable of the scale are not shown for that group; the scale mean stays, since it is not a sum of statement figures. Likewise the total of both forms.',
          },
          {
            nl: 'Een groepsfilter is alleen te kiezen voor een groep die in de uitkomsten zichtbaar is; binnen een gefilterd overzicht gelden dezelfde regels, ten opzichte van alle andere overzichten.',
            en: 'A group filter can be chosen only for a group that is visible in the results; within a filtered view the same rules apply, against every other view.',
          },
        ],
      },
      p(
        'Publicaties: uitkomsten bestaan alleen voor gesloten meetrondes. Bij het sluiten wordt de gepubliceerde uitkomst vastgelegd (het totaal en elk toegestaan groepsfilter); elke uitvoer (scherm, API, CSV, rapporten) leest die vastgelegde publicatie. Wordt een ronde heropend en opnieuw gesloten, dan volgt alleen een nieuwe publicatie als er sinds de vorige minstens k ingevulde vragenlijsten bij zijn gekomen; anders blijft de vorige publicatie staan. Ook een nieuwe publicatie wordt getoetst aan alles wat eerder gepubliceerd is: een cijfer dat 1 tot k - 1 respondenten verschilt van het eerder gepubliceerde cijfer van dezelfde grootheid en groep, wordt afgeschermd. Een trend vergelijkt alleen gepubliceerde uitkomsten. Na het sluiten worden alleen vergelijkingen met cijfers van buiten opnieuw berekend (andere organisaties, een later gekozen benchmarkset); die voegen geen cijfer over de respondenten toe.',
        'Publications: results exist only for closed rounds. Closing a round stores the published result (the total and every permitted group filter); every output (screen, API, CSV, reports) reads that stored publication. When a round is reopened and closed again, a new publication follows only when at least k completed questionnaires were added since the previous one; otherwise the previous publication stays. A new publication is also checked against everything published before: a figure that differs by 1 to k - 1 respondents from the earlier published figure of the same statistic and group is suppressed. A trend compares published results only. After the close, only comparisons with outside figures are recomputed (other organisations, a benchmark set chosen later); they add no figure about the respondents.',
      ),
      p(
        'Respons volgen: het aantal uitgenodigden, gestarte en ingevulde vragenlijsten per versie en per afdeling valt onder dezelfde regels, ook terwijl de ronde loopt. Een aantal van 1 tot k - 1 wordt niet getoond ("verborgen"), en evenmin een aantal waaruit er een af te leiden is: het totaal van een versie min de getoonde afdelingen, het aantal van een afdeling min het deel via persoonlijke links, of het totaal van de ronde min één versie. Een aantal 0 blijft zichtbaar. Een responspercentage is alleen te zien als de aantallen waarop het rust te zien zijn. Het verschil tussen gestart en ingevuld (mensen die nog bezig zijn) bevat geen antwoord en telt niet als cijfer.',
        'Response tracking: the numbers of invited, started and submitted questionnaires per form and per department fall under the same rules, also while the round is open. A count of 1 to k - 1 is not shown ("hidden"), nor is a count from which one could be derived: a form\'s total minus the departments shown, a department\'s count minus its part through personal links, or the round\'s total minus one form. A count of 0 stays visible. A response rate is shown only when the counts it rests on are. The difference between started and submitted (people still answering) holds no answer and does not count as a figure.',
      ),
      p(
        'Ruwe antwoorden (raw.csv en de organisatie-export) horen bij de publicatie: alleen de vragenlijsten waarop de gepubliceerde uitkomsten rusten, met alleen de achtergrondgroepen die die publicatie toont. Per versie gaan de rijen pas mee met een nieuwe publicatie als die minstens k rijen van die versie toevoegt ten opzichte van elke eerdere publicatie, niet alleen ten opzichte van de rijen die het bestand al had (de cijfers die een eerdere publicatie over die versie gaf, min de getoonde rijen, zouden anders de rijen geven van de paar mensen die sindsdien zijn bijgekomen); anders blijft het bestand wat het was. Omdat rijen aan hun antwoorden te herkennen zijn, moet ook onder de toegevoegde rijen elke combinatie van getoonde achtergrondwaarden 0 of minstens k keer voorkomen; anders wordt de achtergrond van die versie in het bestand leeggelaten.',
        'Raw answers (raw.csv and the organisation export) belong to the publication: only the questionnaires the published results rest on, with only the background groups that publication shows. Per form, the rows move on to a new publication only when it adds at least k rows of that form to every earlier publication, not only to the rows the file held (the figures an earlier publication gave about a form, minus the rows served, would otherwise give the rows of the few added since); otherwise the file stays as it was. Since rows can be recognised by their answers, every combination of shown background values must also occur 0 or at least k times among the added rows; otherwise the background of that form is left blank in the file.',
      ),
      p(
        'De link van een respondent toont na het indienen alleen dat hij is gebruikt. Wat iemand heeft opgeslagen (ook hoeveel uitspraken al beantwoord zijn) ziet alleen de respondent zelf, in de browser waarin hij invult; wie alleen de link heeft, ziet daar niets van.',
        'A respondent\'s link shows after submitting only that it was used. What someone saved (including how many statements are answered) is shown only to the respondent, in the browser they answer in; whoever only holds the link sees none of it.',
      ),
      p(
        `Kruistabellen van twee indelingen worden niet getoond. Deze versie van de scan heeft geen open vragen, dus er worden geen open antwoorden getoond. Plaatsingen van medewerkers op het dialoogmodel worden alleen als groep getoond, onder dezelfde drempel; plaatsingen van directie, HR en adviseurs zijn bedoeld voor het gezamenlijke gesprek en zijn niet anoniem.`,
        `Cross-tables of two breakdowns are not shown. This version of the scan has no open questions, so no free-text answers are shown. Employees' placements on the dialogue model are shown only as a group, under the same threshold; placements by directors, HR and consultants are meant for the shared conversation and are not anonymous.`,
      ),
      // Invitations (issue 14): who sends the personal links, and what HR can see of who responded.
      p(
        'Persoonlijke uitnodigingen en herinneringen verstuurt het platform zelf: iedere uitgenodigde krijgt een eigen link, die alleen in die e-mail staat. HR ziet adressen en aantallen (uitgenodigd, begonnen, ingevuld, herinnerd), nooit een link en nooit wie wel of niet heeft ingevuld. Een ronde kan er uitdrukkelijk voor kiezen de links zelf te versturen ("wij versturen de links zelf", standaard uit); dan krijgt HR een bestand met ieders persoonlijke link, en wie dat bestand heeft kan de vragenlijst van een met naam bekende persoon openen. In het rapport van zo\'n ronde geldt de anonimiteit van de antwoorden dus alleen zolang dat bestand vertrouwelijk blijft.',
        'Personal invitations and reminders are sent by the platform itself: each invited person gets their own link, which exists only in that email. HR sees addresses and counts (invited, started, submitted, reminded), never a link and never who has or has not responded. A round may explicitly choose to send the links itself ("we send the links ourselves", off by default); HR then receives a file with everyone\'s personal link, and whoever holds that file can open a named person\'s questionnaire. For such a round the anonymity of the answers therefore holds only as long as that file stays confidential.',
      ),
    ],
  },
];

/** The methodology in one language, for templates that do not want to pick texts themselves. */
export function methodologyFor(language: Language): { id: string; title: string; blocks: LocalizedBlock[] }[] {
  return METHODOLOGY.map((section) => ({
    id: section.id,
    title: section.title[language],
    blocks: section.blocks.map((b): LocalizedBlock => {
      switch (b.kind) {
        case 'paragraph':
          return { kind: 'paragraph', text: b.text[language] };
        case 'list':
          return { kind: 'list', items: b.items.map((i) => i[language]) };
        case 'formula':
          return { kind: 'formula', text: b.text[language] };
        case 'table':
          return { kind: 'table', header: b.header.map((h) => h[language]), rows: b.rows.map((r) => r.map((c) => c[language])) };
      }
    }),
  }));
}

export type LocalizedBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'formula'; text: string }
  | { kind: 'table'; header: string[]; rows: string[][] };

/** The methodology as Markdown; docs/methodology.md (en) and docs/methodology.nl.md (nl) are this output. */
export function renderMethodologyMarkdown(language: Language): string {
  const title = language === 'nl' ? 'Methodologie van de leercultuurscan' : 'Methodology of the learning culture scan';
  const intro =
    language === 'nl'
      ? '_Dit document wordt gegenereerd uit `scans/methodology.ts`; pas de tekst daar aan._'
      : '_This document is generated from `scans/methodology.ts`; edit the text there._';
  const out: string[] = [`# ${title}`, '', intro, ''];
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  for (const section of methodologyFor(language)) {
    out.push(`## ${section.title}`, '');
    for (const b of section.blocks) {
      switch (b.kind) {
        case 'paragraph':
          out.push(b.text, '');
          break;
        case 'list':
          for (const item of b.items) out.push(`- ${item}`);
          out.push('');
          break;
        case 'formula':
          out.push('```text', b.text, '```', '');
          break;
        case 'table':
          out.push(`| ${b.header.map(cell).join(' | ')} |`, `|${b.header.map(() => '---').join('|')}|`);
          for (const row of b.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
          out.push('');
          break;
      }
    }
  }
  return out.join('\n');
}
