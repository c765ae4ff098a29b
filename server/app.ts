// Builds the Fastify app as a plugin tree. The entry file (main.ts) owns listen, logger and shutdown;
// tests build the app and use inject().
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { fastifyTrustProxy, type Config } from './config/config.js';
import type { Database } from './db/database.js';
import authPlugin from './plugins/auth.js';
import dbPlugin from './plugins/db.js';
import docsPlugin from './plugins/docs.js';
import errorsPlugin, { problemServerOptions } from './plugins/errors.js';
import { resultRoundHooks } from './results/hooks.js';
import type { RoundLifecycleHooks } from './rounds/hooks.js';
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
}

export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.password_hash',
];

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
    ...problemServerOptions(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', opts.config);
  app.decorate('roundHooks', opts.roundHooks ?? resultRoundHooks);

  await app.register(errorsPlugin);
  await app.register(dbPlugin, { config: opts.config, database: opts.database, migrate: opts.migrate ?? true });
  await app.register(authPlugin);
  await app.register(docsPlugin);
  await registerRoutes(app);
  return app;
}
