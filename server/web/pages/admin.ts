// Administration in the app (issue 18 item 2): a consultant creates client organisations; consultants
// and HR manage an organisation's users (invite by mail, change roles, disable, re-send the link); an
// invitee chooses a password through the one-time link. Every form posts, then redirects (POST-
// redirect-GET) to a page with a notice, so a reload never repeats the action. All of it goes through
// the JSON API (access rules, validation and audit events live there).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SECTORS, SIZE_CLASSES } from '../../contracts/organisations.js';
import type { organisationUserSchema } from '../../contracts/users.js';
import { ApiError, apiClient } from '../api-client.js';
import { pageContext, requireStaffPage, send, staffUser, type PageContext } from '../context.js';
import { withTenantScope } from '../../auth/tenant-scope.js';
import { html, type SafeHtml } from '../html.js';
import { fmtDate } from '../i18n.js';
import { canManage, csrfField, ctxOf, fieldErrors, sendStaffPage, type Organisation } from './staff-common.js';
import type { z } from 'zod';
import { orgPageParams, orgUserPageParams, pageForm, pageParams, pageQuery, tokenPageParams } from '../params.js';

type OrgUser = z.infer<typeof organisationUserSchema>;

const TEXT = {
  nl: {
    users: 'Gebruikers',
    usersLead: 'HR-medewerkers en directie met toegang tot deze organisatie. Nieuwe gebruikers krijgen een e-mail met een link om zelf een wachtwoord te kiezen.',
    name: 'Naam',
    email: 'E-mailadres',
    role: 'Rol',
    status: 'Status',
    actions: 'Acties',
    role_hr: 'HR',
    role_director: 'Directie',
    active: 'Actief',
    pending: 'Uitgenodigd',
    disabled: 'Uitgeschakeld',
    since: 'Sinds',
    invite: 'Gebruiker uitnodigen',
    inviteLead: 'De uitnodiging gaat per e-mail; de link werkt één keer en is 7 dagen geldig.',
    inviteHrOnlyConsultant: 'Alleen een adviseur kan HR-gebruikers toevoegen; u kunt directieleden uitnodigen.',
    mailLanguage: 'Taal van de e-mail',
    sendInvite: 'Uitnodiging versturen',
    makeHr: 'Maak HR',
    makeDirector: 'Maak directie',
    disable: 'Uitschakelen',
    enable: 'Weer inschakelen',
    resend: 'Link opnieuw sturen',
    remove: 'Toegang intrekken',
    you: 'u',
    none: 'Nog geen gebruikers.',
    done_invited: 'De uitnodiging is verstuurd.',
    done_added: 'De gebruiker heeft nu toegang.',
    done_role: 'De rol is gewijzigd. De gebruiker moet opnieuw inloggen.',
    done_disabled: 'De gebruiker is uitgeschakeld: lopende sessies en API-tokens werken niet meer.',
    done_enabled: 'De gebruiker is weer ingeschakeld.',
    done_resent: 'Er is een nieuwe link verstuurd; de vorige werkt niet meer.',
    done_removed: 'De toegang is ingetrokken.',
    done_created: 'De organisatie is aangemaakt. Nodig nu HR en directie uit.',
    mailFailed: 'De e-mail kon niet worden verstuurd. Probeer het later opnieuw met "Link opnieuw sturen".',
    newOrganisation: 'Nieuwe organisatie',
    orgName: 'Naam van de organisatie',
    sector: 'Sector',
    size: 'Omvang',
    retention: 'Bewaartermijn (maanden, optioneel)',
    retentionHint: 'Na deze termijn na het sluiten van een ronde worden de antwoorden verwijderd. Leeg: de standaardtermijn.',
    create: 'Organisatie aanmaken',
    cancel: 'Annuleren',
    formErrors: 'Controleer de gemarkeerde velden.',
    choosePassword: 'Kies uw wachtwoord',
    choosePasswordLead: 'U bent uitgenodigd voor de Leercultuurscan als {name} ({email}). Kies een wachtwoord van minstens 12 tekens.',
    newPassword: 'Nieuw wachtwoord',
    repeatPassword: 'Herhaal het wachtwoord',
    mismatch: 'De twee wachtwoorden zijn niet gelijk.',
    save: 'Wachtwoord opslaan',
    linkClosed: 'Deze link werkt niet meer',
    linkClosedText: 'De link is al gebruikt, verlopen of vervangen door een nieuwere. Vraag degene die u uitnodigde om een nieuwe link.',
    toSignIn: 'Naar inloggen',
    manageUsers: 'Gebruikers beheren',
  },
  en: {
    users: 'Users',
    usersLead: 'HR staff and directors with access to this organisation. New users get an email with a link to choose their own password.',
    name: 'Name',
    email: 'Email address',
    role: 'Role',
    status: 'Status',
    actions: 'Actions',
    role_hr: 'HR',
    role_director: 'Director',
    active: 'Active',
    pending: 'Invited',
    disabled: 'Disabled',
    since: 'Since',
    invite: 'Invite a user',
    inviteLead: 'The invitation goes by email; the link works once and is valid for 7 days.',
    inviteHrOnlyConsultant: 'Only a consultant can add HR users; you can invite directors.',
    mailLanguage: 'Language of the email',
    sendInvite: 'Send invitation',
    makeHr: 'Make HR',
    makeDirector: 'Make director',
    disable: 'Disable',
    enable: 'Enable again',
    resend: 'Send the link again',
    remove: 'Remove access',
    you: 'you',
    none: 'No users yet.',
    done_invited: 'The invitation has been sent.',
    done_added: 'The user has access now.',
    done_role: 'The role has been changed. The user has to sign in again.',
    done_disabled: 'The user has been disabled: their sessions and API tokens no longer work.',
    done_enabled: 'The user has been enabled again.',
    done_resent: 'A new link has been sent; the earlier one no longer works.',
    done_removed: 'The access has been removed.',
    done_created: 'The organisation has been created. Now invite HR and directors.',
    mailFailed: 'The email could not be sent. Try again later with "Send the link again".',
    newOrganisation: 'New organisation',
    orgName: 'Name of the organisation',
    sector: 'Sector',
    size: 'Size',
    retention: 'Retention (months, optional)',
    retentionHint: 'This long after a round closes, its answers are deleted. Empty: the default period.',
    create: 'Create organisation',
    cancel: 'Cancel',
    formErrors: 'Please check the marked fields.',
    choosePassword: 'Choose your password',
    choosePasswordLead: 'You have been invited to the learning culture scan as {name} ({email}). Choose a password of at least 12 characters.',
    newPassword: 'New password',
    repeatPassword: 'Repeat the password',
    mismatch: 'The two passwords are not the same.',
    save: 'Save password',
    linkClosed: 'This link no longer works',
    linkClosedText: 'The link has been used, has expired or was replaced by a newer one. Ask the person who invited you for a new link.',
    toSignIn: 'To sign in',
    manageUsers: 'Manage users',
  },
} as const;

