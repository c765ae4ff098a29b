// The respondent API. No sign-in: the token in the path is the key (a personal link, a shared link,
// or the respondent token a shared link hands out at start). See server/rounds/responses.ts for how
// who answered is kept apart from what was answered. Every route runs in the tenant scope of the
// organisation the token leads to (inSurveyScope), never in the account or system scope.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sha256Hex } from '../../lib/crypto.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { problemSchema } from '../../lib/problem-schema.js';
import { surveyLink } from '../../rounds/invitations.js';
import { buildQuestionnaire } from '../../rounds/questionnaire.js';
import { hasSurveySession } from '../../rounds/survey-session.js';
import {
  assertAnswerable,
  inSurveyScope,
  invitationBackground,
  loadSavedResponse,
  organisationNameOfRound,
  resolveToken,
  saveAnswers,
  startResponse,
  submitByToken,
} from '../../rounds/responses.js';
import { LANGUAGES, type Language } from '../../../scans/index.js';
import { withSurveyModules } from '../../rounds/responses.js';
import {
  ownDataSchema,
  progressSchema,
  questionnaireSchema,
  responseInputSchema,
  submitResultSchema,
  surveyTokenParamsSchema as tokenParams,
} from '../../contracts/survey.js';

// A complete submission is about 2 kB; anything near this limit is not a questionnaire.
const SURVEY_BODY_LIMIT = 64 * 1024;
const respondentErrors = { 400: problemSchema, 404: problemSchema, 409: problemSchema, 410: problemSchema };

function percent(p: { answered: number; total: number }) {
  return p.total === 0 ? 0 : Math.floor((100 * p.answered) / p.total);
}

