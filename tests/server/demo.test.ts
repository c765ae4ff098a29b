import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, DEMO_LOGINS } from '../../server/demo/seed.js';
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

    const consultancies = await db.selectFrom('consultancies').select(['name', 'is_demo']).execute();
    expect(consultancies).toHaveLength(1);
    expect(consultancies[0]).toMatchObject({ is_demo: true, name: expect.stringMatching(/DEMO/) });
    const orgs = await db.selectFrom('organisations').select(['name', 'is_demo']).execute();
    expect(orgs).toHaveLength(1);
    expect(orgs[0]!.name).toMatch(/DEMO/);
    const users = await db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_LOGINS.map((l) => l.email).sort());
    const roles = await db.selectFrom('user_roles').select('role').execute();
    expect(roles).toHaveLength(DEMO_LOGINS.length);
  });

  it('runs concurrently without creating the demo twice', async () => {
    const fresh = await createTestDatabase();
    try {
      await Promise.all([seedDemo(fresh.database.db), seedDemo(fresh.database.db)]);
      const n = await fresh.database.db.selectFrom('consultancies').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
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
