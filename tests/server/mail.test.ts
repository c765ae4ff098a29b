// Mail against a real SMTP server started in the test (smtp-server): invitations and reminders reach
// the right recipient in the right language with the consultancy's branding and a working link; a
// failing server makes the job retry and then shows the failure; no staff route and no log line
// carries a token.
import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../server/app.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { driverName } from '../helpers/database.js';
import { decodeHeader, parseMail } from '../helpers/mime.js';
import { completeAnswers, createOpenRound, createRound, tenantWithSessions, type TenantWithSessions } from '../helpers/rounds.js';

interface Received {
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string | undefined;
  hasLogo: boolean;
}

let t: TestApp;
let a: TenantWithSessions;
let smtp: SMTPServer;
let port = 0;
const inbox: Received[] = [];
let rejectAll = false;
const logLines: string[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: false,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'mailer' && auth.password === 'geheim-wachtwoord') return cb(null, { user: 'mailer' });
      return cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      if (rejectAll) {
        const err = new Error('Mailbox unavailable') as Error & { responseCode: number };
        err.responseCode = 550;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const m = parseMail(Buffer.concat(chunks).toString('utf8'));
        inbox.push({
          to: session.envelope.rcptTo[0]?.address ?? '',
          subject: decodeHeader(m.headers.get('subject') ?? ''),
          text: m.text,
          html: m.html,
          language: m.headers.get('content-language'),
          hasLogo: m.cids.includes('logo'),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  port = (smtp.server.address() as { port: number }).port;
  // The server's own logger settings, at debug level, into memory.
  const logger = loggerOptions('debug', new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } }));
  t = await setupTestApp(
    { PUBLIC_URL: 'https://scan.example.nl', MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://mailer:geheim-wachtwoord@127.0.0.1:${port}`, MAIL_FROM: 'Scan <scan@example.nl>', MAIL_MAX_ATTEMPTS: '3' },
    { mail: { retryDelayMs: 1 }, logger },
  );
  a = await tenantWithSessions(t.db);
  // Branding of the consultancy: name, accent colour and a (1x1 PNG) logo.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  await t.db.updateTable('consultancies').set({ name: 'Adviesbureau Noord', accent_color: '#aa3300', logo: png, logo_mime: 'image/png' }).where('id', '=', a.consultancyId).execute();
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const upload = (roundId: string, csv: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1/rounds/${roundId}/invitations/personal?form=employee`, headers: { ...a.as.hr, 'content-type': 'text/csv', accept: 'application/json' }, payload: csv });

const linkIn = (text: string) => /https:\/\/scan\.example\.nl\/s\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? null;

async function until(check: () => boolean, turns = 20) {
  for (let i = 0; i < turns && !check(); i++) {
    await t.app.mail.runOnce();
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`mail over SMTP (${driverName})`, () => {
  it('sends each invited person their own working link in the round language, branded, and HR sees only counts', async () => {
    inbox.length = 0;
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { languages: ['en', 'nl'], departments: ['Zorg'], closesAt: new Date(Date.now() + 10 * 86_400_000).toISOString() });
    const res = await upload(round.id, 'email,department,language\nann@example.nl,Zorg,\nbob@example.nl,zorg,nl\ncor@example.nl,,\n');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ delivery: 'platform', created: 3, invitations: [], csv: null });
    expect(res.body).not.toMatch(/\/s\/|"token"/);
    await until(() => inbox.length >= 3);
    expect(inbox.map((m) => m.to).sort()).toEqual(['ann@example.nl', 'bob@example.nl', 'cor@example.nl']);
    const ann = inbox.find((m) => m.to === 'ann@example.nl')!;
    const bob = inbox.find((m) => m.to === 'bob@example.nl')!;
    // The round's first language, unless the list names one.
    expect(ann.language).toBe('en');
    expect(ann.subject).toContain('Invitation');
    expect(bob.language).toBe('nl');
    expect(bob.subject).toContain('Uitnodiging');
    for (const m of [ann, bob]) {
      expect(m.text).toContain('Adviesbureau Noord');
      expect(m.html).toContain('#aa3300');
      expect(m.html).toContain('cid:logo');
      expect(m.hasLogo).toBe(true);
      expect(m.text).toMatch(/anonym|anoniem/i);
    }
    expect(ann.text).toMatch(/open until/);
    const tokens = inbox.map((m) => linkIn(m.text));
    expect(new Set(tokens).size).toBe(3);
    // The link works: the questionnaire opens for a personal link of this round.
    const q = await t.app.inject({ method: 'GET', url: `/api/v1/survey/${tokens[0]}` });
    expect(q.statusCode).toBe(200);
    expect(q.json()).toMatchObject({ link: 'personal', form: 'employee' });
    // Opening is not starting: a link scanner's GET marks nothing started.
    const opened = await t.app.inject({ method: 'GET', url: `/s/${tokens[0]}` });
    expect(opened.statusCode).toBe(303);
    const startedRows = await t.db.selectFrom('invitations').select('started_at').where('round_id', '=', round.id).where('started_at', 'is not', null).execute();
    expect(startedRows).toHaveLength(0);
    // Status per batch: all sent.
    const batches = await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/mail-batches`, headers: a.as.hr });
    expect(batches.json().batches[0]).toMatchObject({ kind: 'invitation', status: 'sent', recipients: 3, sent: 3, failed: 0 });
    // Nothing of a token in any staff route.
    const staffRoutes = [
      `/api/v1/rounds/${round.id}/invitations`,
      `/api/v1/rounds/${round.id}/mail-batches`,
      `/api/v1/rounds/${round.id}/response-rates`,
      `/api/v1/rounds/${round.id}`,
      `/api/v1/rounds/${round.id}/invitations/settings`,
      `/api/v1/outbox`,
    ];
    for (const url of staffRoutes) {
      const r = await t.app.inject({ method: 'GET', url, headers: a.as.hr });
      for (const tok of tokens) expect(r.body, url).not.toContain(tok!);
    }
    const outbox = await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: a.as.hr });
    expect(outbox.json().transport).toBe('smtp');
    for (const m of outbox.json().messages) {
      expect(m.viewable).toBe(false);
      const one = await t.app.inject({ method: 'GET', url: `/api/v1/outbox/${m.id}`, headers: a.as.hr });
      expect(one.statusCode).toBe(404);
    }
    // The mail-merge download is refused on a round whose links the platform sends.
    const csv = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/personal`, headers: { ...a.as.hr, 'content-type': 'text/csv', accept: 'text/csv' }, payload: 'dan@example.nl\n' });
    expect(csv.statusCode).toBe(409);
    expect(csv.json().code).toBe('links_sent_by_platform');
    const reissue = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/invitations/personal/reissue`, headers: a.as.hr });
    expect(reissue.statusCode).toBe(409);
    // No log line holds a token or the SMTP password.
    const log = logLines.join('');
    for (const tok of tokens) expect(log).not.toContain(tok!);
    expect(log).not.toContain('geheim-wachtwoord');
  });

  it('reminds only those who have not submitted; HR sees how many, not who', async () => {
    inbox.length = 0;
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { languages: ['nl', 'en'], closesAt: new Date(Date.now() + 10 * 86_400_000).toISOString() });
    await upload(round.id, 'e1@example.nl\ne2@example.nl\ne3@example.nl\n');
    await until(() => inbox.length >= 3);
    const byTo = new Map(inbox.map((m) => [m.to, linkIn(m.text)!]));
    // e1 submits; e2 only starts.
    const sub = await t.app.inject({ method: 'POST', url: `/api/v1/survey/${byTo.get('e1@example.nl')}/submit`, headers: { 'idempotency-key': 'k-1' }, payload: { answers: completeAnswers(1) } });
    expect(sub.statusCode).toBe(200);
    const save = await t.app.inject({ method: 'PUT', url: `/api/v1/survey/${byTo.get('e2@example.nl')}/answers`, payload: { answers: { [Object.keys(completeAnswers(0))[0]!]: 3 } } });
    expect(save.statusCode).toBe(200);
    inbox.length = 0;
    const rem = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/reminders`, headers: a.as.hr, payload: {} });
    expect(rem.statusCode).toBe(201);
    await until(() => inbox.length >= 2);
    await t.app.mail.runOnce();
    expect(inbox.map((m) => m.to).sort()).toEqual(['e2@example.nl', 'e3@example.nl']);
    const e3 = inbox.find((m) => m.to === 'e3@example.nl')!;
    const e2 = inbox.find((m) => m.to === 'e2@example.nl')!;
    expect(e3.subject).toContain('Herinnering');
    // Not started: a new link that works, and the old one no longer does.
    const fresh = linkIn(e3.text)!;
    expect(fresh).not.toBe(byTo.get('e3@example.nl'));
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/survey/${fresh}` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/survey/${byTo.get('e3@example.nl')}` })).statusCode).toBe(404);
    // Started: no new link (it could not reach the saved answers); the old one still works.
    expect(linkIn(e2.text)).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/survey/${byTo.get('e2@example.nl')}` })).statusCode).toBe(200);
    const batches = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/mail-batches`, headers: a.as.hr })).json().batches;
    const reminder = batches.find((b: { kind: string }) => b.kind === 'reminder');
    expect(reminder).toMatchObject({ status: 'sent', recipients: 2, sent: 2, failedAddresses: [] });
    const outbox = (await t.app.inject({ method: 'GET', url: `/api/v1/outbox?roundId=${round.id}`, headers: a.as.hr })).json().messages;
    expect(outbox.filter((m: { kind: string }) => m.kind === 'reminder').map((m: { to: string | null }) => m.to)).toEqual([null, null]);
  });

  it('schedules a reminder days before closing and sends it only at that moment', async () => {
    const closesAt = new Date(Date.now() + 10 * 86_400_000);
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { closesAt: closesAt.toISOString() });
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/reminders`, headers: a.as.hr, payload: { daysBeforeClose: 7 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'scheduled', scheduledFor: new Date(closesAt.getTime() - 7 * 86_400_000).toISOString() });
    const after = await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/reminders`, headers: a.as.hr, payload: { daysBeforeClose: 20 } });
    expect(after.statusCode).toBe(400);
    expect(after.json().errors[0].path).toBe('body.daysBeforeClose');
    await t.app.mail.runOnce();
    const list = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/mail-batches`, headers: a.as.hr })).json().batches;
    expect(list[0].status).toBe('scheduled');
    await t.app.mail.runOnce(new Date(closesAt.getTime() - 7 * 86_400_000 + 1000));
    const later = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/mail-batches`, headers: a.as.hr })).json().batches;
    expect(later[0].status).toBe('empty');
  });

  it('retries when the server refuses, then shows the failure with its reason', async () => {
    inbox.length = 0;
    rejectAll = true;
    try {
      const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
      await upload(round.id, 'weg@example.nl\n');
      const attempts: number[] = [];
      for (let i = 0; i < 10; i++) {
        await t.app.mail.runOnce(new Date(Date.now() + i * 1000));
        const row = await t.db.selectFrom('mail_messages').select(['attempts', 'status']).where('round_id', '=', round.id).executeTakeFirstOrThrow();
        attempts.push(row.attempts);
        if (row.status === 'failed') break;
      }
      expect(Math.max(...attempts)).toBe(3);
      const batch = (await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/mail-batches`, headers: a.as.hr })).json().batches[0];
      expect(batch).toMatchObject({ status: 'failed', sent: 0, failed: 1, failedAddresses: ['weg@example.nl'] });
      expect(batch.failures[0].reason).toMatch(/550/);
      expect(inbox).toHaveLength(0);
    } finally {
      rejectAll = false;
    }
  });

  it('gives the response the background from the invitation list, does not ask it again, and keeps no link', async () => {
    inbox.length = 0;
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId, { departments: ['Zorg', 'Techniek'] });
    const res = await upload(round.id, 'e-mail;afdeling;opleiding;contract;leeftijd\nbg@example.nl;Techniek;mbo;vast;45-54\n');
    expect(res.statusCode).toBe(201);
    await until(() => inbox.length >= 1);
    const token = linkIn(inbox[0]!.text)!;
    const q = (await t.app.inject({ method: 'GET', url: `/api/v1/survey/${token}` })).json();
    const bgPage = q.pages.find((p: { kind: string }) => p.kind === 'background');
    // Only role and the optional questions the list cannot carry (tenure, contract hours; issue 17)
    // are left to ask; department, education, contract and age band came with the list.
    expect(bgPage.questions.map((x: { id: string }) => x.id)).toEqual(['role', 'tenure', 'contract_hours']);
    // The respondent's own (different) department does not override the list.
    const sub = await t.app.inject({ method: 'POST', url: `/api/v1/survey/${token}/submit`, headers: { 'idempotency-key': 'bg-1' }, payload: { answers: completeAnswers(2), background: { department: 'Zorg', role: 'employee' } } });
    expect(sub.statusCode).toBe(200);
    const rows = await t.db.selectFrom('responses').selectAll().where('round_id', '=', round.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'submitted', department: 'Techniek', education: 'mbo', contract: 'permanent', age_band: '45_54', role: 'employee' });
    // Nothing in the response leads to the invitation.
    const inv = await t.db.selectFrom('invitations').selectAll().where('round_id', '=', round.id).executeTakeFirstOrThrow();
    expect(Object.values(rows[0]!).map(String)).not.toContain(inv.id);
    expect(Object.values(rows[0]!).map(String)).not.toContain(inv.token_hash);
  });

  it('rejects a list with an unknown background value, naming the line and column', async () => {
    const round = await createOpenRound(t.app, a.as.hr, a.organisationId);
    const res = await upload(round.id, 'email,education,form\nx@example.nl,university,employee\ny@example.nl,mbo,managers\n');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['line 2, column education', 'line 3, column form']);
    expect(await t.db.selectFrom('invitations').select('id').where('round_id', '=', round.id).execute()).toHaveLength(0);
  });

  it('holds invitations of a draft round until it opens', async () => {
    inbox.length = 0;
    const round = await createRound(t.app, a.as.hr, a.organisationId);
    await upload(round.id, 'later@example.nl\n');
    await t.app.mail.runOnce();
    expect(inbox).toHaveLength(0);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/rounds/${round.id}/mail-batches`, headers: a.as.hr })).json().batches[0].status).toBe('waiting_for_opening');
    await t.app.inject({ method: 'POST', url: `/api/v1/rounds/${round.id}/open`, headers: a.as.hr });
    await until(() => inbox.length >= 1);
    expect(inbox.map((m) => m.to)).toEqual(['later@example.nl']);
  });
});
