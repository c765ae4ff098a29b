// The web app: server-rendered pages for respondents, HR, directors and consultants, plus static assets.
// Registered as one encapsulated plugin, so its security headers (CSP with nonces, frame-ancestors
// 'none'), form parsing and HTML error pages apply to the pages only: the JSON API and /docs keep
// their own behaviour.
import { translateMessage } from './i18n.js';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../lib/errors.js';
import { problem, sendProblem } from '../plugins/errors.js';
import { ApiError } from './api-client.js';
import { pageContext, send, SignInRequired } from './context.js';
import { html } from './html.js';
import { MultipartError, parseMultipart } from './multipart.js';
import accountSecurityPages from './pages/account-security.js';
import auditPages from './pages/audit.js';
import authPages, { safeNext } from './pages/auth.js';
import surveyPages from './pages/survey.js';
import staffPages from './pages/staff.js';
import { setAssetVersion } from './assets.js';

const here = dirname(fileURLToPath(import.meta.url));

/** server/web/public, both when running from source (tsx, vitest) and from dist/ after `npm run build`. */
export function publicDir(): string {
  const candidates = [join(here, 'public'), resolve(here, '../../../server/web/public'), resolve(process.cwd(), 'server/web/public')];
  const found = candidates.find((c) => existsSync(join(c, 'app.css')));
  if (!found) throw new Error(`web assets not found (looked in ${candidates.join(', ')})`);
  return found;
}

function chartJsDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('chart.js'));
}

const UPLOAD_LIMIT = 2 * 1024 * 1024;

export default async function webApp(app: FastifyInstance): Promise<void> {
  const secure = app.config.COOKIE_SECURE === true || app.config.publicUrl.startsWith('https:');
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    // Survey tokens travel in the first URL; never send any URL of ours to another site.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: secure ? { maxAge: 15552000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
  });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (request, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, request.headers['content-type'] ?? ''));
    } catch (err) {
      const e = err instanceof MultipartError ? new AppError(400, 'bad_multipart', err.message) : (err as Error);
      done(e, undefined);
    }
  });

  const pub = publicDir();
  const version = createHash('sha256')
    .update(readFileSync(join(pub, 'app.css')))
    .update(readFileSync(join(pub, 'app.js')))
    .digest('hex')
    .slice(0, 10);
  setAssetVersion(version);
  // Static files never need the caller: no session lookup for them (see plugins/auth.ts).
  await app.register(async (assets) => {
    assets.addHook('onRoute', (route) => {
      route.config = { ...route.config, principal: false };
    });
    await assets.register(fastifyStatic, { root: pub, prefix: '/assets/', maxAge: '1h', index: false, schemaHide: true });
    const chartDir = chartJsDir();
    assets.get('/assets/vendor/chart.umd.min.js', { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').sendFile('chart.umd.min.js', chartDir),
    );
  });

  app.setErrorHandler((error: FastifyError | ApiError | AppError | SignInRequired, request, reply) => htmlError(app, error, request, reply));

  await app.register(authPages);
  await app.register(accountSecurityPages, { safeNext });
  await app.register(auditPages);
  await app.register(surveyPages);
  await app.register(staffPages);
}

function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('application/json') || (request.headers['content-type'] ?? '').includes('application/json');
}

/** Page errors as HTML pages (fetch calls of the client script get problem+json as the API does). */
function htmlError(app: FastifyInstance, error: FastifyError | ApiError | AppError | SignInRequired, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError && error.code === 'mfa_setup_required') return reply.redirect('/account/security', 303);
  if (error instanceof SignInRequired) {
    return reply.redirect(`/?next=${encodeURIComponent(error.next)}`, 303);
  }
  let status = 500;
  let code = 'internal_error';
  let detail: string | undefined;
  if (error instanceof ApiError) {
    status = error.status;
    code = error.code;
    detail = error.problem.detail;
  } else if (error instanceof AppError) {
    status = error.status;
    code = error.code;
    detail = error.message;
  } else if (typeof (error as FastifyError).statusCode === 'number' && (error as FastifyError).statusCode! < 500) {
    status = (error as FastifyError).statusCode!;
    code = ((error as FastifyError).code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase();
    detail = error.message;
  }
  if (status >= 500) request.log.error({ err: error }, 'page error');
  if (status === 401 && !wantsJson(request)) return reply.redirect(`/?next=${encodeURIComponent(request.method === 'GET' ? request.url : '/app')}`, 303);
  if (wantsJson(request)) {
    return sendProblem(reply, request, problem(status, code, status >= 500 ? 'Something went wrong on our side' : detail, error instanceof ApiError ? error.problem.errors : undefined));
  }
  const ctx = pageContext(request, reply);
  const { t } = ctx;
  const [title, text] =
    status === 404 ? [t('notFoundTitle'), t('notFound')] : status === 403 ? [t('forbiddenTitle'), t('forbidden')] : [t('errorTitle'), t('errorGeneric')];
  void app;
  return send(reply, ctx, {
    status,
    title,
    variant: 'plain',
    body: html`<section class="card card-narrow message-card">
      <h1>${title}</h1>
      <p>${text}</p>
      ${status < 500 && detail ? html`<p class="muted small">${translateMessage(ctx.lang, detail)!}</p>` : ''}
      <p><a class="btn btn-primary" href="/app">${t('toHome')}</a></p>
    </section>`,
  });
}
