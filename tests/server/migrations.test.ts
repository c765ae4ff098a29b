import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { migrations } from '../../migrations/index.js';
import { createEmptyTestDatabase, driverName, type TestDatabase } from '../helpers/database.js';

describe(`migrations (${driverName})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createEmptyTestDatabase();
  });
  afterAll(async () => t.dispose());

  it('run up on an empty database, and a second run applies nothing', async () => {
    const applied = await migrateToLatest(t.database.db);
    expect(applied).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(t.database.db)).toEqual([]);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(t.database.db);
    const names = tables.rows.map((r) => r.table_name);
    for (const table of ['consultancies', 'organisations', 'users', 'user_roles', 'rounds', 'invitations', 'responses', 'answers', 'checklist_answers', 'placements', 'benchmark_sets', 'benchmark_values']) {
      expect(names).toContain(table);
    }
  });

  it('are safe to run from two processes at once', async () => {
    if (!t.url) {
      // One PGlite directory belongs to one process; concurrent calls in that process must not clash.
      const results = await Promise.all([migrateToLatest(t.database.db), migrateToLatest(t.database.db)]);
      expect(results.flat()).toEqual([]);
      return;
    }
    const fresh = await createEmptyTestDatabase();
    const a = openPostgres({ connectionString: fresh.url!, max: 2, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
    const b = openPostgres({ connectionString: fresh.url!, max: 2, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
    try {
      const [ra, rb] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
      // Every migration applied exactly once, by one of the two.
      expect([...ra, ...rb].sort()).toEqual(Object.keys(migrations).sort());
    } finally {
      await a.close();
      await b.close();
      await fresh.dispose();
    }
  });

  describe('constraints carry the invariants', () => {
    let roundId: string;
    let responseId: string;
    beforeAll(async () => {
      const db = t.database.db;
      const c = await db.insertInto('consultancies').values({ name: 'C' }).returning('id').executeTakeFirstOrThrow();
      const o = await db.insertInto('organisations').values({ consultancy_id: c.id, name: 'O', sector: 'other', size_class: 'small' }).returning('id').executeTakeFirstOrThrow();
      roundId = (await db.insertInto('rounds').values({ organisation_id: o.id, name: 'R', instrument_id: 'culture-scan@1', modules: ['culture_scan'] }).returning('id').executeTakeFirstOrThrow()).id;
      responseId = (await db.insertInto('responses').values({ round_id: roundId, form: 'employee' }).returning('id').executeTakeFirstOrThrow()).id;
    });

    it('cannot store an answer outside 1-5', async () => {
      await expect(t.database.db.insertInto('answers').values({ response_id: responseId, item_id: 'sd1', value: 6 }).execute()).rejects.toThrow(/check/i);
      await expect(t.database.db.insertInto('answers').values({ response_id: responseId, item_id: 'sd1', value: 0 }).execute()).rejects.toThrow(/check/i);
      await t.database.db.insertInto('answers').values({ response_id: responseId, item_id: 'sd1', value: null }).execute();
    });

    it('does not let an answer outlive its response', async () => {
      const r = await t.database.db.insertInto('responses').values({ round_id: roundId, form: 'employee' }).returning('id').executeTakeFirstOrThrow();
      await t.database.db.insertInto('answers').values({ response_id: r.id, item_id: 'sd2', value: 4 }).execute();
      await t.database.db.deleteFrom('responses').where('id', '=', r.id).execute();
      const left = await t.database.db.selectFrom('answers').select('item_id').where('response_id', '=', r.id).execute();
      expect(left).toEqual([]);
      await expect(t.database.db.insertInto('answers').values({ response_id: r.id, item_id: 'sd3', value: 3 }).execute()).rejects.toThrow(/foreign key/i);
    });

    it('keeps the anonymity threshold at 5 or more', async () => {
      await expect(t.database.db.updateTable('rounds').set({ anonymity_threshold: 4 }).where('id', '=', roundId).execute()).rejects.toThrow(/check/i);
    });

    it('keeps placements on the -100..100 axes', async () => {
      await expect(
        t.database.db.insertInto('placements').values({ round_id: roundId, participant_group: 'employee', response_id: responseId, frame: 'current', x: 101, y: 0 }).execute(),
      ).rejects.toThrow(/check/i);
    });

    it('keeps a submitted response consistent with its submission time', async () => {
      await expect(t.database.db.updateTable('responses').set({ status: 'submitted' }).where('id', '=', responseId).execute()).rejects.toThrow(/check/i);
    });
  });
});