type AdminText = keyof (typeof TEXT)['nl'];
export function adminText(ctx: Pick<PageContext, 'lang'>, key: AdminText, vars: Record<string, string> = {}): string {
  let s: string = TEXT[ctx.lang === 'en' ? 'en' : 'nl'][key];
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, v);
  return s;
}

const DONE = ['invited', 'added', 'role', 'disabled', 'enabled', 'resent', 'removed', 'created'] as const;
type Done = (typeof DONE)[number];

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function fieldError(errors: Map<string, string>, key: string): SafeHtml | '' {
  return errors.has(key) ? html`<p class="field-error" id="${`${key}-error`}">${errors.get(key)!}</p>` : '';
}
function invalid(errors: Map<string, string>, key: string): SafeHtml | '' {
  return errors.has(key) ? html` aria-invalid="true" aria-describedby="${`${key}-error`}"` : '';
}

export default async function adminPages(app: FastifyInstance): Promise<void> {
  const opts = { schema: { hide: true }, preHandler: requireStaffPage } as const;

  // ---- organisations -------------------------------------------------------------------------

  function consultantOnly(request: FastifyRequest): boolean {
    const p = request.principal;
    return p?.kind === 'user' && p.roles.some((r) => r.role === 'consultant');
  }

  interface OrgValues {
    name: string;
    sector: string;
    sizeClass: string;
    retentionMonths: string;
  }

  async function newOrganisationPage(request: FastifyRequest, reply: FastifyReply, v: OrgValues, errors: Map<string, string>, status = 200) {
    const ctx = ctxOf(request, reply);
    const x = (k: AdminText) => adminText(ctx, k);
    return sendStaffPage(app, request, reply, ctx, {
      status,
      title: x('newOrganisation'),
      crumbs: [{ href: '/app', label: ctx.t('organisations') }, { label: x('newOrganisation') }],
      body: html`<div class="page-head"><h1>${x('newOrganisation')}</h1></div>
      <form method="post" action="/app/organisations" class="card card-form" novalidate>
        ${csrfField(request)}
        ${errors.size > 0 ? html`<div class="notice notice-error" role="alert">${x('formErrors')}</div>` : ''}
        <div class="field"><label for="name">${x('orgName')}</label>
          <input id="name" name="name" type="text" required maxlength="200" value="${v.name}"${invalid(errors, 'name')}>${fieldError(errors, 'name')}</div>
        <div class="field"><label for="sector">${x('sector')}</label>
          <select id="sector" name="sector"${invalid(errors, 'sector')}>${SECTORS.map((s) => html`<option value="${s.id}"${v.sector === s.id ? html` selected` : ''}>${s.label[ctx.lang]}</option>`)}</select>${fieldError(errors, 'sector')}</div>
        <div class="field"><label for="sizeClass">${x('size')}</label>
          <select id="sizeClass" name="sizeClass"${invalid(errors, 'sizeClass')}>${SIZE_CLASSES.map((s) => html`<option value="${s.id}"${v.sizeClass === s.id ? html` selected` : ''}>${s.label[ctx.lang]}</option>`)}</select>${fieldError(errors, 'sizeClass')}</div>
        <div class="field"><label for="retentionMonths">${x('retention')}</label>
          <input id="retentionMonths" name="retentionMonths" type="number" min="1" max="120" step="1" inputmode="numeric" value="${v.retentionMonths}" aria-describedby="retention-hint"${invalid(errors, 'retentionMonths')}>
          <p class="hint" id="retention-hint">${x('retentionHint')}</p>${fieldError(errors, 'retentionMonths')}</div>
        <div class="form-actions"><button type="submit" class="btn btn-primary">${x('create')}</button> <a class="btn btn-secondary" href="/app">${x('cancel')}</a></div>
      </form>`,
    });
  }

  app.get('/app/organisations/new', opts, async (request, reply) => {
    if (!consultantOnly(request)) throw new ApiError({ status: 403, code: 'forbidden' });
    return newOrganisationPage(request, reply, { name: '', sector: SECTORS[0]!.id, sizeClass: SIZE_CLASSES[0]!.id, retentionMonths: '' }, new Map());
  });

  app.post('/app/organisations', opts, async (request, reply) => {
    const b = pageForm(request);
    const v: OrgValues = { name: str(b.name), sector: str(b.sector), sizeClass: str(b.sizeClass), retentionMonths: str(b.retentionMonths).trim() };
    const errors = new Map<string, string>();
    const retention = v.retentionMonths === '' ? undefined : Number(v.retentionMonths);
    if (retention !== undefined && !Number.isInteger(retention)) errors.set('retentionMonths', pageContext(request, reply).lang === 'en' ? 'A whole number of months (1–120)' : 'Een heel aantal maanden (1–120)');
    if (errors.size > 0) return newOrganisationPage(request, reply, v, errors, 400);
    try {
      const org = await apiClient(app, request).ok<Organisation>('POST', '/api/v1/organisations', {
        json: { name: v.name.trim(), sector: v.sector, sizeClass: v.sizeClass, ...(retention !== undefined ? { retentionMonths: retention } : {}) },
      });
      return reply.redirect(`/app/organisations/${org.id}/users?done=created`, 303);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) return newOrganisationPage(request, reply, v, fieldErrors(err.problem.errors), 400);
      throw err;
    }
  });

  // ---- users of an organisation --------------------------------------------------------------

  interface InviteValues {
    email: string;
    name: string;
    role: string;
    language: string;
  }

  async function usersPage(request: FastifyRequest, reply: FastifyReply, v: InviteValues, errors: Map<string, string>, status = 200) {
    const ctx = ctxOf(request, reply);
    const x = (k: AdminText) => adminText(ctx, k);
    const { orgId } = pageParams(request, orgPageParams, 'Organisation');
    const api = apiClient(app, request);
    const org = await api.get<Organisation>(`/api/v1/organisations/${encodeURIComponent(orgId)}`);
    if (!canManage(org)) throw new ApiError({ status: 403, code: 'forbidden' });
    const { users } = await api.get<{ users: OrgUser[] }>(`/api/v1/organisations/${org.id}/users`);
    const consultant = org.yourRoles.includes('consultant');
    const me = request.principal?.kind === 'user' ? request.principal.userId : '';
    const q = pageQuery(request);
    const done = DONE.includes(q.done as Done) ? (q.done as Done) : null;
    const may = (u: OrgUser) => u.id !== me && (consultant || u.role === 'director');
    const action = (u: OrgUser, act: string, label: string, cls = 'btn-secondary') =>
      html`<form method="post" action="${`/app/organisations/${org.id}/users/${u.id}`}" class="inline-form">${csrfField(request)}<input type="hidden" name="action" value="${act}"><button type="submit" class="${`btn btn-small ${cls}`}">${label}</button></form>`;
    const statusOf = (u: OrgUser) =>
      u.disabled ? html`<span class="badge badge-closed">${x('disabled')}</span>` : u.pending ? html`<span class="badge badge-draft">${x('pending')}</span>` : html`<span class="badge badge-open">${x('active')}</span>`;
    return sendStaffPage(app, request, reply, ctx, {
      status,
      title: `${x('users')} · ${org.name}`,
      crumbs: [{ href: '/app', label: ctx.t('organisations') }, { href: `/app/organisations/${org.id}`, label: org.name }, { label: x('users') }],
      body: html`<div class="page-head"><div><h1>${x('users')}</h1><p class="muted">${x('usersLead')}</p></div></div>
      ${done ? html`<div class="notice notice-ok" role="status"><p>${x(`done_${done}`)}</p>${q.mail === 'failed' ? html`<p>${x('mailFailed')}</p>` : ''}</div>` : ''}
      <section aria-labelledby="users-title">
        <h2 id="users-title" class="visually-hidden">${x('users')}</h2>
        ${
          users.length === 0
            ? html`<p class="empty">${x('none')}</p>`
            : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="users-title"><table class="stack-sm" data-testid="users">
          <thead><tr><th scope="col">${x('name')}</th><th scope="col">${x('email')}</th><th scope="col">${x('role')}</th><th scope="col">${x('status')}</th><th scope="col">${x('since')}</th><th scope="col">${x('actions')}</th></tr></thead>
          <tbody>${users.map(
            (u) => html`<tr>
              <th scope="row" data-label="${x('name')}">${u.name}${u.id === me ? html` <span class="muted">(${x('you')})</span>` : ''}</th>
              <td data-label="${x('email')}" class="break">${u.email}</td>
              <td data-label="${x('role')}">${x(`role_${u.role}`)}</td>
              <td data-label="${x('status')}">${statusOf(u)}</td>
              <td data-label="${x('since')}" class="nowrap">${fmtDate(ctx.lang, u.createdAt)}</td>
              <td data-label="${x('actions')}"><div class="button-row">${
                may(u)
                  ? html`${consultant ? action(u, u.role === 'hr' ? 'make_director' : 'make_hr', u.role === 'hr' ? x('makeDirector') : x('makeHr')) : ''}
                  ${u.pending && !u.disabled ? action(u, 'resend', x('resend')) : ''}
                  ${u.disabled ? action(u, 'enable', x('enable')) : action(u, 'disable', x('disable'))}
                  ${action(u, 'remove', x('remove'), 'btn-danger')}`
                  : ''
              }</div></td>
            </tr>`,
          )}</tbody></table></div>`
        }
      </section>
      <section aria-labelledby="invite-title" class="card card-form section">
        <h2 id="invite-title">${x('invite')}</h2>
        <p class="muted">${x('inviteLead')}${consultant ? '' : html` ${x('inviteHrOnlyConsultant')}`}</p>
        <form method="post" action="${`/app/organisations/${org.id}/users`}" novalidate>
          ${csrfField(request)}
          ${errors.size > 0 ? html`<div class="notice notice-error" role="alert">${x('formErrors')}</div>` : ''}
          <div class="form-row form-row-2">
            <div class="field"><label for="name">${x('name')}</label><input id="name" name="name" type="text" required maxlength="200" autocomplete="off" value="${v.name}"${invalid(errors, 'name')}>${fieldError(errors, 'name')}</div>
            <div class="field"><label for="email">${x('email')}</label><input id="email" name="email" type="email" required maxlength="254" autocomplete="off" value="${v.email}"${invalid(errors, 'email')}>${fieldError(errors, 'email')}</div>
          </div>
          <div class="form-row form-row-2">
            <div class="field"><label for="role">${x('role')}</label><select id="role" name="role"${invalid(errors, 'role')}>
              ${consultant ? html`<option value="hr"${v.role === 'hr' ? html` selected` : ''}>${x('role_hr')}</option>` : ''}
              <option value="director"${v.role === 'director' || !consultant ? html` selected` : ''}>${x('role_director')}</option>
            </select>${fieldError(errors, 'role')}</div>
            <div class="field"><label for="language">${x('mailLanguage')}</label><select id="language" name="language">
              ${(['nl', 'en'] as const).map((l) => html`<option value="${l}"${(v.language || ctx.lang) === l ? html` selected` : ''}>${ctx.t(`lang_${l}`)}</option>`)}
            </select></div>
          </div>
          <div class="form-actions"><button type="submit" class="btn btn-primary">${x('sendInvite')}</button></div>
        </form>
      </section>`,
    });
  }

  app.get('/app/organisations/:orgId/users', opts, async (request, reply) => usersPage(request, reply, { email: '', name: '', role: 'director', language: '' }, new Map()));

  app.post('/app/organisations/:orgId/users', opts, async (request, reply) => {
    const { orgId } = pageParams(request, orgPageParams, 'Organisation');
    const b = pageForm(request);
    const v: InviteValues = { email: str(b.email).trim(), name: str(b.name), role: str(b.role), language: str(b.language) };
    try {
      const api = apiClient(app, request);
      const user = await api.ok<OrgUser>('POST', `/api/v1/organisations/${encodeURIComponent(orgId)}/users`, {
        json: { email: v.email, name: v.name.trim(), role: v.role, language: v.language === 'en' ? 'en' : 'nl' },
      });
      const failed = user.pending ? await mailFailed(request, user.email, orgId) : false;
      return reply.redirect(`/app/organisations/${encodeURIComponent(orgId)}/users?done=${user.pending ? 'invited' : 'added'}${failed ? '&mail=failed' : ''}`, 303);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 409)) {
        const errors = err.status === 409 ? new Map([['email', err.problem.detail ?? '']]) : fieldErrors(err.problem.errors);
        return usersPage(request, reply, v, errors, err.status);
      }
      throw err;
    }
  });

  /** Whether the newest invitation mail to an address failed (SMTP down): the page says so. */
  async function mailFailed(request: FastifyRequest, email: string, orgId: string): Promise<boolean> {
    // In the signed-in user's tenant scope (the API call above has checked the organisation).
    const row = await withTenantScope(app.db, staffUser(request), (tx) => tx.selectFrom('staff_mail').select('status').where('to_address', '=', email).where('organisation_id', '=', orgId).orderBy('created_at', 'desc').executeTakeFirst());
    return row?.status === 'failed';
  }

  app.post('/app/organisations/:orgId/users/:userId', opts, async (request, reply) => {
    const { orgId, userId } = pageParams(request, orgUserPageParams, 'User');
    const b = pageForm(request);
    const base = `/api/v1/organisations/${encodeURIComponent(orgId)}/users/${encodeURIComponent(userId)}`;
    const api = apiClient(app, request);
    const lang = pageContext(request, reply).lang;
    let done: Done;
    let failed = false;
    switch (str(b.action)) {
      case 'make_hr':
      case 'make_director':
        await api.ok('PATCH', base, { json: { role: b.action === 'make_hr' ? 'hr' : 'director' } });
        done = 'role';
        break;
      case 'disable':
      case 'enable':
        await api.ok('PATCH', base, { json: { disabled: b.action === 'disable' } });
        done = b.action === 'disable' ? 'disabled' : 'enabled';
        break;
      case 'resend':
        failed = !(await api.ok<{ sent: boolean }>('POST', `${base}/invitation`, { json: { language: lang } })).sent;
        done = 'resent';
        break;
      case 'remove':
        await api.ok('DELETE', base);
        done = 'removed';
        break;
      default:
        throw new ApiError({ status: 400, code: 'bad_request', detail: 'Unknown action', errors: [{ path: 'body.action', message: 'Unknown action' }] });
    }
    return reply.redirect(`/app/organisations/${encodeURIComponent(orgId)}/users?done=${done}${failed ? '&mail=failed' : ''}`, 303);
  });

  // ---- the invitee's side (no session) -------------------------------------------------------

  const closedPage = (reply: FastifyReply, ctx: PageContext) =>
    send(reply, ctx, {
      status: 410,
      title: adminText(ctx, 'linkClosed'),
      variant: 'plain',
      body: html`<section class="card card-narrow message-card"><h1>${adminText(ctx, 'linkClosed')}</h1><p>${adminText(ctx, 'linkClosedText')}</p><p><a class="btn btn-primary" href="/">${adminText(ctx, 'toSignIn')}</a></p></section>`,
    });

  async function invitePage(request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) {
    const ctx = pageContext(request, reply);
    const { token } = pageParams(request, tokenPageParams);
    const look = await apiClient(app, request).call('POST', '/api/v1/invitations/staff/lookup', { json: { token }, as: 'none' });
    if (look.status !== 200) return closedPage(reply, ctx);
    const who = look.json<{ name: string; email: string }>();
    const x = (k: AdminText, vars?: Record<string, string>) => adminText(ctx, k, vars);
    return send(reply.header('referrer-policy', 'no-referrer'), ctx, {
      status,
      title: x('choosePassword'),
      variant: 'plain',
      body: html`<section class="card card-narrow" aria-labelledby="invite-title">
        <h1 id="invite-title">${x('choosePassword')}</h1>
        <p>${x('choosePasswordLead', who)}</p>
        ${error ? html`<p class="notice notice-error" role="alert" id="password-error">${error}</p>` : ''}
        <form method="post" action="${`/invite/${token}`}" class="stack" novalidate>
          <input type="text" name="username" autocomplete="username" value="${who.email}" hidden>
          <div class="field"><label for="password">${x('newPassword')}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required${error ? html` aria-invalid="true" aria-describedby="password-error"` : ''}></div>
          <div class="field"><label for="repeat">${x('repeatPassword')}</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength="12" required></div>
          <button type="submit" class="btn btn-primary btn-block">${x('save')}</button>
        </form>
      </section>`,
    });
  }

  app.get('/invite/:token', { schema: { hide: true } }, async (request, reply) => invitePage(request, reply));

  // No CSRF token: there is no session to ride on, and the one-time token in the path is the secret.
  app.post('/invite/:token', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const { token } = pageParams(request, tokenPageParams);
    const b = pageForm(request);
    const password = str(b.password);
    if (password !== str(b.repeat)) return invitePage(request, reply, adminText(ctx, 'mismatch'), 400);
    try {
      await apiClient(app, request).ok('POST', '/api/v1/invitations/staff/accept', { json: { token, password }, as: 'none' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) return invitePage(request, reply, err.problem.errors?.[0]?.message ?? err.problem.detail, 400);
      if (err instanceof ApiError && err.status === 410) return closedPage(reply, ctx);
      throw err;
    }
    return reply.redirect('/?welcome=1', 303);
  });
}
