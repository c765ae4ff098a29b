// Product texts of the web app in Dutch (default) and English. Instrument texts (items, scales,
// quadrants) come from scans/ and are not repeated here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Language, LocalizedText } from '../../scans/types.js';
import { fmtDate as reportDate } from '../../report-templates/format.js';
import { pageQuery } from './params.js';

export type Lang = Language;
export const LANG_COOKIE = 'lcs_lang';

const T = {
  appName: { nl: 'Leercultuurscan', en: 'Learning culture scan' },
  skipToContent: { nl: 'Naar de inhoud', en: 'Skip to content' },
  language: { nl: 'Taal', en: 'Language' },
  demoBanner: {
    nl: 'Demo-omgeving: alle organisaties, personen en antwoorden zijn verzonnen.',
    en: 'Demo environment: all organisations, people and answers are made up.',
  },
  footer: {
    nl: 'Leercultuurscan · antwoorden zijn anoniem; uitkomsten alleen voor groepen vanaf de anonimiteitsdrempel.',
    en: 'Learning culture scan · answers are anonymous; results only for groups at or above the anonymity threshold.',
  },

  // sign-in
  signIn: { nl: 'Inloggen', en: 'Sign in' },
  signInTitle: { nl: 'Inloggen bij de Leercultuurscan', en: 'Sign in to the learning culture scan' },
  signInLead: {
    nl: 'Voor HR, directie en adviseurs. Medewerkers openen de vragenlijst via de link die ze hebben ontvangen.',
    en: 'For HR, directors and consultants. Employees open the questionnaire through the link they received.',
  },
  email: { nl: 'E-mailadres', en: 'Email address' },
  password: { nl: 'Wachtwoord', en: 'Password' },
  signOut: { nl: 'Uitloggen', en: 'Sign out' },
  signedOut: { nl: 'U bent uitgelogd.', en: 'You have signed out.' },
  passwordChosen: { nl: 'Uw wachtwoord is opgeslagen. U kunt nu inloggen.', en: 'Your password has been saved. You can sign in now.' },
  manageUsers: { nl: 'Gebruikers', en: 'Users' },
  newOrganisation: { nl: 'Nieuwe organisatie', en: 'New organisation' },
  loginFailed: { nl: 'Onbekend e-mailadres of onjuist wachtwoord.', en: 'Unknown email address or wrong password.' },
  loginRateLimited: {
    nl: 'Te veel pogingen. Wacht een minuut en probeer het opnieuw.',
    en: 'Too many attempts. Wait a minute and try again.',
  },
  sessionExpired: { nl: 'Uw sessie is verlopen. Log opnieuw in.', en: 'Your session has expired. Please sign in again.' },
  demoLogins: { nl: 'Demo-logins', en: 'Demo logins' },
  demoLoginsLead: {
    nl: 'Deze installatie draait op de demodatabase. Log in met een van deze accounts (wachtwoord voor alle drie):',
    en: 'This installation runs on the demo database. Sign in with one of these accounts (same password for all three):',
  },
  useThisLogin: { nl: 'Gebruik', en: 'Use' },
  role_consultant: { nl: 'Adviseur', en: 'Consultant' },
  role_hr: { nl: 'HR', en: 'HR' },
  role_director: { nl: 'Directie', en: 'Director' },

  // navigation and workspace
  organisations: { nl: 'Organisaties', en: 'Organisations' },
  clientOrganisations: { nl: 'Klantorganisaties', en: 'Client organisations' },
  organisationsLead: { nl: 'Kies een organisatie om haar scanrondes te beheren en de resultaten te bekijken.', en: 'Choose an organisation to manage its scan rounds and see the results.' },
  latestRound: { nl: 'Laatste ronde', en: 'Latest round' },
  branding: { nl: 'Huisstijl', en: 'Branding' },
  benchmarks: { nl: 'Benchmarks', en: 'Benchmarks' },
  rounds: { nl: 'Scanrondes', en: 'Scan rounds' },
  round: { nl: 'Scanronde', en: 'Scan round' },
  noRounds: { nl: 'Nog geen scanrondes.', en: 'No scan rounds yet.' },
  noOrganisations: { nl: 'Nog geen organisaties.', en: 'No organisations yet.' },
  newRound: { nl: 'Nieuwe scanronde', en: 'New scan round' },
  sector: { nl: 'Sector', en: 'Sector' },
  sizeClass: { nl: 'Omvang', en: 'Size' },
  status: { nl: 'Status', en: 'Status' },
  status_draft: { nl: 'Concept', en: 'Draft' },
  status_open: { nl: 'Open', en: 'Open' },
  status_closed: { nl: 'Gesloten', en: 'Closed' },
  opensAt: { nl: 'Opent', en: 'Opens' },
  closesAt: { nl: 'Sluit', en: 'Closes' },
  open: { nl: 'Openen', en: 'Open' },
  view: { nl: 'Bekijken', en: 'View' },
  back: { nl: 'Terug', en: 'Back' },
  save: { nl: 'Opslaan', en: 'Save' },
  saved: { nl: 'Opgeslagen', en: 'Saved' },
  cancel: { nl: 'Annuleren', en: 'Cancel' },
  demo: { nl: 'Demo', en: 'Demo' },
  notAvailableYet: {
    nl: 'Dit onderdeel is nog niet beschikbaar op deze server.',
    en: 'This part is not available on this server yet.',
  },

  // round form
  roundName: { nl: 'Naam van de ronde', en: 'Name of the round' },
  modules: { nl: 'Onderdelen', en: 'Modules' },
  module_culture_scan: { nl: 'Cultuurscan (zeven mechanismen)', en: 'Culture scan (seven mechanisms)' },
  module_sme_checklist: { nl: 'Checklist leer- en ontwikkelbeleid', en: 'Learning and development policy checklist' },
  module_dialogue_model: { nl: 'LLO-dialoogmodel', en: 'LLO dialogue model' },
  module_factors: { nl: 'Stimulerende en belemmerende factoren', en: 'Stimulating and hindering factors' },
  languages: { nl: 'Talen', en: 'Languages' },
  lang_nl: { nl: 'Nederlands', en: 'Dutch' },
  lang_en: { nl: 'Engels', en: 'English' },
  departments: { nl: 'Afdelingen', en: 'Departments' },
  departmentsHint: { nl: 'Eén afdeling per regel. Medewerkers kiezen hieruit (optioneel).', en: 'One department per line. Employees choose from these (optional).' },
  threshold: { nl: 'Anonimiteitsdrempel', en: 'Anonymity threshold' },
  thresholdHint: { nl: 'Minimaal 5: groepen met minder respondenten krijgen geen uitkomsten.', en: 'At least 5: groups with fewer respondents get no results.' },
  employeePlacements: { nl: 'Medewerkers plaatsen de organisatie ook op het dialoogmodel (anoniem)', en: 'Employees also place the organisation on the dialogue model (anonymously)' },
  createRound: { nl: 'Ronde aanmaken', en: 'Create round' },
  dates: { nl: 'Periode', en: 'Period' },

  // round page
  invite: { nl: 'Uitnodigen', en: 'Invite' },
  uses: { nl: '{n} keer gestart', en: 'started {n} times' },
  revoked: { nl: 'ingetrokken', en: 'withdrawn' },
  revoke: { nl: 'Intrekken', en: 'Withdraw' },
  revokeConfirm: { nl: 'Deze link intrekken? Hij werkt daarna niet meer; wie al begonnen is, kan verder.', en: 'Withdraw this link? It stops working; people who already started can continue.' },
  personalCounts: { nl: '{n} persoonlijke links, {open} nog niet begonnen', en: '{n} personal links, {open} not started yet' },
  reissue: { nl: 'Herinnering: nieuwe links', en: 'Reminder: new links' },
  noDepartment: { nl: 'Geen afdeling bekend', en: 'No department known' },
  sharedLink: { nl: 'Gedeelde link', en: 'Shared link' },
  sharedLinkLead: {
    nl: 'Eén link voor iedereen, bijvoorbeeld op intranet of in een nieuwsbrief.',
    en: 'One link for everyone, for example on the intranet or in a newsletter.',
  },
  createSharedLink: { nl: 'Gedeelde link maken', en: 'Create shared link' },
  maxResponses: { nl: 'Maximum aantal antwoorden (optioneel)', en: 'Maximum number of responses (optional)' },
  form_employee: { nl: 'Medewerkers', en: 'Employees' },
  form_management: { nl: 'Management en HR', en: 'Management and HR' },
  form: { nl: 'Vragenlijst', en: 'Form' },
  copy: { nl: 'Kopiëren', en: 'Copy' },
  copied: { nl: 'Gekopieerd', en: 'Copied' },
  linkShownOnce: {
    nl: 'Bewaar deze link nu: om veiligheidsredenen wordt alleen een versleutelde vorm bewaard.',
    en: 'Keep this link now: for security only a hashed form is stored.',
  },
  personalLinks: { nl: 'Persoonlijke links', en: 'Personal links' },
  personalLinksLead: {
    nl: 'Upload een CSV-bestand met e-mailadressen (één per regel, optioneel met afdeling). U krijgt een CSV met een persoonlijke link per adres terug, voor een mailing.',
    en: 'Upload a CSV file with email addresses (one per line, optionally with department). You get back a CSV with a personal link per address, for a mail merge.',
  },
  csvFile: { nl: 'CSV-bestand', en: 'CSV file' },
  // invitations sent by the platform, reminders, outbox
  personalInvitations: { nl: 'Persoonlijke uitnodigingen per e-mail', en: 'Personal invitations by email' },
  personalInvitationsLead: {
    nl: 'Upload een CSV met e-mailadressen, of vul ze hieronder in. Het platform stuurt iedereen een eigen link, in de taal van de ronde en met de huisstijl van het adviesbureau. U ziet geen links: alleen adressen en aantallen.',
    en: 'Upload a CSV of email addresses, or enter them below. The platform sends each person their own link, in the round\'s language and with the consultancy\'s branding. You see no links: only addresses and counts.',
  },
  csvColumnsHelp: {
    nl: 'Kolommen (met kopregel): email, en naar keuze afdeling, rol (medewerker/leidinggevende), opleiding (basic, mbo, havo_vwo, hbo_wo), contract (vast/flexibel), leeftijd (under_25, 25_34, 35_44, 45_54, 55_plus), formulier (medewerkers/management), taal (nl/en). Achtergrond uit de lijst wordt bij het insturen aan het antwoord meegegeven en niet opnieuw gevraagd; er blijft geen verband tussen uitnodiging en antwoord.',
    en: 'Columns (with a header row): email, and optionally department, role (employee/manager), education (basic, mbo, havo_vwo, hbo_wo), contract (permanent/flexible), age_band (under_25, 25_34, 35_44, 45_54, 55_plus), form (employee/management), language (nl/en). Background from the list is given to the response at submission and not asked again; no link between invitation and response is kept.',
  },
  addAddresses: { nl: 'Of adressen invullen (één per regel)', en: 'Or enter addresses (one per line)' },
  sendInvitations: { nl: 'Uitnodigingen versturen', en: 'Send invitations' },
  invitationsQueued: { nl: '{n} uitnodigingen staan klaar om te versturen.', en: '{n} invitations are queued for sending.' },
  invitationsWaitForOpening: { nl: 'Ze worden verstuurd zodra de ronde open is.', en: 'They are sent as soon as the round is open.' },
  allAlreadyInvited: {
    nl: 'Alle {n} adressen in deze lijst hadden al een link; er is dus geen nieuw bestand. Nodig iemand opnieuw uit met "Herinnering: nieuwe links".',
    en: 'All {n} addresses in this list already had a link, so there is no new file. To invite someone again, use "Reminder: new links".',
  },
  roundCreatedNotice: { nl: 'De ronde is aangemaakt. Open hem wanneer u klaar bent om uit te nodigen.', en: 'The round has been created. Open it when you are ready to invite people.' },
  alphaNegative: { nl: '(negatief: de uitspraken hangen niet samen; lees de schaal niet als geheel)', en: '(negative: the statements do not hang together; do not read the scale as a whole)' },
  closedOn: { nl: 'Gesloten op', en: 'Closed on' },
  plannedClose: { nl: 'gepland: {d}', en: 'planned: {d}' },
  alreadyInvitedCount: { nl: '{n} adressen waren al uitgenodigd en kregen geen nieuw bericht.', en: '{n} addresses were already invited and got no new message.' },
  invitedCount: { nl: '{n} uitgenodigd', en: '{n} invited' },
  mailBatches: { nl: 'Verzonden berichten', en: 'Messages sent' },
  batchKind_invitation: { nl: 'Uitnodiging', en: 'Invitation' },
  batchKind_reminder: { nl: 'Herinnering', en: 'Reminder' },
  batchStatus_scheduled: { nl: 'gepland', en: 'scheduled' },
  batchStatus_waiting_for_opening: { nl: 'wacht op opening', en: 'waiting for the opening' },
  batchStatus_queued: { nl: 'in de wachtrij', en: 'queued' },
  batchStatus_sending: { nl: 'bezig', en: 'sending' },
  batchStatus_sent: { nl: 'verstuurd', en: 'sent' },
  batchStatus_partly_failed: { nl: 'deels mislukt', en: 'partly failed' },
  batchStatus_failed: { nl: 'mislukt', en: 'failed' },
  batchStatus_cancelled: { nl: 'geannuleerd', en: 'cancelled' },
  batchStatus_empty: { nl: 'niemand te herinneren', en: 'nobody to remind' },
  batchCounts: { nl: '{sent} verstuurd, {queued} wachtend, {failed} mislukt', en: '{sent} sent, {queued} waiting, {failed} failed' },
  failedReason: { nl: 'Reden', en: 'Reason' },
  reminders: { nl: 'Herinneringen', en: 'Reminders' },
  remindersLead: {
    nl: 'Een herinnering gaat alleen naar uitgenodigden die nog niet hebben ingestuurd. U ziet hoeveel mensen een herinnering kregen, niet wie.',
    en: 'A reminder goes only to invited people who have not submitted. You see how many were reminded, not who.',
  },
  remindNow: { nl: 'Nu herinneren', en: 'Remind now' },
  remindDaysBefore: { nl: 'Dagen voor sluiting', en: 'Days before closing' },
  scheduleReminder: { nl: 'Herinnering plannen', en: 'Schedule reminder' },
  reminderScheduled: { nl: 'Herinnering gepland.', en: 'Reminder scheduled.' },
  reminderQueued: { nl: 'Herinnering wordt verstuurd.', en: 'The reminder is being sent.' },
  remindedCount: { nl: '{n} herinnerd', en: '{n} reminded' },
  needsClosingDate: { nl: 'Geef de ronde een sluitingsdatum om herinneringen vooraf te plannen.', en: 'Give the round a closing date to schedule reminders in advance.' },
  selfSendTitle: { nl: 'Wij versturen de links zelf', en: 'We send the links ourselves' },
  selfSendLead: {
    nl: 'Alleen als u de persoonlijke links per se zelf wilt mailen (mail merge). Gevolg: u krijgt een bestand met ieders persoonlijke link, en wie dat bestand heeft kan de vragenlijst van een met naam bekende persoon openen. Het platform verstuurt dan geen uitnodigingen of herinneringen. Dit kan alleen vóór de eerste persoonlijke uitnodiging worden gekozen.',
    en: 'Only if you must mail the personal links yourself (mail merge). Consequence: you get a file with everyone\'s personal link, and whoever has that file can open a named person\'s questionnaire. The platform then sends no invitations or reminders. This can only be chosen before the first personal invitation.',
  },
  selfSendOn: { nl: 'Deze ronde verstuurt de links zelf (mail merge). Wie het bestand met links heeft, kan de vragenlijst van een met naam bekende persoon openen.', en: 'This round sends its own links (mail merge). Whoever has the file of links can open a named person\'s questionnaire.' },
  selfSendChoose: { nl: 'Links zelf versturen', en: 'Send links ourselves' },
  outbox: { nl: 'Outbox', en: 'Outbox' },
  qrCodeOf: { nl: 'QR-code van de gedeelde link', en: 'QR code of the shared link' },
  qrCodeHelp: {
    nl: 'Voor medewerkers zonder e-mail: print deze QR-code (bijvoorbeeld voor de kantine of het prikbord) of maak er een schermafbeelding van. Bewaar hem nu: de link wordt maar één keer getoond.',
    en: 'For staff without email: print this QR code (for the canteen or a notice board, say) or take a screenshot. Keep it now: the link is shown only once.',
  },
  outboxLead: {
    nl: 'Alle berichten die het platform verstuurde of nog gaat versturen. Bij herinneringen staat geen ontvanger: wie nog niet heeft ingevuld blijft onbekend.',
    en: 'Every message the platform sent or is about to send. Reminders show no recipient: who has not responded stays unknown.',
  },
  outboxModeNotice: {
    nl: 'Outbox-modus (MAIL_TRANSPORT=outbox): er wordt niets echt verstuurd. De berichten staan hier, met hun persoonlijke link, zodat u ziet wat mensen zouden ontvangen. Gebruik voor een echte ronde MAIL_TRANSPORT=smtp: dan bewaart het platform de berichten niet en ziet niemand de links.',
    en: 'Outbox mode (MAIL_TRANSPORT=outbox): nothing is actually sent. Messages are kept here, with their personal link, so you can see what people would receive. For a real round use MAIL_TRANSPORT=smtp: the platform then keeps no message bodies and nobody sees the links.',
  },
  outboxEmpty: { nl: 'Nog geen berichten.', en: 'No messages yet.' },
  recipient: { nl: 'Ontvanger', en: 'Recipient' },
  recipientHidden: { nl: 'verborgen (herinnering)', en: 'hidden (reminder)' },
  subject: { nl: 'Onderwerp', en: 'Subject' },
  mailStatus_queued: { nl: 'wachtend', en: 'queued' },
  mailStatus_sending: { nl: 'bezig', en: 'sending' },
  mailStatus_sent: { nl: 'verstuurd', en: 'sent' },
  mailStatus_failed: { nl: 'mislukt', en: 'failed' },
  openMessage: { nl: 'Bericht openen', en: 'Open message' },
  htmlVersion: { nl: 'HTML-versie', en: 'HTML version' },
  sentAt: { nl: 'Verstuurd', en: 'Sent' },

  uploadAndDownload: { nl: 'Links maken en downloaden', en: 'Create and download links' },
  responseRates: { nl: 'Respons', en: 'Response' },
  responseRatesLive: { nl: 'Wordt elke {s} seconden bijgewerkt.', en: 'Updates every {s} seconds.' },
  invited: { nl: 'Uitgenodigd', en: 'Invited' },
  started: { nl: 'Begonnen', en: 'Started' },
  submitted: { nl: 'Ingevuld', en: 'Submitted' },
  rate: { nl: 'Respons', en: 'Rate' },
  total: { nl: 'Totaal', en: 'Total' },
  noRateBelowK: { nl: 'verborgen (te klein)', en: 'hidden (too small)' },
  openRound: { nl: 'Ronde openen', en: 'Open round' },
  closeRound: { nl: 'Ronde sluiten', en: 'Close round' },
  reopenRound: { nl: 'Ronde heropenen', en: 'Reopen round' },
  closeRoundConfirm: { nl: 'Weet u zeker dat u de ronde wilt sluiten? Respondenten kunnen daarna niets meer invullen.', en: 'Are you sure you want to close the round? Respondents can no longer answer afterwards.' },
  checklist: { nl: 'Checklist beleid', en: 'Policy checklist' },
  dialogueModel: { nl: 'Dialoogmodel', en: 'Dialogue model' },
  results: { nl: 'Resultaten', en: 'Results' },
  reports: { nl: 'Rapporten', en: 'Reports' },
  clientReport: { nl: 'Klantrapport (PDF)', en: 'Client report (PDF)' },
  directorSummary: { nl: 'Directiesamenvatting (PDF)', en: 'Director summary (PDF)' },
  inDutch: { nl: 'Nederlands', en: 'Dutch' },
  inEnglish: { nl: 'Engels', en: 'English' },
  nextSteps: { nl: 'Stappen', en: 'Steps' },

  // checklist
  roundClosedReadOnly: { nl: 'Deze ronde is gesloten: u kunt alleen kijken. Heropen de ronde om iets te wijzigen.', en: 'This round is closed: you can only look. Reopen the round to change anything.' },
  checklistLead: {
    nl: 'Geef voor de organisatie als geheel aan of elk onderdeel aanwezig is. Naast elk onderdeel staat het aandeel mkb-bedrijven waar het aanwezig is.',
    en: 'Indicate for the organisation as a whole whether each element is in place. Beside each element is the share of SMEs where it is in place.',
  },
  ofSmes: { nl: 'van het mkb', en: 'of SMEs' },

  // dialogue
  dialogueLead: {
    nl: 'Plaats de organisatie drie keer: een kenmerkende periode uit het verleden, nu, en waar u naartoe wilt. Klik of sleep in het model, of vul de getallen in (−100 tot 100).',
    en: 'Place the organisation three times: a characteristic period from the past, now, and where you want to go. Click or drag in the model, or enter the numbers (−100 to 100).',
  },
  frame: { nl: 'Moment', en: 'Moment' },
  focusAxis: { nl: 'Focus', en: 'Focus' },
  stanceAxis: { nl: 'Houding', en: 'Stance' },
  axesHint: {
    nl: 'Focus: −100 = organisatie en samenleving, 100 = mensen. Houding: −100 = reactief, 100 = proactief.',
    en: 'Focus: −100 = organisation and society, 100 = people. Stance: −100 = reactive, 100 = proactive.',
  },
  mean_director: { nl: 'Gemiddelde directie', en: 'Mean of directors' },
  mean_hr: { nl: 'Gemiddelde HR', en: 'Mean of HR' },
  mean_employee: { nl: 'Gemiddelde medewerkers', en: 'Mean of employees' },
  mean_consultant: { nl: 'Gemiddelde adviseurs', en: 'Mean of consultants' },
  placeWhich: { nl: 'Welk punt plaatst u?', en: 'Which point are you placing?' },
  placeNoScript: {
    nl: 'Vul per moment de twee getallen in (van −100 tot 100) en sla op; het model toont uw punten daarna. Klikken en slepen in het model werkt alleen met JavaScript.',
    en: 'Enter the two numbers per moment (from −100 to 100) and save; the model then shows your points. Clicking and dragging in the model needs JavaScript.',
  },
  yourPlacement: { nl: 'Uw plaatsing', en: 'Your placement' },
  meanOf: { nl: 'Gemiddelde', en: 'Mean' },
  group_director: { nl: 'Directie', en: 'Directors' },
  group_hr: { nl: 'HR', en: 'HR' },
  group_consultant: { nl: 'Adviseurs', en: 'Consultants' },
  group_employee: { nl: 'Medewerkers', en: 'Employees' },
  currentVsDesired: { nl: 'Huidig tegenover gewenst', en: 'Current versus desired' },
  employeeMeanAfterClose: { nl: 'Het gemiddelde van de medewerkers verschijnt zodra de ronde is gesloten (alleen bij voldoende plaatsingen).', en: 'The mean of the employees appears once the round is closed (only with enough placements).' },
  currentToDesired: { nl: 'Van huidig naar gewenst', en: 'From current to desired' },
  moveFromTo: { nl: 'Van {from} naar {to}', en: 'From {from} to {to}' },
  sameQuadrant: { nl: 'Blijft in {q}', en: 'Stays in {q}' },
  notPlaced: { nl: 'Nog niet geplaatst', en: 'Not placed yet' },
  placementsSaved: { nl: 'Uw plaatsingen zijn opgeslagen.', en: 'Your placements have been saved.' },
  savePlacements: { nl: 'Plaatsingen opslaan', en: 'Save placements' },
  others: { nl: 'Anderen', en: 'Others' },
  noneYet: { nl: 'Nog geen', en: 'None yet' },
  quadrantPicture: { nl: 'Het dialoogmodel met vier kwadranten', en: 'The dialogue model with four quadrants' },

  // branding and benchmarks
  brandingLead: {
    nl: 'Uw logo en accentkleur staan op de rapporten en in deze omgeving.',
    en: 'Your logo and accent colour appear on the reports and in this workspace.',
  },
  accentColour: { nl: 'Accentkleur', en: 'Accent colour' },
  logo: { nl: 'Logo (PNG of JPEG, max. 1 MB)', en: 'Logo (PNG or JPEG, max 1 MB)' },
  currentLogo: { nl: 'Huidig logo', en: 'Current logo' },
  benchmarkLead: {
    nl: 'Upload een eigen benchmarkset als CSV met de kolommen: scale of item, waarde, n, bron, jaar. Foute regels worden met regelnummer gemeld; dan wordt niets opgeslagen.',
    en: 'Upload your own benchmark set as CSV with the columns: scale or item, value, n, source, year. Bad rows are reported with their line number; then nothing is stored.',
  },
  setName: { nl: 'Naam van de set', en: 'Name of the set' },
  upload: { nl: 'Uploaden', en: 'Upload' },
  uploaded: { nl: 'Geüpload', en: 'Uploaded' },
  benchmarkSets: { nl: 'Benchmarksets', en: 'Benchmark sets' },
  benchmarkSet: { nl: 'Benchmarkset', en: 'Benchmark set' },
  noBenchmarkSet: { nl: 'Geen eigen set', en: 'No custom set' },

  consultancyName: { nl: 'Naam van het adviesbureau', en: 'Name of the consultancy' },
  removeLogo: { nl: 'Logo verwijderen', en: 'Remove logo' },
  noBenchmarkSets: { nl: 'Nog geen eigen benchmarksets.', en: 'No benchmark sets of your own yet.' },
  values: { nl: 'Waarden', en: 'Values' },
  uploadRejected: { nl: 'Het bestand is niet opgeslagen.', en: 'The file was not stored.' },

  // results
  resultsFor: { nl: 'Resultaten', en: 'Results' },
  respondents: { nl: 'respondenten', en: 'respondents' },
  responseRate: { nl: 'respons', en: 'response rate' },
  mechanisms: { nl: 'De zeven mechanismen', en: 'The seven mechanisms' },
  mechanismsLead: {
    nl: 'Gemiddelde score (1–5) en percentage gunstig (de twee hoogste antwoorden), naast de benchmarks.',
    en: 'Mean score (1–5) and percentage favourable (the two highest answers), beside the benchmarks.',
  },
  mechanism: { nl: 'Mechanisme', en: 'Mechanism' },
  score: { nl: 'Score', en: 'Score' },
  favourable: { nl: 'Gunstig', en: 'Favourable' },
  benchmark: { nl: 'Benchmark', en: 'Benchmark' },
  alpha: { nl: 'Alfa', en: 'Alpha' },
  alphaLong: { nl: "Cronbach's alfa: betrouwbaarheid van de schaal", en: "Cronbach's alpha: reliability of the scale" },
  items: { nl: 'Uitspraken', en: 'Items' },
  item: { nl: 'Uitspraak', en: 'Item' },
  perspectives: { nl: 'Twee perspectieven', en: 'Two perspectives' },
  perspectivesLead: {
    nl: 'Medewerkers tegenover management en HR op dezelfde uitspraken. Het verschil is management min medewerkers.',
    en: 'Employees versus management and HR on the same statements. The gap is management minus employees.',
  },
  employees: { nl: 'Medewerkers', en: 'Employees' },
  management: { nl: 'Management/HR', en: 'Management/HR' },
  gap: { nl: 'Verschil', en: 'Gap' },
  perspectivesUnavailable: { nl: 'Er zijn (nog) te weinig antwoorden van management en HR om te vergelijken.', en: 'There are (as yet) too few answers from management and HR to compare.' },
  heatmap: { nl: 'Groepen × mechanismen', en: 'Groups × mechanisms' },
  heatmapLead: {
    nl: 'Gemiddelde score per groep. Groepen onder de drempel (of die een kleine groep zouden verraden) zijn verborgen.',
    en: 'Mean score per group. Groups under the threshold (or that would reveal a small group) are hidden.',
  },
  hidden: { nl: 'verborgen', en: 'hidden' },
  hiddenGroup: { nl: 'Verborgen: te weinig respondenten', en: 'Hidden: too few respondents' },
  group: { nl: 'Groep', en: 'Group' },
  priorities: { nl: 'Prioriteiten', en: 'Priorities' },
  prioritiesLead: {
    nl: 'Mechanismen die volgens de regels van de scan aandacht vragen, met de reden en interventies gericht op de zwakste uitspraken. Bespreek ze samen en kies.',
    en: 'Mechanisms that the scan\'s rules flag for attention, with the reason and interventions aimed at the weakest statements. Discuss them together and choose.',
  },
  interventions: { nl: 'Mogelijke interventies', en: 'Possible interventions' },
  noSharedPicture: { nl: 'geen gedeeld beeld', en: 'no shared picture' },
  facilitatorPage: { nl: 'Sessie begeleiden', en: 'Facilitate the session' },
  dialogueStory: { nl: 'Het verhaal per groep', en: 'The story per group' },
  differMost: { nl: 'Grootste verschil', en: 'Largest difference' },
  dialogueRules: {
    nl: 'Een groep heeft een gedeeld beeld als minstens {share}% van de plaatsingen in één kwadrant ligt. Plaatsingen binnen {band} punten van een as liggen op de grens.',
    en: 'A group has a shared picture when at least {share}% of its placements lie in one quadrant. Placements within {band} points of an axis lie on the border.',
  },
  interventionsFor: { nl: 'Interventies gericht op de zwakste uitspraken', en: 'Interventions aimed at the weakest statements' },
  firstStep: { nl: 'Eerste stap deze maand', en: 'First step this month' },
  basedOn: { nl: 'Onderbouwing', en: 'Based on' },
  owner_hr: { nl: 'HR', en: 'HR' },
  owner_manager: { nl: 'Leidinggevende', en: 'Manager' },
  owner_team: { nl: 'Team', en: 'Team' },
  band_low: { nl: 'vraagt aandacht', en: 'needs attention' },
  band_middle: { nl: 'gemengd beeld', en: 'mixed picture' },
  band_high: { nl: 'sterk punt', en: 'strength' },
  trend: { nl: 'Ontwikkeling', en: 'Trend' },
  trendSince: { nl: 'Verandering sinds {round}', en: 'Change since {round}' },
  noTrend: { nl: 'Er is nog geen eerdere ronde om mee te vergelijken.', en: 'There is no earlier round to compare with yet.' },
  previous: { nl: 'Vorige', en: 'Previous' },
  current: { nl: 'Nu', en: 'Now' },
  change: { nl: 'Verandering', en: 'Change' },
  checklistResult: { nl: 'Checklist leer- en ontwikkelbeleid', en: 'Learning and development policy checklist' },
  inPlaceOf: { nl: '{n} van {total} onderdelen aanwezig', en: '{n} of {total} elements in place' },
  answer_yes: { nl: 'Ja', en: 'Yes' },
  answer_no: { nl: 'Nee', en: 'No' },
  answer_dont_know: { nl: 'Weet ik niet', en: "Don't know" },
  notAnswered: { nl: 'Niet ingevuld', en: 'Not answered' },
  suppressedMechanism: { nl: 'Te weinig respondenten om uitkomsten te tonen.', en: 'Too few respondents to show results.' },
  sources: { nl: 'Bronnen', en: 'Sources' },
  anonymity: { nl: 'Anonimiteit', en: 'Anonymity' },
  downloadCsv: { nl: 'Resultaten als CSV', en: 'Results as CSV' },
  notYetResults: { nl: 'Er zijn nog geen resultaten voor deze ronde.', en: 'There are no results for this round yet.' },
  afterClose: { nl: 'Beschikbaar na het sluiten van de ronde', en: 'Available once the round is closed' },
  resultsAfterClose: { nl: 'De resultaten zijn beschikbaar zodra de ronde is gesloten. Volg intussen de respons op de pagina van de ronde.', en: 'The results are available once the round is closed. Meanwhile, follow the response on the round page.' },
  overallPercentile: { nl: 'Percentiel in de pool', en: 'Percentile in the pool' },
  dimension_department: { nl: 'Afdeling', en: 'Department' },
  dimension_role: { nl: 'Rol', en: 'Role' },
  dimension_education: { nl: 'Opleiding', en: 'Education' },
  dimension_contract: { nl: 'Contract', en: 'Contract' },
  dimension_age_band: { nl: 'Leeftijd', en: 'Age' },
  scoreChartTitle: { nl: 'Score per mechanisme', en: 'Score per mechanism' },
  organisation: { nl: 'Organisatie', en: 'Organisation' },
  tableView: { nl: 'Als tabel', en: 'As a table' },

  distribution: { nl: 'Verdeling', en: 'Distribution' },
  percentileShort: { nl: 'Percentiel', en: 'Percentile' },
  poolNote: { nl: 'kwartiel (of deciel) onder andere organisaties die de Leercultuurscan gebruiken, bij andere adviesbureaus', en: 'quartile (or decile) among other organisations using the Leercultuurscan, with other consultancies' },
  itemsLead: {
    nl: 'Per uitspraak de verdeling van de antwoorden (omgekeerd geformuleerde uitspraken al omgedraaid), de score en het percentage gunstig, met het landelijke cijfer waar dat bestaat.',
    en: 'Per statement the distribution of answers (reverse-worded statements already turned around), the score and the percentage favourable, with the national figure where one exists.',
  },
  publishedFigure: { nl: 'Landelijk cijfer', en: 'National figure' },
  reversedItem: { nl: 'Omgekeerd geformuleerd: de antwoorden zijn omgedraaid', en: 'Reverse-worded: answers have been turned around' },
  reversedShort: { nl: 'omgekeerd', en: 'reversed' },
  advice: { nl: 'Advies', en: 'Advice' },
  source: { nl: 'Bron', en: 'Source' },
  noGroups: { nl: 'Er zijn geen groepen om te tonen.', en: 'There are no groups to show.' },
  practice: { nl: 'Onderdeel', en: 'Practice' },
  shareSmes: { nl: 'Aandeel mkb', en: 'Share of SMEs' },
  checklistCaveat: {
    nl: 'De aandelen komen uit een eigen meting onder mkb-bedrijven met eigen vragen; vergelijk met voorzichtigheid.',
    en: 'The shares come from a separate survey of SMEs with its own questions; compare with care.',
  },
  checklistLargeOrganisation: {
    nl: 'Uw organisatie heeft 250 of meer medewerkers; de aandelen gaan over mkb-bedrijven. Ze tonen hoe gangbaar een onderdeel in het mkb is, niet of u voor of achter loopt op organisaties van uw omvang.',
    en: 'Your organisation has 250 or more employees; the shares are about SMEs. They show how common a practice is among SMEs, not whether you are ahead of or behind organisations of your size.',
  },
  frame_past: { nl: 'Verleden', en: 'Past' },
  frame_current: { nl: 'Huidig', en: 'Current' },
  frame_desired: { nl: 'Gewenst', en: 'Desired' },
  quadrant_defensive: { nl: 'Defensief', en: 'Defensive' },
  quadrant_offensive: { nl: 'Offensief', en: 'Offensive' },
  quadrant_curative: { nl: 'Curatief', en: 'Curative' },
  quadrant_preventive: { nl: 'Preventief', en: 'Preventive' },
  dialogueResultsLead: {
    nl: 'Het gemiddelde punt per groep voor verleden, huidig en gewenst, met de route ertussen. Waar groepen ver uit elkaar liggen, is het gesprek het meest waard.',
    en: 'The mean point per group for past, current and desired, with the route between them. Where groups lie far apart, the conversation is most worth having.',
  },
  generatedAt: { nl: 'Berekend op', en: 'Computed on' },
  sharedOnly: { nl: 'alleen gedeelde links', en: 'shared links only' },
  demoResults: { nl: 'Deze resultaten zijn gebaseerd op verzonnen demodata.', en: 'These results are based on made-up demo data.' },
  resultsNav: { nl: 'Onderdelen van de resultaten', en: 'Parts of the results' },
  heatmapShort: { nl: 'Groepen', en: 'Groups' },

  // survey
  surveyWelcome: { nl: 'Welkom bij de Leercultuurscan', en: 'Welcome to the learning culture scan' },
  surveyIntro: {
    nl: 'Deze vragenlijst gaat over leren en ontwikkelen in uw werk. Het invullen duurt ongeveer 10 minuten. Uw antwoorden worden tussentijds bewaard: u kunt stoppen en later via dezelfde link verder gaan.',
    en: 'This questionnaire is about learning and development in your work. It takes about 10 minutes. Your answers are saved as you go: you can stop and continue later through the same link.',
  },
  chooseLanguage: { nl: 'Kies uw taal', en: 'Choose your language' },
  start: { nl: 'Beginnen', en: 'Start' },
  continue: { nl: 'Verder gaan', en: 'Continue' },
  next: { nl: 'Volgende', en: 'Next' },
  previousPage: { nl: 'Vorige', en: 'Previous' },
  submit: { nl: 'Versturen', en: 'Submit' },
  progress: { nl: 'Voortgang', en: 'Progress' },
  pageOf: { nl: 'Stap {n} van {total}', en: 'Step {n} of {total}' },
  autosaveSaving: { nl: 'Bezig met opslaan…', en: 'Saving…' },
  autosaveSaved: { nl: 'Antwoorden opgeslagen', en: 'Answers saved' },
  autosaveFailed: { nl: 'Opslaan mislukt; uw antwoorden worden bewaard zodra u op Volgende klikt.', en: 'Saving failed; your answers are saved when you press Next.' },
  aboutYou: { nl: 'Over uzelf', en: 'About you' },
  howToAnswer: { nl: 'Hoe vult u dit in?', en: 'How to answer' },
  optional: { nl: 'optioneel', en: 'optional' },
  backgroundLead: {
    nl: 'Deze vragen zijn optioneel. Ze maken het mogelijk uitkomsten per groep te tonen; een groep met minder dan {k} personen krijgt nooit eigen uitkomsten.',
    en: 'These questions are optional. They allow results per group; a group of fewer than {k} people never gets results of its own.',
  },
  preferNotToSay: { nl: 'Zeg ik liever niet', en: 'Prefer not to say' },
  reviewTitle: { nl: 'Klaar om te versturen', en: 'Ready to submit' },
  reviewLead: {
    nl: 'U heeft {answered} van de {total} uitspraken beantwoord. Na het versturen kunt u uw antwoorden niet meer wijzigen.',
    en: 'You answered {answered} of the {total} statements. After submitting you can no longer change your answers.',
  },
  unansweredPages: { nl: 'Nog niet beantwoord op:', en: 'Not yet answered on:' },
  thankYouTitle: { nl: 'Hartelijk dank!', en: 'Thank you!' },
  thankYou: {
    nl: 'Uw antwoorden zijn ontvangen. Ze worden alleen samen met die van anderen getoond, nooit los. U kunt dit venster sluiten.',
    en: 'Your answers have been received. They are only shown together with those of others, never on their own. You can close this window.',
  },
  surveyClosedTitle: { nl: 'Deze vragenlijst is gesloten', en: 'This questionnaire is closed' },
  surveyClosed: {
    nl: 'De periode om de vragenlijst in te vullen is voorbij. Heeft u vragen, neem dan contact op met de afdeling HR van uw organisatie.',
    en: 'The period for answering this questionnaire has ended. If you have questions, please contact the HR department of your organisation.',
  },
  surveyNotOpenTitle: { nl: 'Deze vragenlijst is nog niet geopend', en: 'This questionnaire has not opened yet' },
  surveyNotOpen: { nl: 'Probeer het later opnieuw via dezelfde link.', en: 'Please try again later through the same link.' },
  surveyUnknownTitle: { nl: 'Deze link werkt niet', en: 'This link does not work' },
  surveyUnknown: {
    nl: 'De link is onbekend, ingetrokken of al gebruikt. Controleer of u de volledige link heeft geopend, of vraag HR om een nieuwe.',
    en: 'The link is unknown, revoked or already used. Check that you opened the complete link, or ask HR for a new one.',
  },
  surveyFullTitle: { nl: 'Het maximum aantal deelnemers is bereikt', en: 'The maximum number of participants has been reached' },
  surveyFull: { nl: 'Via deze gedeelde link kunnen geen nieuwe deelnemers meer beginnen.', en: 'No new participants can start through this shared link.' },
  surveyNoSession: {
    nl: 'Open de vragenlijst via de link uit uw uitnodiging. Heeft u cookies uitgeschakeld? Sta ze dan toe voor deze site; we gebruiken alleen een cookie om uw antwoorden te bewaren.',
    en: 'Open the questionnaire through the link in your invitation. Have you disabled cookies? Please allow them for this site; we only use a cookie to keep your answers.',
  },
  alreadySubmitted: { nl: 'U heeft deze vragenlijst al verstuurd. Dank u wel!', en: 'You have already submitted this questionnaire. Thank you!' },
  answerError: { nl: 'Een antwoord kon niet worden opgeslagen. Controleer de gemarkeerde vraag.', en: 'An answer could not be saved. Please check the marked question.' },
  placementTitle: { nl: 'Waar staat de organisatie?', en: 'Where does the organisation stand?' },
  factorsTitle: { nl: 'Wat helpt of belemmert u?', en: 'What helps or hinders you?' },
  anonymousNote: { nl: 'Anoniem', en: 'Anonymous' },

  // errors
  errorTitle: { nl: 'Er ging iets mis', en: 'Something went wrong' },
  notFoundTitle: { nl: 'Niet gevonden', en: 'Not found' },
  notFound: { nl: 'Deze pagina bestaat niet of u heeft er geen toegang toe.', en: 'This page does not exist or you have no access to it.' },
  forbiddenTitle: { nl: 'Geen toegang', en: 'No access' },
  forbidden: { nl: 'Uw rol geeft geen toegang tot dit onderdeel.', en: 'Your role does not give access to this part.' },
  errorGeneric: { nl: 'Probeer het zo nog eens. Blijft het misgaan, neem dan contact op met uw adviseur.', en: 'Please try again shortly. If it keeps failing, contact your consultant.' },
  formErrors: { nl: 'Controleer de gemarkeerde velden.', en: 'Please check the marked fields.' },
  toHome: { nl: 'Naar het overzicht', en: 'To the overview' },
} satisfies Record<string, LocalizedText>;

