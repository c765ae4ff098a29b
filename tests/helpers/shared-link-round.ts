// An open round with a shared survey link, served by an app as the login role (app-role.ts): what the
// tests of writes through the survey API as a respondent start from (answer packs, response sums).
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '../../server/db/schema.js';
import { buildAppAsLoginRole } from './app-role.js';
import { createTenant, type Tenant } from './auth.js';
import { createTestDatabase } from './database.js';
import { createOpenRound, sessionHeaders, sharedLink } from './rounds.js';

export interface SharedLinkRound {
  app: FastifyInstance;
  /** The test database's own (owner) connection. */
  owner: Kysely<DB>;
  tenant: Tenant;
  roundId: string;
  link: string;
  /** Starts a respondent through the link; their token. */
  start(): Promise<string>;
  close(): Promise<void>;
}

export async function sharedLinkRound(label: string, opts: { modules: string[]; maxResponses: number }): Promise<SharedLinkRound> {
  const t = await createTestDatabase();
  const served = await buildAppAsLoginRole(t, label).catch(async (err: unknown) => {
    await t.dispose();
    throw err;
  });
  const { app } = served;
  const owner = t.database.db;
  const tenant = await createTenant(owner, { label });
  const headers = await sessionHeaders(owner, tenant.consultant.id);
  const round = await createOpenRound(app, headers, tenant.organisationId, { modules: opts.modules });
  const link = (await sharedLink(app, headers, round.id, { maxResponses: opts.maxResponses })).token;
  return {
    app,
    owner,
    tenant,
    roundId: round.id,
    link,
    async start() {
      const res = await app.inject({ method: 'POST', url: `/api/v1/survey/${link}/start`, payload: {} });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().token as string;
    },
    close: () => served.close(),
  };
}
