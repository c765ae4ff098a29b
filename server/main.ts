// Entry point: config, logger, listen, demo data and graceful shutdown.
import closeWithGrace from 'close-with-grace';
import type { FastifyRequest } from 'fastify';
import { buildApp, LOG_REDACT } from './app.js';
import { ConfigError, parseConfig, redactedConfig, type Config } from './config/config.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import { seedDemo } from './demo/seed.js';
import { prepareShutdown } from './shutdown.js';

function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** Survey and invitation tokens travel in paths; logs show them masked. */
export function maskTokens(url: string): string {
  return url.replace(/(\/survey\/|\/s\/)[A-Za-z0-9_-]{16,}/g, '$1***');
}

async function main() {
  const config = loadConfig();
  const app = await buildApp({
    config,
    logger: {
      level: config.LOG_LEVEL,
      redact: { paths: LOG_REDACT, censor: '***' },
      serializers: {
        req: (req: FastifyRequest) => ({ method: req.method, url: maskTokens(req.url), remoteAddress: req.ip }),
      },
    },
  });
  app.log.info({ config: redactedConfig(config) }, 'configuration');

  if (config.DEMO && app.dbInfo.mode === 'embedded') {
    const demo = await seedDemo(app.db, app.log);
    if (demo) {
      app.log.info(
        { open: `${config.publicUrl}/`, docs: `${config.publicUrl}/docs`, logins: demo.logins },
        'Demo data is ready (clearly labelled DEMO). Open the app, sign in with one of the demo logins, or browse the API docs.',
      );
    }
  }

  // Signals go through close-with-grace; stray errors are sorted here first. A lost database
  // connection outside any request (a pool client, the job queue) is an outage, not a bug: requests
  // answer 503 meanwhile and the pool reconnects, so the process stays up. Anything else is a
  // programming error: say what it was, shut down gracefully and exit 1.
  let fatal: unknown;
  const shutdown = prepareShutdown(app);
  const grace = closeWithGrace(
    { delay: config.SHUTDOWN_TIMEOUT_MS, skip: ['uncaughtException', 'unhandledRejection'] },
    async ({ signal }) => {
      if (fatal) app.log.fatal({ err: fatal }, 'shutting down after a programming error');
      else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      await shutdown({ drainMs: fatal ? 0 : config.SHUTDOWN_DRAIN_MS });
      if (fatal) process.exit(1);
    },
  );
  const onStray = (kind: string) => (err: unknown) => {
    if (isDatabaseUnavailable(err)) {
      app.log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, `database connection lost outside a request (${kind}); staying up`);
      return;
    }
    if (fatal) return; // already shutting down
    fatal = err;
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`Fatal programming error (${kind}), shutting down: ${text}\n`);
    void grace.close();
  };
  process.on('uncaughtException', onStray('uncaught exception'));
  process.on('unhandledRejection', onStray('unhandled rejection'));

  await app.listen({ host: config.HOST, port: config.PORT });
}

main().catch((err) => {
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
