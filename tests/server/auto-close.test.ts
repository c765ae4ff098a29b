// A round whose closing date has passed is closed by the periodic sweep, which also runs the close
// handlers (benchmark pool contribution and snapshot), exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExpiredRounds } from '../../server/rounds/auto-close.js';
import { insertSubmittedResponse } from '../helpers/responses.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import { completeAnswers, createOpenRound, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

describe(`closing rounds past their closing date (${driverName})`, () => {
  let t: TestApp;
  let tenant: TenantWithSessions;
  beforeAll(async () => {
    t = await setupTestApp();
    tenant = await tenantWithSessions(t.db);
  });
  afterAll(async () => t.close());

  it('closes only open rounds whose closing date passed, and runs the close handlers', async () => {
    const closesAt = new Date(Date.now() + 60_000).toISOString();
    const due = await createOpenRound(t.app, tenant.as.hr, tenant.organisationId, { name: 'Verlopen', closesAt });
    const later = await createOpenRound(t.app, tenant.as.hr, tenant.organisationId, { name: 'Loopt nog', closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    const open = await createOpenRound(t.app, tenant.as.hr, tenant.organisationId, { name: 'Zonder einddatum' });
    for (let i = 0; i < 6; i++) {
      await t.db.transaction().execute((tx) => insertSubmittedResponse(tx, due.id, { form: 'employee', answers: completeAnswers(i), channel: 'link' }));
    }

    const now = new Date(Date.now() + 120_000); // two minutes on: only the first round is due
    const result = await closeExpiredRounds(t.db, t.app.roundHooks.roundClosed, now);
    expect(result).toEqual({ closed: [due.id], failed: [] });

    const rounds = await t.db.selectFrom('rounds').select(['id', 'status', 'closed_at']).where('id', 'in', [due.id, later.id, open.id]).execute();
    const byId = new Map(rounds.map((r) => [r.id, r]));
    expect(byId.get(due.id)).toMatchObject({ status: 'closed', closed_at: now });
    expect(byId.get(later.id)!.status).toBe('open');
    expect(byId.get(open.id)!.status).toBe('open');

    // The close handlers ran: six employee respondents (>= k) contribute to the pool, and a snapshot exists.
    const pool = await t.db.selectFrom('pool_entries').select('mechanism_id').where('round_id', '=', due.id).execute();
    expect(pool.length).toBe(7);
    const snapshot = await t.db.selectFrom('round_snapshots').select('round_id').where('round_id', '=', due.id).executeTakeFirst();
    expect(snapshot?.round_id).toBe(due.id);

    // A second sweep finds nothing more to do.
    expect(await closeExpiredRounds(t.db, t.app.roundHooks.roundClosed, now)).toEqual({ closed: [], failed: [] });
  });
});
