// Respondent pages. A link `/s/<token>` is visited once: the token moves into an HttpOnly cookie scoped
// to /survey and the browser is sent on to a clean URL, so the token never stays in the address bar,
// the history or a Referer. Each page is a plain form posting to /survey/<step>; the server saves
// through the respondent API and redirects (post/redirect/get). The client script posts the same form
// in the background (Accept: application/json) to autosave.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { ApiError, apiClient } from '../api-client.js';
import { pageContext, sameToken, send, type PageContext } from '../context.js';
import { isLang, LANG_COOKIE, translator, type Lang } from '../i18n.js';
import { introPage, messagePage, resumeStep, stepsOf, surveyPage, type BackgroundField, type Point, type Step, type SurveyModel } from '../views/survey.js';
import { getSurvey, toSurveyModel, type SurveyApiInput } from './survey-api.js';
import { SURVEY_SESSION_HEADER, surveySessionProof } from '../../rounds/survey-session.js';
import { OPEN_ANSWER_MESSAGES, checkOpenAnswer } from '../../../scans/modules/open-answers.js';
import { pageForm, pageParams, pageQuery, stepPageParams, tokenPageParams } from '../params.js';

export const SURVEY_COOKIE = 'lcs_survey';
/** The pages this browser went through for a response (bound to its token), so a return resumes at the first one not seen. */
export const SEEN_COOKIE = 'lcs_survey_seen';
const SURVEY_PATH = '/survey';
const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;
const BACKGROUND_FIELDS: BackgroundField[] = ['department', 'role', 'education', 'contract', 'age_band', 'tenure', 'contract_hours'];

/** The respondent's CSRF token, derived from the secret token in the HttpOnly cookie. */
export function surveyCsrf(token: string): string {
  return createHash('sha256').update(`lcs-survey-csrf:${token}`).digest('base64url').slice(0, 32);
}

function cookieOptions(app: FastifyInstance) {
  return {
    path: SURVEY_PATH,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.COOKIE_SECURE === true || app.config.publicUrl.startsWith('https:'),
    // Long enough to come back to an unfinished questionnaire days later on the same device.
    maxAge: 60 * 24 * 3600,
  };
}

function surveyToken(request: FastifyRequest): string | null {
  const t = request.cookies[SURVEY_COOKIE];
  return t && TOKEN.test(t) ? t : null;
}

const seenKey = (token: string) => createHash('sha256').update(`lcs-survey-seen:${token}`).digest('base64url').slice(0, 16);
const STEP_ID = /^[a-z_]{1,40}$/;

/** The step ids this browser has shown for the response of `token` (nothing for another response). */
function seenSteps(request: FastifyRequest, token: string): Set<string> {
  const raw = request.cookies[SEEN_COOKIE] ?? '';
  const [key, list] = raw.split(':');
  if (key !== seenKey(token) || !list) return new Set();
  return new Set(list.split('.').filter((s) => STEP_ID.test(s)).slice(0, 40));
}

function markSeen(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, token: string, stepId: string): void {
  const seen = seenSteps(request, token);
  if (seen.has(stepId) || !STEP_ID.test(stepId)) return;
  seen.add(stepId);
  reply.setCookie(SEEN_COOKIE, `${seenKey(token)}:${[...seen].join('.')}`, cookieOptions(app));
}

function withLang(ctx: PageContext, lang: Lang): PageContext {
  return lang === ctx.lang ? ctx : { ...ctx, lang, t: translator(lang) };
}

/** An explicit language choice (?lang= or the language cookie), if any. */
function chosenLang(request: FastifyRequest): Lang | null {
  const q = pageQuery(request).lang;
  if (isLang(q)) return q;
  const c = request.cookies[LANG_COOKIE];
  return isLang(c) ? c : null;
}

function renderMessage(reply: FastifyReply, ctx: PageContext, title: string, text: string, tone: 'ok' | 'info' | 'warn', status = 200) {
  return send(reply, ctx, { status, title, variant: 'survey', body: messagePage(title, text, tone) });
}

