// One-time invitation links for staff users (HR, directors) created in the app. The token exists only
// in the mail: the database keeps its SHA-256, the link path is masked in request logs (maskTokens),
// and the mail body is stored only in outbox mode, where nothing leaves the machine.
// An invited user has the password marker INVITED_PASSWORD until they follow the link and choose a
// password; no password verifies against it, so the account cannot be signed in to before that.
import type { FastifyInstance } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { themeFor } from '../../../report-templates/theme.js';
import type { DB } from '../../db/schema.js';
import { accountScoped, withSystemScope } from '../../auth/tenant-scope.js';
import { newToken, sha256Hex } from '../../lib/crypto.js';
import { mailErrorText } from '../../mail/transport.js';

type Db = Kysely<DB> | Transaction<DB>;

export const INVITED_PASSWORD = 'invited';
export const INVITE_VALID_DAYS = 7;
/** The path of the link in the mail; its last segment is the token. */
export const INVITE_PATH = '/invite/';

export async function createInvite(db: Db, userId: string, createdBy: string | null, now = new Date()): Promise<string> {
  const token = newToken();
  // Earlier links of the same user stop working: only the newest mail counts.
  await db.updateTable('staff_invites').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
  await db
    .insertInto('staff_invites')
    .values({ user_id: userId, token_sha256: sha256Hex(token), created_by: createdBy, created_at: now, expires_at: new Date(now.getTime() + INVITE_VALID_DAYS * 86_400_000) })
    .execute();
  return token;
}

/** The open invitation of a token: its user, if the link is unused, unexpired and the user not disabled. */
export async function findInvite(db: Db, token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  // Account work (the invitee has no session): the account scope, unless the caller is in a scope.
  const row = await accountScoped(db as Kysely<DB>, (db) => db
    .selectFrom('staff_invites')
    .innerJoin('users', 'users.id', 'staff_invites.user_id')
    .select(['staff_invites.id', 'staff_invites.expires_at', 'staff_invites.used_at', 'users.id as user_id', 'users.email', 'users.name', 'users.disabled_at'])
    .where('staff_invites.token_sha256', '=', sha256Hex(token))
    .executeTakeFirst())
  if (!row || row.used_at || row.disabled_at || row.expires_at.getTime() <= now.getTime()) return null;
  return row;
}

export interface InviteMail {
  language: 'nl' | 'en';
  to: string;
  name: string;
  role: 'hr' | 'director';
  organisationName: string;
  consultancyName: string;
  accentColor: string | null;
  inviterName: string;
  link: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderInviteMail(m: InviteMail) {
  const nl = m.language === 'nl';
  const role = nl ? (m.role === 'hr' ? 'HR' : 'directie') : m.role === 'hr' ? 'HR' : 'director';
  const subject = nl ? `Uw account voor de Leercultuurscan van ${m.organisationName}` : `Your account for the learning culture scan of ${m.organisationName}`;
  const lines = nl
    ? [
        `Beste ${m.name},`,
        `${m.inviterName} (${m.consultancyName}) heeft u toegang gegeven tot de Leercultuurscan van ${m.organisationName}, met de rol ${role}.`,
        `Kies via deze link een wachtwoord. De link werkt één keer en is ${INVITE_VALID_DAYS} dagen geldig.`,
        'Hebt u dit niet verwacht? Dan kunt u deze e-mail negeren.',
      ]
    : [
        `Dear ${m.name},`,
        `${m.inviterName} (${m.consultancyName}) has given you access to the learning culture scan of ${m.organisationName}, as ${role}.`,
        `Choose a password through this link. It works once and is valid for ${INVITE_VALID_DAYS} days.`,
        'Not expecting this? Then you can ignore this email.',
      ];
  const button = nl ? 'Wachtwoord kiezen' : 'Choose a password';
  const text = [lines[0], '', lines[1], '', lines[2], `${button}: ${m.link}`, '', lines[3], ''].join('\n');
  const theme = themeFor(m.accentColor);
  const html = `<!doctype html><html lang="${m.language}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f6f7;font-family:Arial,Helvetica,sans-serif;color:#1d2730;font-size:16px;line-height:1.5">
<div style="max-width:600px;margin:0 auto;background:#fff;border-top:6px solid ${theme.accent};padding:24px 28px">
<p style="font-weight:bold;color:${theme.accentInk}">${esc(m.consultancyName)}</p>
${lines.slice(0, 3).map((l) => `<p>${esc(l)}</p>`).join('\n')}
<p style="margin:22px 0"><a href="${esc(m.link)}" style="display:inline-block;background:${theme.accent};color:${theme.onAccent};text-decoration:none;font-weight:bold;padding:12px 22px;border-radius:4px">${esc(button)}</a></p>
<p style="font-size:13px;color:#5b6770;word-break:break-all">${esc(m.link)}</p>
<p style="font-size:14px;color:#5b6770">${esc(lines[3]!)}</p>
</div></body></html>`;
  return { subject, text, html };
}

/**
 * Sends the invitation now and records it in staff_mail (the body only in outbox mode). A failed send
 * is recorded and reported as false; the invitation itself stays valid and can be sent again.
 */
export async function sendInviteMail(app: FastifyInstance, m: InviteMail, target: { consultancyId: string; organisationId: string }): Promise<boolean> {
  const mail = renderInviteMail(m);
  const outbox = app.mail.transportKind === 'outbox';
  let error: string | null = null;
  try {
    await app.mail.send({ to: m.to, subject: mail.subject, text: mail.text, html: mail.html, language: m.language });
  } catch (err) {
    error = mailErrorText(err);
  }
  // The record of the mail, after the caller's access check (no principal here): system scope.
  await withSystemScope(app.db, (db) => db
    .insertInto('staff_mail')
    .values({
      consultancy_id: target.consultancyId,
      organisation_id: target.organisationId,
      to_address: m.to,
      language: m.language,
      status: error ? 'failed' : 'sent',
      error,
      transport: app.mail.transportKind,
      subject: mail.subject,
      text_body: outbox ? mail.text : null,
      html_body: outbox ? mail.html : null,
    })
    .execute());
  return error === null;
}
