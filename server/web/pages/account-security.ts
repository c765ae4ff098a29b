// Two-factor sign-in in the web app: the code step after the password (/login/mfa), and the
// account security page (/account/security) to set it up with a QR code, see the recovery codes once,
// turn it off, and (consultants) require it for everyone. A client of the API like every page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiClient, ApiError } from '../api-client.js';
import { isConsultant, pageContext, requireStaffPage, sameToken, send, staffUser, type PageContext } from '../context.js';
import { html, raw, type SafeHtml } from '../html.js';
import { csrfField, ctxOf, sendStaffPage } from './staff-common.js';
import { pageForm } from '../params.js';
import type { MfaStatusView } from '../../contracts/auth.js';

const LOGIN_CSRF_COOKIE = 'lcs_login_csrf';
export const SECURITY_PAGE = '/account/security';

const TEXT = {
  nl: {
    stepTitle: 'Tweestapsverificatie',
    stepLead: 'Vul de code van zes cijfers uit je authenticator-app in, of een van je herstelcodes.',
    code: 'Code',
    confirm: 'Bevestigen',
    wrongCode: 'Deze code klopt niet of is al gebruikt.',
    expired: 'De aanmelding is verlopen. Meld je opnieuw aan.',
    rateLimited: 'Te veel pogingen. Probeer het over een minuut opnieuw.',
    pageTitle: 'Beveiliging van je account',
    pageLead: 'Met tweestapsverificatie heb je naast je wachtwoord een code uit een app op je telefoon nodig.',
    on: 'Tweestapsverificatie staat aan.',
    off: 'Tweestapsverificatie staat uit.',
    required: 'Je organisatie verplicht tweestapsverificatie. Stel het in om verder te gaan.',
    codesLeft: 'Ongebruikte herstelcodes:',
    setUp: 'Instellen',
    scan: 'Scan deze QR-code met je authenticator-app (bijvoorbeeld Google Authenticator, Microsoft Authenticator of 1Password) en vul daarna de code in die de app toont.',
    manual: 'Kun je niet scannen? Vul deze sleutel in:',
    codesTitle: 'Je herstelcodes',
    codesLead: 'Bewaar deze codes op een veilige plek. Elke code werkt één keer als je je telefoon niet bij de hand hebt. Ze worden maar één keer getoond.',
    turnOff: 'Uitzetten',
    turnOffLead: 'Vul een actuele code in om tweestapsverificatie uit te zetten.',
    newCodes: 'Nieuwe herstelcodes maken',
    policyTitle: 'Voor het hele adviesbureau',
    policyLead: 'Verplicht tweestapsverificatie voor alle adviseurs en alle gebruikers van je klantorganisaties.',
    policyOn: 'Verplichten',
    policyOff: 'Niet meer verplichten',
    policyIsOn: 'Tweestapsverificatie is verplicht voor iedereen.',
    policyIsOff: 'Tweestapsverificatie is niet verplicht.',
    policyNeedsOwn: 'Zet tweestapsverificatie eerst voor jezelf aan.',
    done: 'Opgeslagen.',
    toApp: 'Naar de app',
  },
  en: {
    stepTitle: 'Two-step verification',
    stepLead: 'Enter the six-digit code from your authenticator app, or one of your recovery codes.',
    code: 'Code',
    confirm: 'Confirm',
    wrongCode: 'This code is not right or was used already.',
    expired: 'The sign-in has expired. Please sign in again.',
    rateLimited: 'Too many attempts. Try again in a minute.',
    pageTitle: 'Account security',
    pageLead: 'With two-step verification you need a code from an app on your phone besides your password.',
    on: 'Two-step verification is on.',
    off: 'Two-step verification is off.',
    required: 'Your organisation requires two-step verification. Set it up to continue.',
    codesLeft: 'Unused recovery codes:',
    setUp: 'Set up',
    scan: 'Scan this QR code with your authenticator app (for example Google Authenticator, Microsoft Authenticator or 1Password), then enter the code the app shows.',
    manual: "Can't scan? Enter this key:",
    codesTitle: 'Your recovery codes',
    codesLead: 'Keep these codes somewhere safe. Each works once when you do not have your phone. They are shown only this once.',
    turnOff: 'Turn off',
    turnOffLead: 'Enter a current code to turn two-step verification off.',
    newCodes: 'Make new recovery codes',
    policyTitle: 'For the whole consultancy',
    policyLead: 'Require two-step verification of every consultant and every user of your client organisations.',
    policyOn: 'Require',
    policyOff: 'Stop requiring',
    policyIsOn: 'Two-step verification is required for everyone.',
    policyIsOff: 'Two-step verification is not required.',
    policyNeedsOwn: 'Turn two-step verification on for yourself first.',
    done: 'Saved.',
    toApp: 'To the app',
  },
} as const;
type Key = keyof (typeof TEXT)['nl'];
const tx = (ctx: PageContext, k: Key) => TEXT[ctx.lang === 'en' ? 'en' : 'nl'][k];