/** The respondent-facing page for an API problem (closed round, unknown link, ...). */
function renderProblem(reply: FastifyReply, ctx: PageContext, err: ApiError) {
  const { t } = ctx;
  switch (err.code) {
    case 'round_closed':
      return renderMessage(reply, ctx, t('surveyClosedTitle'), t('surveyClosed'), 'info', 410);
    case 'round_not_open':
      return renderMessage(reply, ctx, t('surveyNotOpenTitle'), t('surveyNotOpen'), 'info', 409);
    case 'link_full':
      return renderMessage(reply, ctx, t('surveyFullTitle'), t('surveyFull'), 'info', 410);
    case 'already_submitted':
      return renderMessage(reply, ctx, t('thankYouTitle'), t('alreadySubmitted'), 'ok');
    default:
      if (err.status === 404 || err.status === 410) return renderMessage(reply, ctx, t('surveyUnknownTitle'), t('surveyUnknown'), 'warn', err.status);
      throw err;
  }
}

/** Turns the posted fields of one page into the respondent API's body (only what that page holds). */
export function inputFromForm(step: Step, body: Record<string, unknown>): SurveyApiInput {
  const input: SurveyApiInput = {};
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const prefixed = (prefix: string, none: string) => {
    const out: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(body)) {
      if (!k.startsWith(prefix) || typeof v !== 'string') continue;
      out[k.slice(prefix.length)] = v === none ? null : Number(v);
    }
    return out;
  };
  switch (step.kind) {
    case 'mechanism':
      input.answers = prefixed('a.', 'dk');
      break;
    case 'factors':
      input.factors = prefixed('f.', 'na');
      break;
    case 'background': {
      const background: Partial<Record<BackgroundField, string | null>> = {};
      for (const f of BACKGROUND_FIELDS) {
        const v = str(`b.${f}`);
        if (v !== undefined) background[f] = v === '' ? null : v;
      }
      input.background = background;
      break;
    }
    case 'placements': {
      const placements: Partial<Record<'current' | 'desired', Point | null>> = {};
      // Two plain questions per moment; "" is "don't know" (clears the point), a missing field is not
      // answered yet (keeps what is saved). A point needs both answers: one answer alone waits.
      for (const f of ['current', 'desired'] as const) {
        const rawX = str(`p.${f}.x`)?.trim();
        const rawY = str(`p.${f}.y`)?.trim();
        if (rawX === undefined && rawY === undefined) continue;
        if (rawX === '' || rawY === '') placements[f] = null;
        else if (rawX !== undefined && rawY !== undefined) placements[f] = { x: Number(rawX), y: Number(rawY) };
      }
      input.placements = placements;
      break;
    }
    case 'module': {
      const page = step.page?.kind === 'module' ? step.page : null;
      if (!page) break;
      if (page.items.length) input.modules = { motivation: prefixed('m.', 'dk') };
      if (page.choice) {
        const v = str('ml');
        if (v !== undefined) input.modules = { learning: v === '' ? null : v };
      }
      if (page.prompts.length) {
        const open: Partial<Record<'helps' | 'change', string | null>> = {};
        for (const pr of page.prompts) {
          const v = str(`o.${pr.id}`);
          if (v !== undefined) open[pr.id] = v === '' ? null : v;
        }
        input.modules = { open };
      }
      break;
    }
    case 'intro': {
      const l = str('language');
      if (isLang(l)) input.language = l;
      break;
    }
    default:
      break;
  }
  return input;
}

function hasContent(input: SurveyApiInput): boolean {
  return Object.values(input).some((v) => v !== undefined && (typeof v !== 'object' || v === null || Object.keys(v).length > 0));
}

/**
 * The token this browser keeps for a link. A personal link is kept as it is. A shared link is kept as
 * it is too, without starting anything (opening a link is not starting: a mail scanner that follows
 * it must not use up a place on a capped link); the respondent's first save starts the response. If
 * this browser already holds an unfinished response of the same round (the same questionnaire of the
 * same organisation), it continues that one.
 */
