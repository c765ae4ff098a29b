// Entry point: config, logger, listen, demo data and graceful shutdown.
import closeWithGrace from 'close-with-grace';
import { buildApp, loggerOptions } from './app.js';
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

export { maskTokens } from './app.js';

async function main() {
  const config = loadConfig();
  // Readable lines for a developer at a terminal; JSON lines in production and when piped.
  const pretty = config.NODE_ENV === 'development' && process.stdout.isTTY === true;
  const app = await buildApp({
    config,
    logger: {
      ...loggerOptions(config.LOG_LEVEL),
      ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,reqId', singleLine: true } } } : {}),
    },
  });
  app.log.info({ config: redactedConfig(config) }, 'configuration');

  let demo: Awaited<ReturnType<typeof seedDemo>>;
  if (config.DEMO && app.dbInfo.mode === 'embedded') demo = await seedDemo(app.db, app.log);

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
  // Printed whatever LOG_LEVEL says: the one thing a newcomer needs to see.
  process.stdout.write(startupBlock(config, app.dbInfo.mode, demo));
}

/** Where to open the app, the API docs and, with demo data, the demo logins. */
export function startupBlock(config: Config, mode: 'postgres' | 'embedded', demo: Awaited<ReturnType<typeof seedDemo>>): string {
  const database = mode === 'embedded' ? `embedded database in ${config.DATA_DIR}` : 'PostgreSQL';
  const lines = [
    '',
    `Leercultuurscan is running (${database}, ${config.NODE_ENV})`,
    `  App:       ${config.publicUrl}/`,
    `  API docs:  ${config.publicUrl}/docs`,
  ];
  if (demo) {
    const password = demo.logins[0]?.password ?? '';
    lines.push(`  Demo data is ready (clearly labelled DEMO). Sign in with one of these (password ${password}):`);
    for (const l of demo.logins) lines.push(`    ${l.role.padEnd(11)} ${l.email}`);
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

main().catch((err) => {
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
