// Entry point: config, logger, listen, demo data and graceful shutdown.
import closeWithGrace from 'close-with-grace';
import { buildApp, loggerOptions } from './app.js';
import { ConfigError, parseConfig, redactedConfig, type Config } from './config/config.js';
import { seedDemo } from './demo/seed.js';

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
  const app = await buildApp({
    config,
    logger: loggerOptions(config.LOG_LEVEL),
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

  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    await app.close();
  });

  await app.listen({ host: config.HOST, port: config.PORT });
}

main().catch((err) => {
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
