// Builds the Fastify app as a plugin tree. The entry file (main.ts) owns listen, logger and shutdown;
// tests build the app and use inject().
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { fastifyTrustProxy, type Config } from './config/config.js';
import type { Database } from './db/database.js';
import authPlugin from './plugins/auth.js';
import dbPlugin from './plugins/db.js';
import docsPlugin from './plugins/docs.js';
import errorsPlugin, { problemServerOptions } from './plugins/errors.js';
import { resultRoundHooksFor } from './results/hooks.js';
import type { RoundLifecycleHooks } from './rounds/hooks.js';
import mailPlugin, { type MailPluginOptions } from './mail/plugin.js';
import { registerRoutes } from './routes/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** What closing a round and purging raw answers also run; handed to routes and the sweeper. */
    roundHooks: RoundLifecycleHooks;
  }
}

export interface BuildAppOptions {
  config: Config;
  database?: Database;
  migrate?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Instead of the results hooks (pool entry and snapshot on close, snapshot before purge), e.g. in tests. */
  roundHooks?: RoundLifecycleHooks;
  /** Mail and scheduled work (transport, runner start); see server/mail/plugin.ts. */
  mail?: Omit<MailPluginOptions, 'config'>;
}

export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.password_hash',
];

/** Survey and invitation tokens travel in paths; logs show them masked. */
export function maskTokens(url: string): string {
  return url.replace(/(\/survey\/|\/s\/|\/invite\/)[A-Za-z0-9_-]{16,}/g, '$1***');
}

/** The server's logger settings (main.ts; tests that check what is logged use the same). */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream) {
  return {
    level,
    redact: { paths: LOG_REDACT, censor: '***' },
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, url: maskTokens(req.url), remoteAddress: req.ip }),
    },
    ...(stream ? { stream } : {}),
  };
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.config.BODY_LIMIT_BYTES,
    requestTimeout: opts.config.REQUEST_TIMEOUT_MS,
    connectionTimeout: opts.config.REQUEST_TIMEOUT_MS + 5_000,
    trustProxy: fastifyTrustProxy(opts.config.TRUST_PROXY),
    // Survey tokens travel in the path; keep them out of request logs.
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    // The db plugin migrates and (two roles) sets up grants and the job schema as the owner first:
    // on a busy or large database that takes longer than Fastify's default 10 s per plugin.
    pluginTimeout: 120_000,
    ...problemServerOptions(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', opts.config);

  await app.register(errorsPlugin);
  await app.register(dbPlugin, { config: opts.config, database: opts.database, migrate: opts.migrate ?? true });
  // After the database: the close's steps are sized for its driver (STEP_TARGET_MS).
  app.decorate('roundHooks', opts.roundHooks ?? resultRoundHooksFor(app.dbInfo.mode));
  await app.register(mailPlugin, { config: opts.config, ...opts.mail });
  await app.register(authPlugin);
  await app.register(docsPlugin);
  await registerRoutes(app);
  return app;
}
