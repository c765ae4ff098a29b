// Uploads are bounded while they stream: a CSV over its line or byte limit is refused with 413
// problem+json naming the body at the chunk that crosses the limit, before it is buffered whole and
// parsed, and nothing is stored.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { boundedTextParser } from '../../server/lib/bounded-body.js';
import { MAX_IMPORT_ROWS } from '../../server/results/import.js';
import { MAX_INVITATIONS_PER_UPLOAD } from '../../server/rounds/invitations.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import { createOpenRound, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

/** A body of a million lines, made as it is read: how far it was read shows when the parser decided. */
function endlessLines(): { stream: Readable; linesRead: () => number } {
  let n = 0;
  const stream = new Readable({
    read() {
      if (n >= 1_000_000) return void this.push(null);
      let chunk = '';
      for (let i = 0; i < 500; i++) chunk += `person${n++}@example.nl\n`;
      this.push(chunk);
    },
  });
  return { stream, linesRead: () => n };
}

let readWhenDecided = 0;
const parse = (bounds: { maxBytes: number; maxLines: number }, stream: Readable, headers: Record<string, string> = {}, linesRead?: () => number) =>
  new Promise<{ err: Error | null; body?: unknown }>((resolve) =>
    boundedTextParser(bounds)({ headers } as unknown as FastifyRequest, stream, (err, body) => {
      readWhenDecided = linesRead?.() ?? 0;
      resolve({ err, body });
    }),
  );

describe('boundedTextParser', () => {
  it('refuses at the line limit while the body is still streaming', async () => {
    const { stream, linesRead } = endlessLines();
    const { err } = await parse({ maxBytes: 1e9, maxLines: 10_000 }, stream, {}, linesRead);
    expect(err).toMatchObject({ status: 413, code: 'too_many_lines', errors: [{ path: 'body' }] });
    expect(readWhenDecided).toBeLessThan(20_000); // decided near the limit, not after the millionth line
    stream.destroy();
  });

  it('refuses at the byte limit while streaming, and at once for a declared content-length over it', async () => {
    const { stream } = endlessLines();
    expect((await parse({ maxBytes: 100_000, maxLines: 1e9 }, stream)).err).toMatchObject({ status: 413, code: 'body_too_large' });
    stream.destroy();
    const declared = await parse({ maxBytes: 100, maxLines: 1e9 }, Readable.from([]), { 'content-length': '101' });
    expect(declared.err).toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('passes a body within its limits through unchanged (UTF-8 split across chunks)', async () => {
    const text = 'email\nélodie@example.nl\nzoë@example.nl\n';
    const bytes = Buffer.from(text);
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 9), bytes.subarray(9)];
    const { err, body } = await parse({ maxBytes: 1000, maxLines: 3 }, Readable.from(chunks));
    expect(err).toBeNull();
    expect(body).toBe(text);
  });
});

describe(`upload routes (${driverName})`, () => {
  let t: TestApp;
  let a: TenantWithSessions;
  beforeAll(async () => {
    t = await setupTestApp({ BODY_LIMIT_BYTES: String(20 * 1024 * 1024) });
    a = await tenantWithSessions(t.db);
  });
  afterAll(async () => t?.close());

  it('refuses 200,000 addresses with 413 problem+json and stores no invitation', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const csv = Array.from({ length: 200_000 }, (_, i) => `person${i}@example.nl`).join('\n');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/rounds/${round.id}/invitations/personal`,
      headers: { ...a.as.hr, 'content-type': 'text/csv', accept: 'application/json' },
      payload: csv,
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'too_many_lines', errors: [{ path: 'body', message: `at most ${MAX_INVITATIONS_PER_UPLOAD + 100} lines` }] });
    const n = await t.db.selectFrom('invitations').select((eb) => eb.fn.countAll<string>().as('n')).where('round_id', '=', round.id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('refuses an import over its line limit with 413 and imports nothing', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const csv = ['department', ...Array.from({ length: MAX_IMPORT_ROWS + 200 }, () => 'Zorg')].join('\n');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/rounds/${round.id}/imports?form=employee`,
      headers: { ...a.as.hr, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'too_many_lines' });
    const n = await t.db.selectFrom('responses').select((eb) => eb.fn.countAll<string>().as('n')).where('round_id', '=', round.id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });
});
