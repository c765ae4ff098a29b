// The chunked passes of the close (forEachIdChunk) size each step from the time the last one took,
// against the driver's target (STEP_TARGET_MS): short steps on the embedded database, where a step
// is what other requests wait behind. The clock is simulated: a step "takes" 0.5 ms per id.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHUNK_TARGET_MS, forEachIdChunk, STEP_TARGET_MS } from '../../server/results/aggregate.js';

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
