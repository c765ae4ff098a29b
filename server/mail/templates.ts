// Invitation and reminder mails, Dutch and English, as HTML and plain text, in the consultancy's
// branding (name, logo, accent colour). Pure: no I/O. Each mail says who runs the scan, how anonymity
// works and until when the questionnaire is open.
import { fmtDateTime } from '../../report-templates/format.js';
import { themeFor } from '../../report-templates/theme.js';

export type MailLanguage = 'nl' | 'en';
export type MailKind = 'invitation' | 'reminder';

export interface MailContext {
  kind: MailKind;
  language: MailLanguage;
  /** Languages the round offers: a second one gets a direct link. */
  languages: MailLanguage[];
  consultancyName: string;
  organisationName: string;
  roundName: string;
  accentColor: string;
  /** The consultancy logo, embedded inline (cid:logo). */
  logo: { content: Buffer; contentType: string } | null;
  closesAt: Date | null;
  anonymityThreshold: number;
  /** The personal link; null for a reminder to someone who already started (their link is unchanged). */
  link: string | null;
  form: 'employee' | 'management';
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  inline: Array<{ cid: string; content: Buffer; contentType: string; filename: string }>;
}


function texts(c: MailContext) {
  const nl = c.language === 'nl';
  const until = c.closesAt ? fmtDateTime(c.closesAt, c.language) : null;
  const who = nl
    ? `${c.organisationName} houdt de Leercultuurscan "${c.roundName}". ${c.consultancyName} voert de scan uit en verwerkt de antwoorden.`
    : `${c.organisationName} is running the learning culture scan "${c.roundName}". ${c.consultancyName} runs the scan and processes the answers.`;
  const anonymity = nl
    ? `Uw antwoorden zijn anoniem. Ze worden apart bewaard van uw e-mailadres: niemand bij ${c.organisationName} of ${c.consultancyName} kan zien wat u hebt geantwoord. Uitkomsten verschijnen alleen voor groepen van minstens ${c.anonymityThreshold} personen. Deze link is persoonlijk: stuur hem niet door.`
    : `Your answers are anonymous. They are stored apart from your email address: nobody at ${c.organisationName} or ${c.consultancyName} can see what you answered. Results are shown only for groups of at least ${c.anonymityThreshold} people. This link is personal: please do not forward it.`;
  const open = until ? (nl ? `De vragenlijst is open tot ${until}.` : `The questionnaire is open until ${until}.`) : nl ? 'De vragenlijst is nu open.' : 'The questionnaire is open now.';
  const duration = nl ? 'Invullen kost ongeveer 15 minuten; tussendoor opslaan gaat vanzelf.' : 'It takes about 15 minutes; your answers are saved as you go.';
  const isReminder = c.kind === 'reminder';
  const subject = isReminder
    ? nl ? `Herinnering: Leercultuurscan ${c.organisationName}` : `Reminder: learning culture scan ${c.organisationName}`
    : nl ? `Uitnodiging: Leercultuurscan ${c.organisationName}` : `Invitation: learning culture scan ${c.organisationName}`;
  const greeting = nl ? 'Beste collega,' : 'Dear colleague,';
  const intro = isReminder
    ? c.link
      ? nl ? 'U hebt de vragenlijst nog niet ingevuld. Uw mening telt: hoe meer collega\'s meedoen, hoe betrouwbaarder de uitkomsten. Deze link vervangt die uit de eerdere e-mail.' : 'You have not filled in the questionnaire yet. Your view counts: the more colleagues take part, the more reliable the results. This link replaces the one in the earlier email.'
      : nl ? 'U bent begonnen met de vragenlijst maar hebt hem nog niet verstuurd. Ga verder met de link uit uw uitnodiging, op hetzelfde apparaat: uw antwoorden zijn bewaard.' : 'You started the questionnaire but have not sent it yet. Continue with the link from your invitation, on the same device: your answers have been saved.'
    : c.form === 'management'
      ? nl ? 'U bent uitgenodigd voor de vragenlijst voor HR en management over de leercultuur in uw organisatie.' : 'You are invited to the questionnaire for HR and management about the learning culture in your organisation.'
      : nl ? 'U bent uitgenodigd om een vragenlijst in te vullen over leren en ontwikkelen in uw werk.' : 'You are invited to fill in a questionnaire about learning and development in your work.';
  const button = nl ? 'Vragenlijst openen' : 'Open the questionnaire';
  const other = c.languages.find((l) => l !== c.language);
  const otherLine = other && c.link ? (other === 'en' ? 'Prefer English? Open the questionnaire in English:' : 'Liever in het Nederlands? Open de vragenlijst in het Nederlands:') : null;
  const otherLink = other && c.link ? `${c.link}?lang=${other}` : null;
  const signature = nl ? `Met vriendelijke groet,\n${c.consultancyName}, namens ${c.organisationName}` : `Kind regards,\n${c.consultancyName}, on behalf of ${c.organisationName}`;
  const auto = nl ? 'Dit bericht is automatisch verstuurd door de Leercultuurscan.' : 'This message was sent automatically by the learning culture scan.';
  return { subject, greeting, intro, who, open, duration, anonymity, button, otherLine, otherLink, signature, auto };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function renderMail(c: MailContext): RenderedMail {
  const t = texts(c);
  const theme = themeFor(c.accentColor);
  const text = [
    t.greeting,
    '',
    t.intro,
    '',
    ...(c.link ? [`${t.button}: ${c.link}`, ''] : []),
    ...(t.otherLine && t.otherLink ? [`${t.otherLine} ${t.otherLink}`, ''] : []),
    t.open,
    t.duration,
    '',
    t.who,
    '',
    t.anonymity,
    '',
    t.signature,
    '',
    '-- ',
    t.auto,
    '',
  ].join('\n');
  const p = (s: string, style = '') => `<p style="margin:0 0 14px;${style}">${esc(s)}</p>`;
  const logo = c.logo ? `<img src="cid:logo" alt="${esc(c.consultancyName)}" style="max-height:48px;max-width:200px;display:block;margin:0 0 8px">` : '';
  const html = `<!doctype html>
<html lang="${c.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(t.subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f6f7;font-family:Arial,Helvetica,sans-serif;color:#1d2730;font-size:16px;line-height:1.5">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f6f7"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-top:6px solid ${theme.accent}">
<tr><td style="padding:24px 28px 8px">${logo}<div style="font-weight:bold;color:${theme.accentInk}">${esc(c.consultancyName)}</div></td></tr>
<tr><td style="padding:8px 28px 24px">
${p(t.greeting)}${p(t.intro)}
${c.link ? `<p style="margin:22px 0"><a href="${esc(c.link)}" style="display:inline-block;background:${theme.accent};color:${theme.onAccent};text-decoration:none;font-weight:bold;padding:12px 22px;border-radius:4px">${esc(t.button)}</a></p>
<p style="margin:0 0 14px;font-size:13px;color:#5b6770;word-break:break-all">${esc(c.link)}</p>` : ''}
${t.otherLine && t.otherLink ? `<p style="margin:0 0 14px;font-size:14px">${esc(t.otherLine)} <a href="${esc(t.otherLink)}" style="color:${theme.accentInk}" lang="${c.languages.find((l) => l !== c.language)}">${esc(t.otherLink)}</a></p>` : ''}
${p(t.open, 'font-weight:bold')}${p(t.duration)}${p(t.who)}
<div style="margin:18px 0;padding:12px 14px;background:${theme.accentTint};border-left:4px solid ${theme.accent};font-size:14px">${esc(t.anonymity)}</div>
${p(t.signature).replace('\n', '<br>')}
</td></tr>
<tr><td style="padding:12px 28px;font-size:12px;color:#5b6770;border-top:1px solid #d5dbe0">${esc(t.auto)}</td></tr>
</table></td></tr></table></body></html>`;
  const inline = c.logo ? [{ cid: 'logo', content: c.logo.content, contentType: c.logo.contentType, filename: c.logo.contentType === 'image/png' ? 'logo.png' : 'logo.jpg' }] : [];
  return { subject: t.subject, text, html, inline };
}
