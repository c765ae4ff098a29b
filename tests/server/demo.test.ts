import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, DEMO_CONSULTANCY_NAME, DEMO_LOGINS } from '../../server/demo/seed.js';
import { createTestDatabase, driverName, type TestDatabase } from '../helpers/database.js';

describe(`demo seeding (${driverName})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.dispose());

  it('creates a labelled demo consultancy, organisation and logins, and is idempotent', async () => {
    const db = t.database.db;
    const first = await seedDemo(db);
    expect(first?.created).toBe(true);
    const second = await seedDemo(db);
    expect(second?.created).toBe(false);
    expect(second?.organisationId).toBe(first?.organisationId);

    // Everything seeded is demo data; the demo consultancy has exactly one client organisation (the
    // synthetic benchmark-pool organisations live in a consultancy of their own).
    const consultancies = await db.selectFrom('consultancies').select(['id', 'name', 'is_demo']).execute();
    expect(consultancies.every((c) => c.is_demo && /DEMO/i.test(c.name))).toBe(true);
    expect(consultancies.filter((c) => c.name === DEMO_CONSULTANCY_NAME)).toHaveLength(1);
    const orgs = await db.selectFrom('organisations').select(['name', 'is_demo', 'consultancy_id']).execute();
    expect(orgs.every((o) => o.is_demo)).toBe(true);
    const clientOrgs = orgs.filter((o) => o.consultancy_id === first?.consultancyId);
    expect(clientOrgs).toHaveLength(1);
    expect(clientOrgs[0]!.name).toMatch(/DEMO/);
    // A third run adds nothing anywhere: not organisations, rounds, responses or answers.
    const count = async () => ({
      organisations: (await db.selectFrom('organisations').select('id').execute()).length,
      rounds: (await db.selectFrom('rounds').select('id').execute()).length,
      responses: (await db.selectFrom('responses').select('id').execute()).length,
      answers: Number((await db.selectFrom('answers').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    });
    const before = await count();
    expect(before.responses).toBeGreaterThan(0);
    expect((await seedDemo(db))?.created).toBe(false);
    expect(await count()).toEqual(before);
    const users = await db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_LOGINS.map((l) => l.email).sort());
    const roles = await db.selectFrom('user_roles').select('role').execute();
    expect(roles).toHaveLength(DEMO_LOGINS.length);
  });

  it('runs concurrently without creating the demo twice', async () => {
    const fresh = await createTestDatabase();
    try {
      await Promise.all([seedDemo(fresh.database.db), seedDemo(fresh.database.db)]);
      const n = await fresh.database.db.selectFrom('consultancies').select((e) => e.fn.countAll().as('n')).where('name', '=', DEMO_CONSULTANCY_NAME).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
      // Each organisation got its demo rounds once (no round name twice within one organisation).
      const rounds = await fresh.database.db.selectFrom('rounds').select(['organisation_id', 'name']).execute();
      const keys = rounds.map((r) => `${r.organisation_id}/${r.name}`);
      expect(rounds.length).toBeGreaterThan(0);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      await fresh.dispose();
    }
  });

  it('never mixes demo data into a database that holds real data', async () => {
    const fresh = await createTestDatabase();
    try {
      await fresh.database.db.insertInto('consultancies').values({ name: 'Echt Adviesbureau' }).execute();
      expect(await seedDemo(fresh.database.db)).toBeUndefined();
      const demo = await fresh.database.db.selectFrom('consultancies').select('id').where('is_demo', '=', true).execute();
      expect(demo).toEqual([]);
    } finally {
      await fresh.dispose();
    }
  });
});
