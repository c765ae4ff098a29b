// The mail and scheduling service of an app instance: the transport (outbox or SMTP) and the runner
// of scheduled work (pg-boss on PostgreSQL, in-process on the embedded database). Routes call
// `app.mail.kick()` after queueing work; tests run a turn with `app.mail.runOnce()`.
import fp from 'fastify-plugin';
import type { Config } from '../config/config.js';
import { InProcessJobRunner, PgBossJobRunner, runDueWork, type JobRunner, type MailJobSettings, type TurnResult } from './jobs.js';
import { createMailTransport, type MailTransport, type OutgoingMail } from './transport.js';

export interface MailService {
  readonly transportKind: 'outbox' | 'smtp';
  readonly runnerKind: JobRunner['kind'];
  /** Work is due now (or at `at`): wake the runner. */
  kick(at?: Date | null): void;
  /** One turn now, in this process (tests, CLI). */
  runOnce(now?: Date): Promise<TurnResult>;
  /** Sends one mail now through the transport (staff invitations; nothing is queued or logged). */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    mail: MailService;
  }
}

export interface MailPluginOptions {
  config: Config;
  /** Start the runner when the app is ready (default: not under NODE_ENV=test). */
  startJobs?: boolean;
  /** Overrides for tests: a transport, retry delay. */
  transport?: MailTransport;
  retryDelayMs?: number;
}

export default fp<MailPluginOptions>(
  async (app, opts) => {
    const transport = opts.transport ?? createMailTransport(opts.config.mail);
    const settings: MailJobSettings = {
      publicUrl: opts.config.publicUrl,
      maxAttempts: opts.config.MAIL_MAX_ATTEMPTS,
      retryDelayMs: opts.retryDelayMs ?? 30_000,
      onRoundClosed: app.roundHooks.roundClosed,
    };
    const turn = (now = new Date()) => runDueWork(app.db, transport, settings, now, app.log);
    const runner: JobRunner = opts.config.DATABASE_URL
      ? new PgBossJobRunner(opts.config.DATABASE_URL, () => turn(), app.log)
      : new InProcessJobRunner(() => turn(), app.log);
    const start = opts.startJobs ?? opts.config.NODE_ENV !== 'test';
    let running = false;
    app.decorate('mail', {
      transportKind: transport.kind,
      runnerKind: runner.kind,
      kick: (at?: Date | null) => {
        if (running) runner.kick(at);
      },
      runOnce: (now?: Date) => turn(now),
      send: (mail: OutgoingMail) => transport.send(mail),
    } satisfies MailService);
    if (start) {
      app.addHook('onReady', async () => {
        running = true;
        await runner.start();
      });
    }
    app.addHook('onClose', async () => {
      running = false;
      await runner.stop().catch(() => undefined);
      transport.close();
    });
  },
  { name: 'mail', dependencies: ['db'] },
);
