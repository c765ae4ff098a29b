// Outgoing mail through nodemailer. Two transports:
// - outbox: nothing leaves the machine; nodemailer builds the message (so addresses and headers are
//   checked as for real mail) and the caller stores it for the Outbox page.
// - smtp: SMTP_URL (smtp:// or smtps://, credentials in the URL), pooled connections.
// nodemailer's own logger stays off: its debug output would contain the message, and with it a link.
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Inline images referenced as cid:<cid> in the HTML (the consultancy logo). */
  inline?: Array<{ cid: string; content: Buffer; contentType: string; filename: string }>;
  language: 'nl' | 'en';
}

export interface MailTransport {
  readonly kind: 'outbox' | 'smtp';
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export interface TransportSettings {
  transport: 'outbox' | 'smtp';
  smtpUrl: string | null;
  from: string;
}

export function createMailTransport(s: TransportSettings): MailTransport {
  const transporter =
    s.transport === 'smtp'
      ? nodemailer.createTransport({
          url: s.smtpUrl!,
          pool: true,
          maxConnections: 2,
          connectionTimeout: 15_000,
          greetingTimeout: 15_000,
          socketTimeout: 30_000,
          logger: false,
          debug: false,
        } as Parameters<typeof nodemailer.createTransport>[0])
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', logger: false });
  return {
    kind: s.transport,
    async send(mail) {
      const info = await transporter.sendMail({
        from: s.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'Content-Language': mail.language, 'Auto-Submitted': 'auto-generated' },
        attachments: (mail.inline ?? []).map((a) => ({ cid: a.cid, content: a.content, contentType: a.contentType, filename: a.filename, contentDisposition: 'inline' as const })),
      });
      return { messageId: String(info.messageId ?? '') };
    },
    close() {
      transporter.close();
    },
  };
}

/** A transport error as stored and shown: the first line, without anything that looks like a link token. */
export function mailErrorText(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; code?: string };
  const first = (e?.message ?? String(err)).split('\n')[0] ?? 'error';
  const text = redactTokens(first).slice(0, 300);
  return e?.responseCode ? `${e.responseCode}: ${text}` : e?.code && !text.includes(e.code) ? `${e.code}: ${text}` : text || 'error';
}

/** Replaces survey tokens (43 URL-safe characters) and survey links in a text. */
export function redactTokens(text: string): string {
  return text.replace(/\/s\/[A-Za-z0-9_-]{16,}/g, '/s/***').replace(/[A-Za-z0-9_-]{43}/g, '***');
}
