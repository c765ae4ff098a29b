import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, USAGE } from '../../server/cli/main.js';
import { sha256Hex } from '../../server/lib/crypto.js';
import { setupTestApp, type TestApp } from '../helpers/app.js';
import { bearer, login, staffHeaders } from '../helpers/auth.js';
import { driverName, prepareDataDir } from '../helpers/database.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe(`CLI (${driverName})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await setupTestApp();
  });
  afterAll(async () => t?.close());

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { db: t.db, env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err };
  }
  const idIn = (text: string, prefix: string) => new RegExp(`${prefix}[^\\n]*\\(([0-9a-f-]{36})\\)`).exec(text)?.[1];

  let consultancyId: string;
  let organisationId: string;

  it('prints usage for help and no command', async () => {
    for (const argv of [[], ['help'], ['--help']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toBe(USAGE.trimEnd());
    }
    expect(USAGE).toContain('create-account');
  });

  it('create-account makes a consultancy and a consultant who can sign in', async () => {
    const r = await cli('create-account', '--name', 'Adviesbureau X', '--email', 'Eigenaar@Bureau-X.nl', '--user-name', 'Eva Eigenaar', '--password', 'een-sterk-wachtwoord');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    consultancyId = idIn(r.out, 'Created consultancy')!;
    expect(consultancyId).toBeDefined();
    const s = await login(t.app, 'eigenaar@bureau-x.nl', 'een-sterk-wachtwoord');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: staffHeaders(s) });
    expect(me.json().roles).toEqual([expect.objectContaining({ role: 'consultant', consultancyId, consultancyName: 'Adviesbureau X' })]);
  });

  it('create-organisation by consultancy name, create-user for it, create-token for it', async () => {
    const org = await cli('create-organisation', '--consultancy', 'Adviesbureau X', '--name', 'Klant Een', '--sector', 'education', '--size', 'medium', '--retention-months', '24');
    expect(org.code).toBe(0);
    organisationId = idIn(org.out, 'Created organisation')!;
    const row = await t.db.selectFrom('organisations').selectAll().where('id', '=', organisationId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ consultancy_id: consultancyId, name: 'Klant Een', sector: 'education', size_class: 'medium', retention_months: 24 });

    const hr = await cli('create-user', '--email', 'hr@klant-een.nl', '--name', 'Henk HR', '--role', 'hr', '--organisation', organisationId, '--password', 'henk-zijn-wachtwoord');
    expect(hr.code).toBe(0);
    const s = await login(t.app, 'hr@klant-een.nl', 'henk-zijn-wachtwoord');
    const orgs = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: staffHeaders(s) });
    expect(orgs.json().organisations.map((o: { id: string }) => o.id)).toEqual([organisationId]);

    const colleague = await runCli(['create-user', '--email', 'collega@bureau-x.nl', '--name', 'Collega', '--role', 'consultant', '--consultancy', consultancyId], {
      db: t.db, env: { LCS_PASSWORD: 'wachtwoord-uit-env' }, out: () => {}, err: () => {},
    });
    expect(colleague).toBe(0);
    await login(t.app, 'collega@bureau-x.nl', 'wachtwoord-uit-env');

    const tok = await cli('create-token', '--name', 'Koppeling', '--organisation', organisationId);
    expect(tok.code).toBe(0);
    const token = /Token \(shown once, store it now\): (\S+)/.exec(tok.out)![1]!;
    expect(await t.db.selectFrom('api_tokens').select('id').where('token_hash', '=', sha256Hex(token)).execute()).toHaveLength(1);
    const viaToken = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${organisationId}`, headers: bearer(token) });
    expect(viaToken.statusCode).toBe(200);
  });

  it('list shows accounts, organisations and users without hashes', async () => {
    const r = await cli('list');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Adviesbureau X  ${consultancyId}`);
    expect(r.out).toContain('consultant eigenaar@bureau-x.nl (Eva Eigenaar, consultant)');
    expect(r.out).toContain(`organisation Klant Een  ${organisationId}  [education, medium]`);
    expect(r.out).toContain('hr@klant-een.nl (Henk HR, hr)');
    expect(r.out).not.toContain('scrypt');
  });

  it('answers bad input with exit code 1 and one line, changing nothing', async () => {
    const count = async () => (await t.db.selectFrom('users').select('id').execute()).length + (await t.db.selectFrom('consultancies').select('id').execute()).length;
    const before = await count();
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /^Error: unknown command "frobnicate"/],
      [['create-account', '--name', 'Y'], /^Error: --email is required$/],
      [['create-account', '--name', 'Y', '--email', 'geen-email', '--user-name', 'Z', '--password', 'lang-genoeg-wachtwoord'], /^Error: --email: not a valid email address$/],
      [['create-account', '--name', 'Y', '--email', 'y@y.nl', '--user-name', 'Z', '--password', 'te-kort'], /^Error: --password: must be at least 12 characters$/],
      [['create-account', '--name', 'Y', '--email', 'y@y.nl', '--user-name', 'Z'], /^Error: --password is required$/],
      [['create-account', '--name', 'Y', '--email', 'eigenaar@bureau-x.nl', '--user-name', 'Z', '--password', 'lang-genoeg-wachtwoord'], /^Error: A user with this email address already exists$/],
      [['create-organisation', '--consultancy', 'Bestaat Niet', '--name', 'N', '--sector', 'ict', '--size', 'small'], /^Error: no consultancy "Bestaat Niet"/],
      [['create-organisation', '--consultancy', 'Adviesbureau X', '--name', 'N', '--sector', 'mijnbouw', '--size', 'small'], /^Error: --sector: one of healthcare/],
      [['create-organisation', '--consultancy', 'Adviesbureau X', '--name', 'N', '--sector', 'ict', '--size', 'small', '--retention-months', '0'], /^Error: --retention-months:/],
      [['create-user', '--email', 'u@u.nl', '--name', 'U', '--role', 'hr', '--consultancy', 'Adviesbureau X', '--password', 'lang-genoeg-wachtwoord'], /^Error: --role: a consultant needs --consultancy/],
      [['create-user', '--email', 'u@u.nl', '--name', 'U', '--role', 'admin', '--organisation', '00000000-0000-0000-0000-000000000000', '--password', 'lang-genoeg-wachtwoord'], /^Error: --role: one of consultant, hr, director$/],
      [['create-user', '--email', 'u@u.nl', '--name', 'U', '--role', 'hr', '--organisation', '00000000-0000-0000-0000-000000000000', '--password', 'lang-genoeg-wachtwoord'], /^Error: no organisation with id/],
      [['create-token', '--name', 'T'], /^Error: --consultancy: give exactly one of --consultancy or --organisation$/],
      [['list', '--name', 'x'], /^Error: --name is not an option of list$/],
      [['list', '--bogus'], /^Error: Unknown option '--bogus'/],
      [['list', 'extra'], /^Error: /],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err, argv.join(' ')).toHaveLength(1);
      expect(r.err[0], argv.join(' ')).toMatch(message);
      expect(r.err[0]).not.toContain('\n');
      expect(r.out).toBe('');
    }
    expect(await count()).toBe(before);
  });

  it('runs as a process: npm run cli -- list / bad input (spawn smoke test)', async () => {
    // Embedded: a new data directory holding the migrated template (no accounts), as memory:// would
    // after its migrations; PostgreSQL: this file's database.
    const dataDir = mkdtempSync(join(tmpdir(), 'lcs-cli-'));
    try {
      if (!t.testDb.url) await prepareDataDir(dataDir);
      const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: t.testDb.url ?? '' };
      const run = (...args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('exit', (status) => resolve({ status, stdout, stderr }));
        });
      // Both at once: the bad input is refused before the database is opened.
      const [ok, bad] = await Promise.all([run('list'), run('create-account', '--name', 'X')]);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain(t.testDb.url ? 'Adviesbureau X' : 'No accounts yet');
      expect(bad.status).toBe(1);
      expect(bad.stderr).toBe('Error: --email is required\n');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
