// The in-process runner of scheduled work (embedded database): it runs a turn at start, sleeps until
// the next due moment the turn reports, wakes early when kicked, and stops cleanly.
import { describe, expect, it } from 'vitest';
import { InProcessJobRunner, type TurnResult } from '../../server/mail/jobs.js';
import { redactTokens, mailErrorText } from '../../server/mail/transport.js';

const result = (next: Date | null): TurnResult => ({ closed: [], materialised: 0, sent: 0, retried: 0, failed: 0, next });

describe('in-process job runner', () => {
  it('runs at start, again at the next due moment, and on a kick', async () => {
    const turns: number[] = [];
    let nextIn: number | null = 80;
    const runner = new InProcessJobRunner(async () => {
      turns.push(Date.now());
      const n = nextIn;
      nextIn = null; // after the second turn nothing is due: it sleeps (at most a minute)
      return result(n === null ? null : new Date(Date.now() + n));
    });
    await runner.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(turns.length).toBe(2);
    expect(turns[1]! - turns[0]!).toBeGreaterThanOrEqual(60);
    runner.kick();
    await new Promise((r) => setTimeout(r, 100));
    expect(turns.length).toBe(3);
    await runner.stop();
    runner.kick();
    await new Promise((r) => setTimeout(r, 100));
    expect(turns.length).toBe(3);
  });

  it('keeps going after a failing turn', async () => {
    let calls = 0;
    const runner = new InProcessJobRunner(async () => {
      calls += 1;
      if (calls === 1) throw new Error('database away');
      return result(null);
    });
    await runner.start();
    await new Promise((r) => setTimeout(r, 50));
    runner.kick();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(2);
    await runner.stop();
  });
});

describe('mail error text', () => {
  it('never carries a token or a survey link', () => {
    const token = 'A'.repeat(20) + 'b_-'.repeat(7) + 'x'.repeat(2);
    expect(token).toHaveLength(43);
    expect(redactTokens(`failed for https://scan.example.nl/s/${token} now`)).toBe('failed for https://scan.example.nl/s/*** now');
    expect(mailErrorText(Object.assign(new Error(`Message rejected: ${token}\nsecond line`), { responseCode: 554 }))).toBe('554: Message rejected: ***');
  });
});