export type TextKey = keyof typeof T;
export type Translate = (key: TextKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  return (key, vars) => {
    let s = T[key][lang];
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  };
}

export function isLang(v: unknown): v is Lang {
  return v === 'nl' || v === 'en';
}

/**
 * The page language: `?lang=` (remembered in a cookie), else the cookie, else the browser's
 * Accept-Language, else Dutch. A respondent's
 * choice works the same way, so a survey link can be opened in English by adding ?lang=en.
 */
export function pageLang(request: FastifyRequest, reply: FastifyReply): Lang {
  const q = pageQuery(request).lang;
  if (isLang(q)) {
    if (request.cookies[LANG_COOKIE] !== q) {
      reply.setCookie(LANG_COOKIE, q, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
    }
    return q;
  }
  const c = request.cookies[LANG_COOKIE];
  if (isLang(c)) return c;
  // First visit: the browser's language (Dutch unless it prefers English).
  return acceptLanguage(request.headers['accept-language']);
}

/** Formats numbers the way each language writes them (decimal comma in Dutch). */
export function fmtNumber(lang: Lang, value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function fmtPct(lang: Lang, value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${fmtNumber(lang, value, digits)}%`;
}

/** A published share as the source gives it: one decimal unless it is whole (23,7% / 61%). */
export function fmtPublished(lang: Lang, value: number): string {
  return fmtPct(lang, value, Number.isInteger(value) ? 0 : 1);
}

export function fmtSigned(lang: Lang, value: number | null | undefined, digits = 1, suffix = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const s = fmtNumber(lang, Math.abs(value), digits);
  const zero = Number(s.replace(',', '.')) === 0;
  return `${zero ? '±' : value > 0 ? '+' : '−'}${s}${suffix}`;
}

/** The calendar day in Europe/Amsterdam, the same formatter as the PDF (not the server's time zone). */
export function fmtDate(lang: Lang, value: string | Date | null | undefined): string {
  if (!value) return '–';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '–';
  return reportDate(d, lang);
}

// ---- API messages in the UI's language ------------------------------------------------------------
// The API answers in English (problem+json for integrations); the web app shows the same problem in the
// page's language. Exact texts first, then patterns (zod's own messages and the messages with values).
// A message this table does not know is shown as it is, never dropped.

const EXACT: Record<string, string> = {
  'Your role does not allow this': 'Uw rol staat dit niet toe',
  'Not allowed': 'Dit mag niet',
  'Authentication required': 'Log eerst in',
  'Missing or wrong CSRF token': 'Het formulier is verlopen; laad de pagina opnieuw',
  'Invalid email address': 'Geen geldig e-mailadres',
  'Invalid input': 'Ongeldige invoer',
  'Invalid UUID': 'Ongeldige id',
  'Invalid ISO datetime': 'Ongeldige datum en tijd',
  'Invalid ISO date': 'Ongeldige datum',
  'Required with a text/csv body': 'Verplicht bij een CSV-bestand',
  'Missing email address': 'E-mailadres ontbreekt',
  'The list has no email addresses': 'De lijst bevat geen e-mailadressen',
  'The list is not valid CSV': 'De lijst is geen geldig CSV-bestand',
  'The round already has personal invitations': 'De ronde heeft al persoonlijke uitnodigingen',
  'Must be after opensAt': 'Moet na de openingsdatum liggen',
  'closesAt must be after opensAt': 'De sluitdatum moet na de openingsdatum liggen',
  'Must be in the future': 'Moet in de toekomst liggen',
  'Not one of the options': 'Geen van de mogelijkheden',
  'Employee placements need the dialogue_model module': 'Plaatsingen door medewerkers vragen de module Dialoogmodel',
  'The round is not valid': 'De ronde is niet geldig',
  'The password is too short': 'Het wachtwoord is te kort',
  'The current password is wrong': 'Het huidige wachtwoord klopt niet',
  'Wrong password': 'Onjuist wachtwoord',
  'The code is not right': 'De code klopt niet',
  'Wrong or already used code': 'Onjuiste of al gebruikte code',
  'The logo is not acceptable': 'Het logo is niet bruikbaar',
  'Only a consultant can add HR users': 'Alleen een adviseur kan HR-gebruikers toevoegen',
  'Only a consultant can change HR users': 'Alleen een adviseur kan HR-gebruikers wijzigen',
  'Only a consultant can change roles': 'Alleen een adviseur kan rollen wijzigen',
  'Only a consultant can invite HR users': 'Alleen een adviseur kan HR-gebruikers uitnodigen',
  'Only a consultant can remove HR users': 'Alleen een adviseur kan HR-gebruikers verwijderen',
  'Only a signed-in consultant can add consultants': 'Alleen een ingelogde adviseur kan adviseurs toevoegen',
  'Only consultants manage the sign-in policy': 'Alleen adviseurs beheren het inlogbeleid',
  'The audit trail is for consultants and HR': 'Het auditlog is voor adviseurs en HR',
  'A user with this email address already has access to this organisation': 'Iemand met dit e-mailadres heeft al toegang tot deze organisatie',
  'A user with this email address already exists': 'Er bestaat al een gebruiker met dit e-mailadres',
  'You cannot change or disable your own account': 'U kunt uw eigen account niet wijzigen of uitschakelen',
  'This account also has access elsewhere; remove its access to this organisation instead': 'Dit account heeft ook elders toegang; trek in plaats daarvan de toegang tot deze organisatie in',
  'This user has already chosen a password or is disabled': 'Deze gebruiker heeft al een wachtwoord gekozen of is uitgeschakeld',
  'This invitation link has been used, has expired or is no longer valid': 'Deze uitnodigingslink is gebruikt, verlopen of niet meer geldig',
  'The round is closed; reopen it to invite more people': 'De ronde is gesloten; heropen hem om meer mensen uit te nodigen',
  'The round is closed; reopen it to change placements': 'De ronde is gesloten; heropen hem om plaatsingen te wijzigen',
  'The round is closed; reopen it to change the checklist': 'De ronde is gesloten; heropen hem om de checklist te wijzigen',
  'Results are available once the round is closed': 'De resultaten komen beschikbaar zodra de ronde is gesloten',
  'This report is not ready yet': 'Dit rapport is nog niet klaar',
  'The raw answers of this round were purged; it cannot be reopened': 'De ruwe antwoorden van deze ronde zijn verwijderd; hij kan niet opnieuw worden geopend',
  'Something went wrong on our side': 'Er ging iets mis aan onze kant',
  'Unknown action': 'Onbekende actie',
};

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Too small: expected number to be >=?(-?[\d.]+)$/, (m) => `Te klein: minimaal ${m[1]}`],
  [/^Too small: expected number to be >(-?[\d.]+)$/, (m) => `Te klein: meer dan ${m[1]}`],
  [/^Too big: expected number to be <=?(-?[\d.]+)$/, (m) => `Te groot: maximaal ${m[1]}`],
  [/^Too small: expected string to have >=?1 characters?$/, () => 'Vul dit veld in'],
  [/^Too small: expected string to have >=?(\d+) characters?$/, (m) => `Minimaal ${m[1]} tekens`],
  [/^Too big: expected string to have <=?(\d+) characters?$/, (m) => `Maximaal ${m[1]} tekens`],
  [/^Too small: expected array to have >=?(\d+) items?$/, (m) => (m[1] === '1' ? 'Kies er minstens één' : `Kies er minstens ${m[1]}`)],
  [/^Too big: expected array to have <=?(\d+) items?$/, (m) => `Hoogstens ${m[1]}`],
  [/^Invalid input: expected (string|number|boolean|array|object), received (undefined|null)$/, () => 'Vul dit veld in'],
  [/^Invalid input: expected int, received number$/, () => 'Vul een heel getal in'],
  [/^Invalid input: expected (number|int), received \w+$/, () => 'Vul een getal in'],
  [/^Invalid input: expected \w+, received \w+$/, () => 'Ongeldige invoer'],
  [/^Invalid option: expected one of .*$/, () => 'Kies een van de mogelijkheden'],
  [/^Unrecognized keys?: .*$/, () => 'Onbekend veld'],
  [/^Invalid string: must match pattern .*$/, () => 'Ongeldige notatie'],
  [/^At least (\d+) characters$/, (m) => `Minimaal ${m[1]} tekens`],
  [/^(\w+) not found$/, (m) => `${({ Organisation: 'Organisatie', Round: 'Ronde', User: 'Gebruiker', Resource: 'Onderdeel' } as Record<string, string>)[m[1]!] ?? m[1]} niet gevonden`],
  [/^Not a valid email address: (.*)$/, (m) => `Geen geldig e-mailadres: ${m[1]}`],
  [/^Duplicate: (.*) is already on line (\d+)$/, (m) => `Dubbel: ${m[1]} staat al op regel ${m[2]}`],
  [/^Column "(.*)" appears twice$/, (m) => `Kolom "${m[1]}" komt twee keer voor`],
  [/^Too many columns \(expected (\d+)\)$/, (m) => `Te veel kolommen (verwacht: ${m[1]})`],
  [/^At most (\d+) addresses per upload \(this list has (\d+)\)$/, (m) => `Hoogstens ${m[1]} adressen per upload (deze lijst heeft er ${m[2]})`],
  [/^The list has (\d+) problem\(s\).*$/, (m) => `De lijst heeft ${m[1]} probleem/problemen; er is niets opgeslagen`],
  [/^Unknown (.+)$/, (m) => `Onbekend: ${m[1]}`],
  [/^Cannot change (\w+) once the round has been opened$/, (m) => `${m[1]} kan niet meer worden gewijzigd nu de ronde open is`],
  [/^Cannot (\w+) a round that is (\w+)$/, () => 'Dat kan niet in de huidige status van de ronde'],
];

/** An API message (problem detail or field error) in the page language; English stays as it is. */
export function translateMessage(lang: Lang, message: string | undefined): string | undefined {
  if (message === undefined || lang === 'en') return message;
  const exact = EXACT[message];
  if (exact) return exact;
  for (const [re, f] of PATTERNS) {
    const m = re.exec(message);
    if (m) return f(m);
  }
  return message;
}

/**
 * The language of a request without setting anything: ?lang=, the cookie, the browser's
 * Accept-Language (first visit), else Dutch.
 */
export function requestLang(request: FastifyRequest): Lang {
  const q = pageQuery(request).lang;
  if (isLang(q)) return q;
  const c = request.cookies?.[LANG_COOKIE];
  if (isLang(c)) return c;
  return acceptLanguage(request.headers['accept-language']);
}

/** The first of nl/en in an Accept-Language header by quality (ties: header order); Dutch if neither. */
export function acceptLanguage(header: string | undefined): Lang {
  if (!header) return 'nl';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { lang: (tag ?? '').split('-')[0], q: q ? Number(q[1]) : 1, i };
    })
    .filter((x) => x.q > 0 && (x.lang === 'nl' || x.lang === 'en'))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.lang as Lang | undefined) ?? 'nl';
}