const surveyRoutes: FastifyPluginAsyncZod = async (app) => {
  // Answers are nobody else's business: no caching anywhere on the way.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'no-referrer');
  });

  app.get(
    '/api/v1/survey/:token',
    {
      schema: {
        tags: ['survey'],
        summary: 'The questionnaire in the requested language; saved answers and progress only in the respondent\'s own browser session',
        description:
          'Falls back to the round\'s first language when `lang` is not offered. Unknown token: 404; withdrawn link or closed round: 410; not yet open: 409 round_not_open. ' +
          '`saved` (and the progress and language it implies) is filled only for the respondent\'s own browser session (the questionnaire pages); for anybody else who holds the link it is empty. ' +
          'After submitting, the link says only that: status submitted, nothing saved, no date.',
        params: tokenParams,
        querystring: z.object({ lang: z.enum(LANGUAGES).optional() }),
        response: { 200: questionnaireSchema, ...respondentErrors },
      },
    },
    async (request) => inSurveyScope(app.db, request.params.token, async (db) => {
      const t = await resolveToken(db, request.params.token);
      assertAnswerable(t.round);
      // What the person saved is shown only to their own browser session (the questionnaire pages),
      // and after submitting to nobody at all: the link then only says that it was used.
      const submitted = t.kind !== 'shared' && t.response?.status === 'submitted';
      const own = !submitted && t.kind !== 'shared' && t.response !== null && hasSurveySession(request.headers, request.params.token);
      const languages = t.round.languages;
      const wanted = request.query.lang;
      const savedLanguage = own ? t.response?.language : undefined;
      const language: Language = wanted && languages.includes(wanted) ? wanted : (savedLanguage && languages.includes(savedLanguage) ? savedLanguage : languages[0]!);
      const built = buildQuestionnaire(await withSurveyModules(db, t.round), t.form, language);
      // Background HR gave in the invitation list is not asked again (the response receives it).
      const given = t.kind === 'personal' ? await invitationBackground(db, t.invitation!.id) : {};
      const q = Object.keys(given).length === 0
        ? built
        : {
            ...built,
            pages: built.pages
              .map((p) => (p.kind === 'background' ? { ...p, questions: p.questions.filter((qq) => !(qq.id in given)) } : p))
              .filter((p) => p.kind !== 'background' || p.questions.length > 0),
          };
      const saved = await loadSavedResponse(db, own ? t.response!.id : null);
      const total = q.pages.reduce((n, p) => n + (p.kind === 'mechanism' ? p.items.length : 0), 0);
      // A submitted response answered every statement; that follows from "submitted" and tells nothing more.
      const answered = submitted ? total : Object.keys(saved.answers).length;
      return {
        status: t.response && t.kind !== 'shared' ? t.response.status : ('not_started' as const),
        link: t.kind,
        startRequired: t.kind === 'shared',
        form: t.form,
        language,
        languages,
        round: {
          name: t.round.name,
          organisationName: await organisationNameOfRound(db, t.round.id),
          opensAt: t.round.opens_at?.toISOString() ?? null,
          closesAt: t.round.closes_at?.toISOString() ?? null,
        },
        ...q,
        saved,
        progress: { answered, total, percent: percent({ answered, total }) },
        submittedAt: null,
      };
    }),
  );

  app.get(
    '/api/v1/survey/:token/data',
    {
      schema: {
        tags: ['survey'],
        summary: "A respondent's own data (their data request), only in their own browser session",
        description:
          'Everything stored of the response this link leads to: language, background, answers, factors, placements, status. ' +
          "Served only to the respondent's own browser session (the questionnaire pages, /survey/data); anybody else holding the link gets 403 survey_session_required. " +
          'Also after submitting and after the round closed, until the raw answers are purged (then 404).',
        params: tokenParams,
        response: { 200: ownDataSchema, 403: problemSchema, 404: problemSchema, 410: problemSchema },
      },
    },
    async (request) => inSurveyScope(app.db, request.params.token, async (db) => {
      const t = await resolveToken(db, request.params.token);
      if (!hasSurveySession(request.headers, request.params.token)) {
        throw new AppError(403, 'survey_session_required', 'Your answers are shown only in the browser you answered in, from your own link');
      }
      if (t.kind === 'shared' || !t.response) throw new NotFoundError('Response');
      const saved = await loadSavedResponse(db, t.response.id);
      return {
        roundName: t.round.name,
        form: t.form,
        status: t.response.status,
        language: t.response.language,
        submittedOn: t.response.submittedAt ? t.response.submittedAt.toISOString().slice(0, 10) : null,
        ...saved,
      };
    }),
  );

  app.post(
    '/api/v1/survey/:token/start',
    {
      schema: {
        tags: ['survey'],
        summary: 'Start a response',
        description:
          'Shared link: creates a new response with its own respondent token (shown once; continue with it) and counts one use against the cap (410 link_full when reached). Personal link or respondent token: idempotent, answers the same token.',
        params: tokenParams,
        body: z.strictObject({ language: z.enum(LANGUAGES).optional() }).nullish(),
        response: {
          200: z.object({ token: z.string(), link: z.string(), status: z.enum(['in_progress', 'submitted']), created: z.boolean() }),
          201: z.object({ token: z.string(), link: z.string(), status: z.enum(['in_progress', 'submitted']), created: z.boolean() }),
          ...respondentErrors,
        },
      },
    },
    async (request, reply) => {
      // The answer goes out after the scope's transaction committed.
      const r = await inSurveyScope(app.db, request.params.token, async (db) => startResponse(db, await resolveToken(db, request.params.token), request.body?.language));
      return reply.code(r.created ? 201 : 200).send({ ...r, link: surveyLink(app.config.publicUrl, r.token) });
    },
  );

  app.put(
    '/api/v1/survey/:token/answers',
    {
      bodyLimit: SURVEY_BODY_LIMIT,
      schema: {
        tags: ['survey'],
        summary: 'Save answers so far (autosave; repeatable)',
        description:
          'Only the fields sent change; null clears a background answer or placement, and is "don\'t know" for an item. Anything outside the instrument answers 400 naming it (errors[].path, e.g. body.answers.sd9) and stores nothing of the request. A submitted response is read-only (409 already_submitted). ' +
          "`progress` (how many statements are answered, which tells of the person's saved answers) is given only to the respondent's own browser session (the questionnaire pages); for anybody else holding the link it is null.",
        params: tokenParams,
        body: responseInputSchema,
        response: {
          200: z.object({ status: z.literal('in_progress'), progress: progressSchema.nullable().describe("Only in the respondent's own browser session, else null") }),
          ...respondentErrors,
          413: problemSchema,
        },
      },
    },
    async (request) => inSurveyScope(app.db, request.params.token, async (db) => {
      const t = await resolveToken(db, request.params.token);
      const r = await saveAnswers(db, t, request.body);
      // The answered count rests on what the person saved earlier: only their own session sees it.
      const own = hasSurveySession(request.headers, request.params.token);
      return { status: r.status, progress: own ? { ...r.progress, percent: percent(r.progress) } : null };
    }),
  );

  app.post(
    '/api/v1/survey/:token/submit',
    {
      bodyLimit: SURVEY_BODY_LIMIT,
      schema: {
        tags: ['survey'],
        summary: 'Complete the response (requires an Idempotency-Key header)',
        description:
          'May carry final answers (same shape as PUT answers); after it every statement must have an answer (a value or null for "don\'t know"), otherwise 400 incomplete_response naming them. ' +
          'One transaction. The same Idempotency-Key returns the same result (header idempotent-replayed: true); another key after submission answers 409 already_submitted; the same key with another body 422. Missing key: 428.',
        params: tokenParams,
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: responseInputSchema.nullish(),
        response: { 200: submitResultSchema, ...respondentErrors, 413: problemSchema, 422: problemSchema, 428: problemSchema },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key === undefined || key === '') throw new AppError(428, 'idempotency_key_required', 'Send an Idempotency-Key header (e.g. a random UUID) with every submit');
      if (key.length > 200) throw new AppError(400, 'validation_failed', 'Idempotency-Key is too long', [{ path: 'headers.idempotency-key', message: 'At most 200 characters' }]);
      const body = request.body ?? {};
      // The answer goes out after the scope's transaction committed.
      const r = await inSurveyScope(app.db, request.params.token, (db) => submitByToken(db, request.params.token, body, key, sha256Hex(JSON.stringify(body))));
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(r.statusCode).send(r.body);
    },
  );
};

export default surveyRoutes;
