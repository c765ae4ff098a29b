// The platform's scheduled work, run as jobs: delivering queued mail (with retries), turning a due
// reminder batch into messages, and closing rounds at their exact closing moment (which releases the
// results at once through the normal close path). One function, runDueWork, does a turn of all three;
// two runners call it:
// - PostgreSQL: pg-boss. Every instance works the queue; a turn is sent for the next due moment
//   (startAfter), and a cron entry each minute catches work queued by other instances. Messages are
//   claimed with FOR UPDATE SKIP LOCKED, so two instances never send the same message.
// - Embedded database: a timer in this process set to the next due moment (at most a minute ahead).
//
// A personal link is created at the moment of sending: the message's invitation gets a new token,
// whose hash replaces the old one, and the token exists only in the mail. With SMTP the body is never
// stored; in outbox mode (nothing is sent) the body is stored for the Outbox page.
import { sql, type Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { DB } from '../db/schema.js';
import { newToken } from '../lib/crypto.js';
import { withSystemScope } from '../auth/tenant-scope.js';
import { closeExpiredRounds } from '../rounds/auto-close.js';
import type { RoundClosedHandler } from '../rounds/hooks.js';
import { invitationHash } from '../rounds/responses.js';
import { renderMail, type MailLanguage } from './templates.js';
import { mailErrorText, type MailTransport } from './transport.js';

export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface MailJobSettings {
  publicUrl: string;
  maxAttempts: number;
  /** Delay before the first retry; doubles with each attempt. */
  retryDelayMs: number;
  /** Messages per turn. */
  batchSize?: number;
  /** The results work of a close (release, pool entry), handed down by the composition root. */
  onRoundClosed: RoundClosedHandler;
}

export interface TurnResult {
  closed: string[];
  materialised: number;
  sent: number;
  retried: number;
  failed: number;
  /** The next moment something is due (null: nothing known). */
  next: Date | null;
}

/** Lease on a message being sent: a crashed instance's message is picked up again after it. */
const SENDING_LEASE_MS = 5 * 60_000;

/** Reminder batches whose moment has come: one message per invited person who has not submitted. */
export async function materialiseDueReminders(db: Kysely<DB>, now: Date): Promise<number> {
  let made = 0;
  const due = await withSystemScope(db, (db) => db
    .selectFrom('mail_batches')
    .innerJoin('rounds', 'rounds.id', 'mail_batches.round_id')
    .select(['mail_batches.id', 'mail_batches.round_id', 'mail_batches.form', 'rounds.status', 'rounds.opens_at', 'rounds.closes_at'])
    .where('mail_batches.kind', '=', 'reminder')
    .where('mail_batches.materialised_at', 'is', null)
    .where('mail_batches.cancelled_at', 'is', null)
    .where('mail_batches.scheduled_for', '<=', now)
    .orderBy('mail_batches.scheduled_for')
    .limit(20)
    .execute());
  for (const b of due) {
    const closed = b.status === 'closed' || (b.closes_at && b.closes_at <= now);
    if (b.status !== 'open' && !closed) continue; // a draft round: the reminder waits for the opening
    await withSystemScope(db, async (tx) => {
      const locked = await sql<{ id: string }>`select id from mail_batches where id = ${b.id}::uuid and materialised_at is null and cancelled_at is null for update skip locked`.execute(tx);
      if (locked.rows.length === 0) return;
      if (closed) {
        await tx.updateTable('mail_batches').set({ cancelled_at: now }).where('id', '=', b.id).execute();
        return;
      }
      const inserted = await sql<{ n: number }>`
        with ins as (
          insert into mail_messages (batch_id, round_id, invitation_id, to_address, language, next_attempt_at)
          select ${b.id}::uuid, i.round_id, i.id, i.email, coalesce(i.language, r.languages[1]), ${now}::timestamptz
          from invitations i join rounds r on r.id = i.round_id
          where i.round_id = ${b.round_id}::uuid and i.kind = 'personal' and i.email is not null
            and i.submitted_at is null and i.revoked_at is null
            and (${b.form}::text is null or i.form = ${b.form}::text)
          returning 1
        ) select count(*)::int as n from ins`.execute(tx);
      const n = Number(inserted.rows[0]?.n ?? 0);
      await tx.updateTable('mail_batches').set({ materialised_at: now, recipients: n }).where('id', '=', b.id).execute();
      made += n;
    });
  }
  return made;
}

interface Claimed {
  id: string;
  round_id: string;
  invitation_id: string | null;
  to_address: string;
  language: MailLanguage;
  attempts: number;
  kind: 'invitation' | 'reminder';
}

async function claimDue(db: Kysely<DB>, now: Date, limit: number): Promise<Claimed[]> {
  const { rows } = await sql<Claimed>`
    update mail_messages m set status = 'sending', attempts = m.attempts + 1,
      next_attempt_at = ${new Date(now.getTime() + SENDING_LEASE_MS)}::timestamptz
    from mail_batches b
    where b.id = m.batch_id and m.id in (
      select m2.id from mail_messages m2 join rounds r on r.id = m2.round_id
      where m2.status in ('queued', 'sending') and m2.next_attempt_at <= ${now}::timestamptz
        and (r.status = 'closed' or (r.status = 'open' and (r.opens_at is null or r.opens_at <= ${now}::timestamptz)))
      order by m2.next_attempt_at
      limit ${limit}
      for update of m2 skip locked)
    returning m.id, m.round_id, m.invitation_id, m.to_address, m.language, m.attempts, b.kind`.execute(db);
  return rows;
}

interface RoundMailInfo {
  name: string;
  status: string;
  closes_at: Date | null;
  languages: MailLanguage[];
  anonymity_threshold: number;
  organisation_name: string;
  consultancy_name: string;
  accent_color: string;
  logo: Buffer | null;
  logo_mime: string | null;
}

async function roundMailInfo(db: Kysely<DB>, roundId: string): Promise<RoundMailInfo | undefined> {
  return db
    .selectFrom('rounds')
    .innerJoin('organisations', 'organisations.id', 'rounds.organisation_id')
    .innerJoin('consultancies', 'consultancies.id', 'organisations.consultancy_id')
    .select([
      'rounds.name',
      'rounds.status',
      'rounds.closes_at',
      'rounds.languages',
      'rounds.anonymity_threshold',
      'organisations.name as organisation_name',
      'consultancies.name as consultancy_name',
      'consultancies.accent_color',
      'consultancies.logo',
      'consultancies.logo_mime',
    ])
    .where('rounds.id', '=', roundId)
    .executeTakeFirst() as Promise<RoundMailInfo | undefined>;
}

type SendOutcome = 'sent' | 'retry' | 'failed';

async function deliver(db: Kysely<DB>, transport: MailTransport, s: MailJobSettings, m: Claimed, now: Date, cache: Map<string, RoundMailInfo | undefined>): Promise<SendOutcome> {
  // Scheduled work, not for one tenant: each step in the system scope, the sending outside any
  // transaction (an SMTP wait must not hold a connection, nor the embedded database's lock).
  const sys = <T>(fn: (tx: Kysely<DB>) => Promise<T>) => withSystemScope(db, fn);
  const fail = async (error: string, final: boolean): Promise<SendOutcome> => {
    const last = final || m.attempts >= s.maxAttempts;
    const next = new Date(now.getTime() + s.retryDelayMs * 2 ** Math.max(0, m.attempts - 1));
    await sys((db) => db
      .updateTable('mail_messages')
      .set(last ? { status: 'failed', error } : { status: 'queued', error, next_attempt_at: next })
      .where('id', '=', m.id)
      .execute());
    return last ? 'failed' : 'retry';
  };
  if (!cache.has(m.round_id)) cache.set(m.round_id, await sys((db) => roundMailInfo(db, m.round_id)));
  const round = cache.get(m.round_id);
  if (!round) return fail('round_missing: the round no longer exists', true);
  if (round.status === 'closed' || (round.closes_at && round.closes_at <= now)) return fail('round_closed: the round closed before the message could be sent', true);
  let link: string | null = null;
  let form: 'employee' | 'management' = 'employee';
  if (m.invitation_id) {
    const invitationId = m.invitation_id;
    const inv = await sys((db) => db.selectFrom('invitations').select(['started_at', 'submitted_at', 'revoked_at', 'form']).where('id', '=', invitationId).executeTakeFirst());
    if (!inv || inv.revoked_at) return fail('invitation_withdrawn: the invitation was withdrawn', true);
    form = inv.form;
    if (m.kind === 'reminder' && inv.submitted_at) {
      // Submitted meanwhile: no reminder. Not an error; the message is simply not needed.
      await sys((db) => db.updateTable('mail_messages').set({ status: 'failed', error: 'not_needed: already submitted' }).where('id', '=', m.id).execute());
      return 'failed';
    }
    if (!inv.started_at) {
      // A fresh link, only in this mail: the previous one (never delivered, or a reminder's
      // predecessor) stops working. A started invitation keeps its link: it leads to saved answers.
      const token = newToken();
      const updated = await sys((db) => db
        .updateTable('invitations')
        .set({ token_hash: invitationHash(token) })
        .where('id', '=', invitationId)
        .where('started_at', 'is', null)
        .where('revoked_at', 'is', null)
        .returning('id')
        .executeTakeFirst());
      if (updated) link = `${s.publicUrl}/s/${token}`;
    }
    if (!link && m.kind === 'invitation') return fail('already_started: the invitation was already started; it keeps its link', true);
  }
  const mail = renderMail({
    kind: m.kind,
    language: m.language,
    languages: round.languages,
    consultancyName: round.consultancy_name,
    organisationName: round.organisation_name,
    roundName: round.name,
    accentColor: round.accent_color,
    logo: round.logo && round.logo_mime ? { content: Buffer.from(round.logo), contentType: round.logo_mime } : null,
    closesAt: round.closes_at,
    anonymityThreshold: round.anonymity_threshold,
    link,
    form,
  });
  try {
    await transport.send({ to: m.to_address, subject: mail.subject, text: mail.text, html: mail.html, inline: mail.inline, language: m.language });
  } catch (err) {
    return fail(mailErrorText(err), false);
  }
  const outbox = transport.kind === 'outbox';
  await sys((db) => db
    .updateTable('mail_messages')
    .set({
      status: 'sent',
      error: null,
      sent_at: now,
      transport: transport.kind,
      subject: mail.subject,
      text_body: outbox ? mail.text : null,
      // The outbox shows the HTML in the app, where cid: references cannot resolve.
      html_body: outbox ? mail.inline.reduce((h, a) => h.replaceAll(`cid:${a.cid}`, `data:${a.contentType};base64,${a.content.toString('base64')}`), mail.html) : null,
    })
    .where('id', '=', m.id)
    .execute());
  return 'sent';
}

/** When something is due next: a message, a reminder batch, or the closing of an open round. */
async function nextDue(db: Kysely<DB>): Promise<Date | null> {
  const { rows } = await sql<{ next: Date | null }>`
    select least(
      (select min(greatest(m.next_attempt_at, coalesce(r.opens_at, m.next_attempt_at))) from mail_messages m join rounds r on r.id = m.round_id
        where m.status in ('queued', 'sending') and r.status <> 'draft'),
      (select min(scheduled_for) from mail_batches where materialised_at is null and cancelled_at is null),
      (select min(closes_at) from rounds where status = 'open' and closes_at is not null)
    ) as next`.execute(db);
  const n = rows[0]?.next;
  return n ? new Date(n) : null;
}

/** One turn of the due work. Safe to run from several instances at once. */
export async function runDueWork(db: Kysely<DB>, transport: MailTransport, s: MailJobSettings, now = new Date(), log?: JobLogger): Promise<TurnResult> {
  const result: TurnResult = { closed: [], materialised: 0, sent: 0, retried: 0, failed: 0, next: null };
  const closed = await closeExpiredRounds(db, s.onRoundClosed, now);
  result.closed = closed.closed;
  if (closed.closed.length) log?.info({ closed: closed.closed.length }, 'rounds closed at their closing moment');
  if (closed.failed.length) log?.warn({ failed: closed.failed.map((f) => f.roundId) }, 'rounds could not be closed at their closing moment');
  result.materialised = await materialiseDueReminders(db, now);
  const cache = new Map<string, RoundMailInfo | undefined>();
  for (;;) {
    const claimed = await withSystemScope(db, (tx) => claimDue(tx, now, s.batchSize ?? 20));
    if (claimed.length === 0) break;
    for (const m of claimed) {
      const outcome = await deliver(db, transport, s, m, now, cache);
      if (outcome === 'sent') result.sent += 1;
      else if (outcome === 'retry') result.retried += 1;
      else result.failed += 1;
    }
    if (claimed.length < (s.batchSize ?? 20)) break;
  }
  // Only counts: a log line never names a recipient, and never holds a link.
  if (result.sent || result.retried || result.failed) log?.info({ sent: result.sent, retried: result.retried, failed: result.failed }, 'mail turn');
  result.next = await withSystemScope(db, (tx) => nextDue(tx));
  return result;
}

// --- runners ------------------------------------------------------------------------------------

export interface JobRunner {
  readonly kind: 'pg-boss' | 'in-process';
  start(): Promise<void>;
  /** Something new is due now or at `at` (a new batch, a changed closing date). */
  kick(at?: Date | null): void;
  stop(): Promise<void>;
}

const MAX_SLEEP_MS = 60_000;

export class InProcessJobRunner implements JobRunner {
  readonly kind = 'in-process' as const;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly turn: () => Promise<TurnResult>,
    private readonly log?: JobLogger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.kick();
  }

  kick(at?: Date | null): void {
    if (this.stopped) return;
    const delay = at ? Math.max(0, at.getTime() - Date.now()) : 0;
    if (this.running) {
      if (delay === 0) this.again = true;
      return;
    }
    this.schedule(delay);
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), Math.min(ms, MAX_SLEEP_MS));
    this.timer.unref();
  }

  private run() {
    this.timer = null;
    this.running = (async () => {
      let next: Date | null;
      try {
        next = (await this.turn()).next;
      } catch (err) {
        this.log?.warn({ err: { message: mailErrorText(err) } }, 'scheduled work failed; trying again shortly');
        next = new Date(Date.now() + 5_000);
      }
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      } else this.schedule(next ? Math.max(50, next.getTime() - Date.now()) : MAX_SLEEP_MS);
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

export const MAIL_QUEUE = 'scheduled-work';

export class PgBossJobRunner implements JobRunner {
  readonly kind = 'pg-boss' as const;
  private boss: PgBoss | null = null;
  private started: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly connectionString: string,
    private readonly turn: () => Promise<TurnResult>,
    private readonly log?: JobLogger,
  ) {}

  start(): Promise<void> {
    this.started ??= (async () => {
      const { PgBoss: PgBossClass } = await import('pg-boss');
      const boss = new PgBossClass({ connectionString: this.connectionString, max: 2, application_name: 'leercultuurscan-jobs', schema: 'pgboss' });
      boss.on('error', (err) => this.log?.warn({ err: { message: mailErrorText(err) } }, 'job queue error'));
      this.boss = boss;
      await boss.start();
      await boss.createQueue(MAIL_QUEUE, { retryLimit: 2, retryDelay: 5, expireInSeconds: 10 * 60 });
      // A safety net for work another instance queued without telling this one.
      await boss.schedule(MAIL_QUEUE, '* * * * *', {}, { singletonKey: 'minute' });
      await boss.work(MAIL_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async () => {
        const { next } = await this.turn();
        if (next && !this.stopped) await this.sendAt(next);
      });
      this.sendAt(new Date()).catch(() => undefined);
    })();
    return this.started;
  }

  private async sendAt(at: Date): Promise<void> {
    if (!this.boss) return;
    // One pending turn per second of due time, however many instances ask for it.
    const second = Math.ceil(at.getTime() / 1000);
    await this.boss.send(MAIL_QUEUE, {}, { startAfter: new Date(second * 1000), singletonKey: `at-${second}` });
  }

  kick(at?: Date | null): void {
    if (this.stopped) return;
    void this.start()
      .then(() => this.sendAt(at ?? new Date()))
      .catch((err) => this.log?.warn({ err: { message: mailErrorText(err) } }, 'could not queue scheduled work'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (!this.started) return;
    await this.started.catch(() => undefined);
    await this.boss?.stop({ graceful: true, timeout: 10_000 });
  }
}
