// The staff workspace: organisations, rounds, checklist, dialogue model, results, branding, benchmarks.
import type { FastifyInstance } from 'fastify';
import adminPages from './admin.js';
import organisationPages from './organisations.js';
import facilitatorPages from './facilitator.js';
import outboxPages from './outbox.js';
import actionPages from './actions.js';
import resultPages from './results.js';
import resultExtrasPages from './results-extras.js';
import departmentPages from './departments.js';
import roundModulePages from './round-modules.js';
import roundPages from './rounds.js';
import settingsPages from './settings.js';

export default async function staffPages(app: FastifyInstance): Promise<void> {
  await app.register(adminPages);
  await app.register(organisationPages);
  await app.register(roundPages);
  await app.register(roundModulePages);
  await app.register(resultPages);
  await app.register(resultExtrasPages);
  await app.register(departmentPages);
  await app.register(facilitatorPages);
  await app.register(settingsPages);
  await app.register(outboxPages);
  await app.register(actionPages);
}
