// The chunked passes of the close (forEachIdChunk) size each step from the time the last one took,
// against the driver's target (STEP_TARGET_MS): short steps on the embedded database, where a step
// is what other requests wait behind. The clock is simulated: a step "takes" 0.5 ms per id.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHUNK_TARGET_MS, forEachIdChunk, forEachIdChunkRead, STEP_TARGET_MS } from '../../server/results/aggregate.js';

const MS_PER_ID = 0.5;

async function walk(n: number, initial: number, targetMs?: number) {
  let clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  const ids = Array.from({ length: n }, (_, i) => `id-${String(i).padStart(6, '0')}`);
  const seen: string[] = [];
  const sizes: number[] = [];
  await forEachIdChunk(
    ids,
    initial,
    async (chunk) => {
      sizes.push(chunk.length);
      seen.push(...chunk);
      clock += chunk.length * MS_PER_ID;
    },
    targetMs,
  );
  return { ids, seen, sizes };
}

afterEach(() => vi.restoreAllMocks());

describe('forEachIdChunk', () => {
  it('walks every id once, in order', async () => {
    const { ids, seen } = await walk(5_000, 200);
    expect(seen).toEqual(ids);
  });

  it('settles on steps of about the target on the embedded database, and longer ones on PostgreSQL', async () => {
    const embedded = await walk(20_000, 200, STEP_TARGET_MS.embedded);
    const postgres = await walk(20_000, 200, STEP_TARGET_MS.postgres);
    const settled = (sizes: number[]) => sizes.slice(5, -1);
    // 25 ms at 0.5 ms an id: 50 ids a step; 200 ms: 400.
    for (const s of settled(embedded.sizes)) expect(s * MS_PER_ID).toBeLessThanOrEqual(STEP_TARGET_MS.embedded * 1.1);
    for (const s of settled(postgres.sizes)) expect(s * MS_PER_ID).toBeGreaterThan(STEP_TARGET_MS.embedded * 1.5);
    expect(postgres.sizes.length).toBeLessThan(embedded.sizes.length / 1.5);
    expect(CHUNK_TARGET_MS).toBe(STEP_TARGET_MS.embedded);
  });

  it('starts small, shrinks below the requested chunk when steps are slow, and keeps a caller’s smaller chunk as its floor', async () => {
    const slow = await walk(2_000, 200, 5); // 5 ms target: 10 ids a step, the floor
    expect(slow.sizes[0]).toBe(20);
    expect(Math.min(...slow.sizes.slice(0, -1))).toBe(10);
    const tiny = await walk(40, 4, 1); // 1 ms target: 2 ids a step, but the caller's 4 is the floor
    expect(tiny.sizes.slice(0, -1).every((s) => s === 4)).toBe(true);
  });
});

describe('forEachIdChunkRead', () => {
  const ids = Array.from({ length: 3_000 }, (_, i) => `id-${String(i).padStart(6, '0')}`);

  /** A run whose reads wait a macrotask each; `log` records when reads and uses start and end. */
  function runWith(overlap: boolean, log: string[]) {
    let open = 0;
    let most = 0;
    const run = Object.assign(
      async <T>(fn: (db: never) => Promise<T>) => {
        open++;
        most = Math.max(most, open);
        try {
          await new Promise((r) => setTimeout(r, 1));
          return await fn(undefined as never);
        } finally {
          open--;
        }
      },
      { stepTargetMs: STEP_TARGET_MS.postgres, overlap },
    );
    return { run, most: () => most, log };
  }

  for (const overlap of [false, true]) {
    it(`uses every chunk once, in id order, ${overlap ? 'reading the next chunk while the last one is used' : 'one read after the other'}`, async () => {
      const log: string[] = [];
      const r = runWith(overlap, log);
      const seen: string[] = [];
      let readsDuringUse = 0;
      let using = false;
      await forEachIdChunkRead(
        r.run,
        ids,
        200,
        async (_db, chunk) => {
          if (using) readsDuringUse++;
          return chunk;
        },
        async (chunk) => {
          using = true;
          await new Promise((res) => setTimeout(res, 3));
          seen.push(...chunk);
          using = false;
        },
      );
      expect(seen).toEqual(ids);
      // One read in flight at a time (beside the use, on PostgreSQL): a second connection at most.
      expect(r.most()).toBe(1);
      if (overlap) expect(readsDuringUse).toBeGreaterThan(0);
      else expect(readsDuringUse).toBe(0);
    });
  }

  it('waits for the read in flight before a failure of the use leaves', async () => {
    let reading = 0;
    const run = Object.assign(
      async <T>(fn: (db: never) => Promise<T>) => {
        reading++;
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await fn(undefined as never);
        } finally {
          reading--;
        }
      },
      { overlap: true },
    );
    let uses = 0;
    await expect(
      forEachIdChunkRead(run, ids, 100, async (_db, chunk) => chunk, async () => {
        if (++uses === 2) throw new Error('use failed');
      }),
    ).rejects.toThrow('use failed');
    expect(reading).toBe(0);
  });
});