function codeField(ctx: PageContext, error?: string): SafeHtml {
  return html`<div class="field">
    <label for="code">${tx(ctx, 'code')}</label>
    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="20" autofocus${error ? html` aria-invalid="true" aria-describedby="code-error"` : ''}>
    ${error ? html`<p class="field-error" id="code-error">${error}</p>` : ''}
  </div>`;
}

/** The second sign-in step, shown by the sign-in page when the API answers mfa_required. */
export function renderMfaStep(request: FastifyRequest, reply: FastifyReply, ctx: PageContext, v: { challenge: string; next: string; error?: string }, status = 200) {
  const token = request.cookies[LOGIN_CSRF_COOKIE] ?? '';
  return send(reply, ctx, {
    status,
    title: tx(ctx, 'stepTitle'),
    variant: 'plain',
    body: html`<div class="login-layout"><section class="card login-card" aria-labelledby="mfa-title">
      <h1 id="mfa-title">${tx(ctx, 'stepTitle')}</h1>
      <p class="lead">${tx(ctx, 'stepLead')}</p>
      <form method="post" action="/login/mfa" class="stack" novalidate>
        <input type="hidden" name="_csrf" value="${token}">
        <input type="hidden" name="challenge" value="${v.challenge}">
        <input type="hidden" name="next" value="${v.next}">
        ${codeField(ctx, v.error)}
        <button type="submit" class="btn btn-primary btn-block">${tx(ctx, 'confirm')}</button>
      </form>
    </section></div>`,
  });
}