async function exchangeToken(api: ReturnType<typeof apiClient>, token: string, existing: string | null, lang: Lang | null): Promise<string> {
  const link = await getSurvey(api, token, lang);
  if (!link.startRequired) return token;
  if (existing && existing !== token) {
    try {
      const mine = await getSurvey(api, existing, lang, true);
      const sameRound = mine.round.name === link.round.name && mine.round.organisationName === link.round.organisationName && mine.form === link.form;
      if (sameRound && mine.link === 'respondent' && mine.status !== 'submitted') return existing;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }
  return token;
}

/** A shared link's first write: start a response of its own and continue with its respondent token. */
async function startShared(api: ReturnType<typeof apiClient>, token: string, lang: Lang | null): Promise<string> {
  const started = await api.ok<{ token: string }>('POST', `/api/v1/survey/${encodeURIComponent(token)}/start`, { json: lang ? { language: lang } : {}, as: 'none' });
  return started.token;
}

export default async function surveyPages(app: FastifyInstance): Promise<void> {
  const hide = { hide: true } as const;

  // The invitation link: exchanges the token for a cookie and redirects to a URL without it.
  app.get('/s/:token', { schema: hide }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const { token } = pageParams(request, tokenPageParams);
    reply.header('cache-control', 'no-store');
    if (!TOKEN.test(token)) return renderMessage(reply, ctx, ctx.t('surveyUnknownTitle'), ctx.t('surveyUnknown'), 'warn', 404);
    try {
      const kept = await exchangeToken(apiClient(app, request), token, surveyToken(request), chosenLang(request));
      reply.setCookie(SURVEY_COOKIE, kept, cookieOptions(app));
      const lang = pageQuery(request).lang;
      return reply.redirect(isLang(lang) ? `/survey?lang=${lang}` : '/survey', 303);
    } catch (err) {
      if (err instanceof ApiError) return renderProblem(reply, ctx, err);
      throw err;
    }
  });

  type Loaded = { token: string; model: SurveyModel; ctx: PageContext; shared: boolean };

  /** The respondent's questionnaire, or the reply already sent (no cookie, closed round, ...). */
  async function load(request: FastifyRequest, reply: FastifyReply, lang: Lang | null): Promise<Loaded | FastifyReply> {
    const ctx = pageContext(request, reply);
    const token = surveyToken(request);
    if (!token) return renderMessage(reply, ctx, ctx.t('surveyUnknownTitle'), ctx.t('surveyNoSession'), 'warn', 401);
    try {
      const view = await getSurvey(apiClient(app, request), token, lang, true);
      return { token, model: toSurveyModel(view), ctx: withLang(ctx, view.language), shared: view.startRequired };
    } catch (err) {
      if (err instanceof ApiError) return renderProblem(reply, ctx, err);
      throw err;
    }
  }

  function renderStep(reply: FastifyReply, l: Loaded, step: Step, error?: { message: string; fields: string[]; values?: Record<string, string> }, status = 200) {
    const { ctx, model, token } = l;
    const steps = stepsOf(model);
    const n = steps.findIndex((s) => s.id === step.id);
    const title = step.page && 'title' in step.page ? step.page.title : step.kind === 'review' ? ctx.t('reviewTitle') : ctx.t('surveyWelcome');
    const body =
      step.kind === 'intro'
        ? introPage({ model, lang: ctx.lang, t: ctx.t, csrf: surveyCsrf(token), resumeLabel: Object.keys(model.answers).length > 0 })
        : surveyPage({ model, step, lang: ctx.lang, t: ctx.t, csrf: surveyCsrf(token), idempotencyKey: step.kind === 'review' ? randomUUID() : undefined, error });
    return send(reply, ctx, {
      status,
      title: step.kind === 'intro' ? title : `${ctx.t('pageOf', { n: Math.max(n, 1), total: steps.length - 1 })}: ${title}`,
      variant: 'survey',
      body,
      bodyData: { 'autosave-saving': ctx.t('autosaveSaving'), 'autosave-saved': ctx.t('autosaveSaved'), 'autosave-failed': ctx.t('autosaveFailed') },
    });
  }

  app.get('/survey', { schema: hide }, async (request, reply) => {
    const loaded = await load(request, reply, chosenLang(request));
    if (!loaded || !('model' in loaded)) return reply; // a sent reply is thenable: awaiting it gives undefined
    const { ctx, model } = loaded;
    if (model.status === 'submitted') return renderMessage(reply, ctx, ctx.t('thankYouTitle'), ctx.t('thankYou'), 'ok');
    const step = resumeStep(model, seenSteps(request, loaded.token));
    if (step.kind === 'intro') return renderStep(reply, loaded, step);
    return reply.redirect(`/survey/${step.id}`, 303);
  });

  // A respondent's own data request: everything stored of their response as a JSON download, only
  // in the browser that holds the cookie (also after submitting; the link alone shows nothing).
  app.get('/survey/data', { schema: hide }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const token = surveyToken(request);
    if (!token) return renderMessage(reply, ctx, ctx.t('surveyUnknownTitle'), ctx.t('surveyNoSession'), 'warn', 401);
    const res = await apiClient(app, request).call('GET', `/api/v1/survey/${encodeURIComponent(token)}/data`, {
      as: 'none',
      headers: { [SURVEY_SESSION_HEADER]: surveySessionProof(token) },
    });
    if (res.status !== 200) return renderMessage(reply, ctx, ctx.t('surveyUnknownTitle'), ctx.t('surveyUnknown'), 'warn', res.status === 403 ? 403 : 404);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="my-answers.json"')
      .type('application/json; charset=utf-8')
      .send(res.body);
  });

  app.get('/survey/:step', { schema: hide }, async (request, reply) => {
    const loaded = await load(request, reply, chosenLang(request));
    if (!loaded || !('model' in loaded)) return reply; // a sent reply is thenable: awaiting it gives undefined
    const { ctx, model } = loaded;
    if (model.status === 'submitted') return renderMessage(reply, ctx, ctx.t('thankYouTitle'), ctx.t('thankYou'), 'ok');
    const { step: stepId } = pageParams(request, stepPageParams);
    const step = stepsOf(model).find((s) => s.id === stepId);
    if (!step) return reply.redirect('/survey', 303);
    return renderStep(reply, loaded, step);
  });

  app.post('/survey/:step', { schema: hide }, async (request, reply) => {
    const json = (request.headers.accept ?? '').includes('application/json');
    const cookieToken = surveyToken(request);
    const body = pageForm(request);
    const sent = request.headers['x-csrf-token'] ?? body._csrf;
    const problem = (status: number, code: string) => reply.code(status).type('application/problem+json; charset=utf-8').send({ type: 'about:blank', title: code, status, code });
    if (!cookieToken) {
      if (json) return problem(401, 'no_survey_session');
      const ctx = pageContext(request, reply);
      return renderMessage(reply, ctx, ctx.t('surveyUnknownTitle'), ctx.t('surveyNoSession'), 'warn', 401);
    }
    if (typeof sent !== 'string' || !sameToken(sent, surveyCsrf(cookieToken))) {
      if (json) return problem(403, 'forbidden');
      return reply.redirect('/survey', 303);
    }
    const { step: stepId } = pageParams(request, stepPageParams);
    const chosen = stepId === 'intro' && isLang(body.language) ? body.language : chosenLang(request);
    if (stepId === 'intro' && isLang(body.language)) {
      reply.setCookie(LANG_COOKIE, body.language, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
    }
    let loaded = await load(request, reply, chosen);
    if (!loaded || !('model' in loaded)) return reply; // a sent reply is thenable: awaiting it gives undefined
    if (loaded.shared) {
      // The first write through a shared link: only now does a response start (and count).
      try {
        const own = await startShared(apiClient(app, request), loaded.token, chosen);
        reply.setCookie(SURVEY_COOKIE, own, cookieOptions(app));
        const again = await getSurvey(apiClient(app, request), own, chosen, true);
        loaded = { token: own, model: toSurveyModel(again), ctx: withLang(loaded.ctx, again.language), shared: false };
      } catch (err) {
        if (err instanceof ApiError) {
          if (json) return reply.code(err.status).type('application/problem+json; charset=utf-8').send({ status: err.status, code: err.code, errors: [] });
          return renderProblem(reply, loaded.ctx, err);
        }
        throw err;
      }
    }
    const { model, ctx } = loaded;
    const token = loaded.token;
    const steps = stepsOf(model);
    const idx = steps.findIndex((s) => s.id === stepId);
    const step = steps[idx];
    if (!step) return json ? problem(404, 'not_found') : reply.redirect('/survey', 303);
    const api = apiClient(app, request);
    const input = inputFromForm(step, body);
    const nav = typeof body.nav === 'string' ? body.nav : json ? 'stay' : 'next';
    // Open answers are checked here first, so that a very long answer (beyond the API's body limit)
    // or markup gets the same clear message as any other problem, with the text kept in the field.
    const openProblem = Object.entries(input.modules?.open ?? {}).map(([id, v]) => [id, v === null ? null : checkOpenAnswer(v)] as const).find(([, c]) => c && !c.ok);
    if (openProblem) {
      const [id, c] = openProblem;
      const message = OPEN_ANSWER_MESSAGES[(c as { ok: false; problem: keyof typeof OPEN_ANSWER_MESSAGES }).problem][ctx.lang];
      if (json) return reply.code(400).type('application/problem+json; charset=utf-8').send({ status: 400, code: 'validation_failed', errors: [{ path: `body.modules.open.${id}`, message }] });
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(input.modules?.open ?? {})) if (typeof v === 'string') values[k] = v.slice(0, 4000);
      return renderStep(reply, loaded, step, { message, fields: [id], values }, 400);
    }
    try {
      if (nav === 'submit' && step.kind === 'review') {
        const key = typeof body.idempotency_key === 'string' && /^[A-Za-z0-9_-]{8,100}$/.test(body.idempotency_key) ? body.idempotency_key : randomUUID();
        await api.ok('POST', `/api/v1/survey/${encodeURIComponent(token)}/submit`, { json: {}, headers: { 'idempotency-key': key }, as: 'none' });
        return renderMessage(reply, ctx, ctx.t('thankYouTitle'), ctx.t('thankYou'), 'ok');
      }
      if (hasContent(input)) await api.ok('PUT', `/api/v1/survey/${encodeURIComponent(token)}/answers`, { json: input, as: 'none' });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (json) return reply.code(err.status).type('application/problem+json; charset=utf-8').send({ status: err.status, code: err.code, errors: err.problem.errors ?? [] });
      if (err.code === 'validation_failed' || err.code === 'incomplete_response') {
        const fields = (err.problem.errors ?? []).map((e) => e.path.split('.').pop() ?? '');
        // Show what the respondent just chose, so nothing they did is lost on the error page.
        Object.assign(model.answers, input.answers ?? {});
        Object.assign(model.factors, input.factors ?? {});
        const message = err.code === 'incomplete_response' ? ctx.t('unansweredPages') : ctx.t('answerError');
        return renderStep(reply, loaded, step, { message, fields }, 400);
      }
      return renderProblem(reply, ctx, err);
    }
    if (json) return reply.code(200).header('cache-control', 'no-store').send({ saved: true });
    // The respondent went through this page (on to the next or back): a return does not land here again.
    if (step.kind !== 'intro' && step.kind !== 'review' && step.kind !== 'mechanism') markSeen(app, request, reply, token, step.id);
    const target = nav === 'prev' ? steps[Math.max(idx - 1, 1)] : nav === 'next' ? steps[Math.min(idx + 1, steps.length - 1)] : step;
    return reply.redirect(`/survey/${target!.id}`, 303);
  });
}