export default async function accountSecurityPages(app: FastifyInstance, opts: { safeNext: (n: unknown) => string }): Promise<void> {
  const hide = { hide: true } as const;
  const staff = { schema: hide, preHandler: requireStaffPage } as const;

  app.post('/login/mfa', { schema: hide }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const body = pageForm(request);
    const challenge = typeof body.challenge === 'string' ? body.challenge : '';
    const code = typeof body.code === 'string' ? body.code.trim() : '';
    const next = opts.safeNext(body.next);
    const cookieToken = request.cookies[LOGIN_CSRF_COOKIE];
    if (typeof body._csrf !== 'string' || !cookieToken || !sameToken(body._csrf, cookieToken) || !challenge) return reply.redirect('/', 303);
    if (!code) return renderMfaStep(request, reply, ctx, { challenge, next, error: tx(ctx, 'wrongCode') }, 400);
    const res = await apiClient(app, request).call('POST', '/api/v1/auth/login/mfa', { json: { challenge, code }, as: 'none' });
    if (res.status === 200) {
      const setCookie = res.headers['set-cookie'];
      if (setCookie) reply.header('set-cookie', setCookie as string | string[]);
      return reply.redirect(next, 303);
    }
    if (res.status === 401) return send(reply, ctx, { status: 401, title: tx(ctx, 'stepTitle'), variant: 'plain', body: html`<section class="card card-narrow message-card"><p>${tx(ctx, 'expired')}</p><p><a class="btn btn-primary" href="/">${tx(ctx, 'confirm')}</a></p></section>` });
    if (res.status === 429) {
      const retry = res.headers['retry-after'];
      if (retry) reply.header('retry-after', String(retry));
      return renderMfaStep(request, reply, ctx, { challenge, next, error: tx(ctx, 'rateLimited') }, 429);
    }
    return renderMfaStep(request, reply, ctx, { challenge, next, error: tx(ctx, 'wrongCode') }, 400);
  });

  async function securityPage(request: FastifyRequest, reply: FastifyReply, extra: { notice?: string; error?: string; enrolment?: { secret: string; qrSvg: string }; codes?: string[] } = {}, status = 200) {
    const ctx = ctxOf(request, reply);
    const api = apiClient(app, request);
    const s = await api.get<MfaStatusView>('/api/v1/auth/mfa');
    const p = staffUser(request);
    const consultant = isConsultant(p) && !p.mfaSetupRequired;
    const policy = consultant ? await api.get<{ requireMfa: boolean }>('/api/v1/consultancy/mfa-policy') : null;
    const notice = extra.notice ? html`<div class="notice notice-ok" role="status"><p>${extra.notice}</p></div>` : '';
    const error = extra.error ? html`<div class="notice notice-error" role="alert"><p>${extra.error}</p></div>` : '';
    const body = html`<div class="page-head"><div><h1>${tx(ctx, 'pageTitle')}</h1><p class="lead">${tx(ctx, 'pageLead')}</p></div></div>
      ${s.required && !s.enabled ? html`<div class="notice notice-warn" role="alert"><p>${tx(ctx, 'required')}</p></div>` : ''}
      ${notice}${error}
      ${
        extra.codes
          ? html`<section class="card" aria-labelledby="codes-title"><h2 id="codes-title">${tx(ctx, 'codesTitle')}</h2><p>${tx(ctx, 'codesLead')}</p>
            <ul class="recovery-codes">${extra.codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
            <p><a class="btn btn-primary" href="/app">${tx(ctx, 'toApp')}</a></p></section>`
          : ''
      }
      <section class="card card-form" aria-labelledby="mfa-state">
        <h2 id="mfa-state">${s.enabled ? tx(ctx, 'on') : tx(ctx, 'off')}</h2>
        ${s.enabled ? html`<p>${tx(ctx, 'codesLeft')} ${s.recoveryCodesLeft}</p>` : ''}
        ${
          extra.enrolment
            ? html`<p>${tx(ctx, 'scan')}</p><div class="qr-code">${raw(extra.enrolment.qrSvg)}</div>
              <p>${tx(ctx, 'manual')} <code>${extra.enrolment.secret}</code></p>
              <form method="post" action="${`${SECURITY_PAGE}/enable`}" class="stack">${csrfField(request)}${codeField(ctx)}
                <button type="submit" class="btn btn-primary">${tx(ctx, 'confirm')}</button></form>`
            : !s.enabled
              ? html`<form method="post" action="${`${SECURITY_PAGE}/setup`}">${csrfField(request)}<button type="submit" class="btn btn-primary">${tx(ctx, 'setUp')}</button></form>`
              : html`<form method="post" action="${`${SECURITY_PAGE}/recovery-codes`}" class="stack">${csrfField(request)}${codeField(ctx)}
                  <button type="submit" class="btn btn-secondary">${tx(ctx, 'newCodes')}</button></form>
                ${
                  s.required
                    ? ''
                    : html`<form method="post" action="${`${SECURITY_PAGE}/disable`}" class="stack">${csrfField(request)}<p>${tx(ctx, 'turnOffLead')}</p>
                  <div class="field"><label for="off-code">${tx(ctx, 'code')}</label><input id="off-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="20"></div>
                  <button type="submit" class="btn btn-secondary">${tx(ctx, 'turnOff')}</button></form>`
                }`
        }
      </section>
      ${
        policy
          ? html`<section class="card card-form" aria-labelledby="policy-title"><h2 id="policy-title">${tx(ctx, 'policyTitle')}</h2><p>${tx(ctx, 'policyLead')}</p>
            <p><strong>${policy.requireMfa ? tx(ctx, 'policyIsOn') : tx(ctx, 'policyIsOff')}</strong></p>
            <form method="post" action="${`${SECURITY_PAGE}/policy`}">${csrfField(request)}<input type="hidden" name="requireMfa" value="${policy.requireMfa ? 'false' : 'true'}">
              <button type="submit" class="btn btn-secondary">${policy.requireMfa ? tx(ctx, 'policyOff') : tx(ctx, 'policyOn')}</button></form></section>`
          : ''
      }`;
    reply.header('cache-control', 'no-store');
    return sendStaffPage(app, request, reply, ctx, { status, title: tx(ctx, 'pageTitle'), body });
  }

  /** Forwards a re-issued session cookie from the API to the browser. */
  function forwardCookie(request: FastifyRequest, reply: FastifyReply, headers: Record<string, unknown>) {
    const setCookie = headers['set-cookie'];
    if (!setCookie) return;
    reply.header('set-cookie', setCookie as string | string[]);
    // API calls for the rest of this answer go with the new session.
    const session = [setCookie].flat().map(String).find((c) => c.startsWith('lcs_session='));
    if (session) request.headers.cookie = session.split(';')[0];
  }
  const codeOf = (request: FastifyRequest) => {
    const b = pageForm(request);
    return typeof b.code === 'string' ? b.code.trim() : '';
  };
  const wrong = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (err instanceof ApiError && (err.status === 400 || err.status === 429 || err.status === 409)) {
      const ctx = ctxOf(request, reply);
      return securityPage(request, reply, { error: err.status === 429 ? tx(ctx, 'rateLimited') : err.code === 'mfa_not_enabled' ? tx(ctx, 'policyNeedsOwn') : tx(ctx, 'wrongCode') }, err.status);
    }
    throw err;
  };

  app.get(SECURITY_PAGE, staff, async (request, reply) => securityPage(request, reply));

  app.post(`${SECURITY_PAGE}/setup`, staff, async (request, reply) => {
    const enrolment = await apiClient(app, request).ok<{ secret: string; qrSvg: string }>('POST', '/api/v1/auth/mfa/setup');
    return securityPage(request, reply, { enrolment });
  });

  app.post(`${SECURITY_PAGE}/enable`, staff, async (request, reply) => {
    const res = await apiClient(app, request).call('POST', '/api/v1/auth/mfa/enable', { json: { code: codeOf(request) || '------' } });
    if (res.status !== 200) return wrong(request, reply, new ApiError({ status: res.status, code: res.status === 409 ? 'conflict' : 'wrong_code' }));
    forwardCookie(request, reply, res.headers);
    const { recoveryCodes, csrfToken } = res.json<{ recoveryCodes: string[]; csrfToken: string }>();
    // The rest of this answer is rendered for the re-issued session.
    const p = staffUser(request);
    request.principal = { ...p, csrfToken, mfaSetupRequired: false };
    return securityPage(request, reply, { codes: recoveryCodes });
  });

  app.post(`${SECURITY_PAGE}/recovery-codes`, staff, async (request, reply) => {
    try {
      const { recoveryCodes } = await apiClient(app, request).ok<{ recoveryCodes: string[] }>('POST', '/api/v1/auth/mfa/recovery-codes', { json: { code: codeOf(request) || '------' } });
      return securityPage(request, reply, { codes: recoveryCodes });
    } catch (err) {
      return wrong(request, reply, err);
    }
  });

  app.post(`${SECURITY_PAGE}/disable`, staff, async (request, reply) => {
    const res = await apiClient(app, request).call('POST', '/api/v1/auth/mfa/disable', { json: { code: codeOf(request) || '------' } });
    if (res.status !== 200) return wrong(request, reply, new ApiError({ status: res.status, code: res.json<{ code?: string }>().code ?? 'error' }));
    forwardCookie(request, reply, res.headers);
    return reply.redirect(SECURITY_PAGE, 303);
  });

  app.post(`${SECURITY_PAGE}/policy`, staff, async (request, reply) => {
    const b = pageForm(request);
    try {
      await apiClient(app, request).ok('PUT', '/api/v1/consultancy/mfa-policy', { json: { requireMfa: b.requireMfa === 'true' } });
    } catch (err) {
      return wrong(request, reply, err);
    }
    return securityPage(request, reply, { notice: tx(ctxOf(request, reply), 'done') });
  });
}
