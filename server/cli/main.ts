// `npm run cli -- <command> [options]`: creates the first consultancy account and its consultant, and
// organisations, users and API tokens, on the configured database (DATABASE_URL or DATA_DIR).
// `runCli(argv, io)` is the whole program; tests call it with their own database and streams.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { insertApiToken } from '../auth/api-tokens.js';
import { normaliseEmail } from '../auth/login.js';
import { insertStaffUser } from '../auth/users.js';
import { ConfigError, parseConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DB } from '../db/schema.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import { SECTOR_IDS, SIZE_CLASS_IDS } from '../contracts/organisations.js';

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  create-account       A consultancy account with its first consultant
      --name <name> --email <email> --user-name <name> [--password <password>]
  create-organisation  A client organisation in an account
      --consultancy <id or exact name> --name <name> --sector <sector> --size <size> [--retention-months <1-120>]
  create-user          A consultant (with --consultancy) or an HR user/director (with --organisation)
      --email <email> --name <name> --role consultant|hr|director [--password <password>]
      (--consultancy <id or exact name> | --organisation <id>)
  create-token         An API token, printed once (only its SHA-256 is stored)
      --name <name> (--consultancy <id or exact name> | --organisation <id>)
  list                 Accounts, their organisations and users
  help                 This text

Passwords are at least ${MIN_PASSWORD_LENGTH} characters. Instead of --password you can set LCS_PASSWORD,
which keeps the password out of your shell history.
Sectors: ${SECTOR_IDS.join(', ')}
Sizes: ${SIZE_CLASS_IDS.join(', ')}
The database is the one the server uses: DATABASE_URL (PostgreSQL) or DATA_DIR (embedded).
`;

export interface CliIo {
  /** Use this database instead of opening the configured one (tests). It is not closed. */
  db?: Kysely<DB>;
  env?: Record<string, string | undefined>;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

class CliError extends Error {}

const uuid = z.uuid();
const email = z.email({ message: 'not a valid email address' }).max(254);
const name = z.string().trim().min(1, { message: 'must not be empty' }).max(200);
const password = z.string().min(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }).max(1024);

const schemas = {
  'create-account': z.object({ name, email, 'user-name': name, password }),
  'create-organisation': z.object({
    consultancy: name,
    name,
    sector: z.enum(SECTOR_IDS, { message: `one of ${SECTOR_IDS.join(', ')}` }),
    size: z.enum(SIZE_CLASS_IDS, { message: `one of ${SIZE_CLASS_IDS.join(', ')}` }),
    'retention-months': z.coerce.number().int().min(1).max(120).optional(),
  }),
  'create-user': z
    .object({
      email,
      name,
      role: z.enum(['consultant', 'hr', 'director'], { message: 'one of consultant, hr, director' }),
      password,
      consultancy: name.optional(),
      organisation: uuid.optional(),
    })
    .refine((o) => (o.role === 'consultant' ? o.consultancy && !o.organisation : o.organisation && !o.consultancy), {
      message: 'a consultant needs --consultancy, an HR user or director needs --organisation',
      path: ['role'],
    }),
  'create-token': z
    .object({ name, consultancy: name.optional(), organisation: uuid.optional() })
    .refine((o) => Boolean(o.consultancy) !== Boolean(o.organisation), {
      message: 'give exactly one of --consultancy or --organisation',
      path: ['consultancy'],
    }),
  list: z.object({}),
} as const;

type Command = keyof typeof schemas;

const OPTIONS = ['name', 'email', 'user-name', 'password', 'consultancy', 'sector', 'size', 'retention-months', 'role', 'organisation'] as const;

/** Parses and validates argv; throws CliError with one line. */
export function parseCommand(argv: string[], env: Record<string, string | undefined> = {}) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help' as const };
  if (!(command in schemas)) throw new CliError(`unknown command "${command}" (try: npm run cli -- help)`);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: Object.fromEntries(OPTIONS.map((o) => [o, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new CliError((err as Error).message.split('\n')[0]!);
  }
  const known = Object.keys((schemas[command as Command] as z.ZodObject).shape);
  const extra = Object.keys(values).filter((k) => !known.includes(k));
  if (extra.length > 0) throw new CliError(`--${extra[0]} is not an option of ${command}`);
  if (values.password === undefined && env.LCS_PASSWORD && (command === 'create-account' || command === 'create-user')) values.password = env.LCS_PASSWORD;
  const parsed = (schemas[command as Command] as z.ZodType).safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const missing = issue.code === 'invalid_type' && values[key] === undefined;
    throw new CliError(missing ? `--${key} is required` : `--${key}: ${issue.message}`);
  }
  return { command: command as Command, args: parsed.data as Record<string, string | number | undefined> };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findConsultancy(db: Kysely<DB>, ref: string): Promise<{ id: string; name: string }> {
  const rows = await db
    .selectFrom('consultancies')
    .select(['id', 'name'])
    .where(UUID.test(ref) ? 'id' : 'name', '=', ref)
    .execute();
  if (rows.length === 0) throw new CliError(`no consultancy "${ref}" (see: npm run cli -- list)`);
  if (rows.length > 1) throw new CliError(`more than one consultancy is called "${ref}"; use its id`);
  return rows[0]!;
}

async function findOrganisation(db: Kysely<DB>, id: string) {
  const org = await db.selectFrom('organisations').select(['id', 'name', 'consultancy_id']).where('id', '=', id).executeTakeFirst();
  if (!org) throw new CliError(`no organisation with id ${id} (see: npm run cli -- list)`);
  return org;
}

async function execute(db: Kysely<DB>, command: Command, a: Record<string, string | number | undefined>, out: (l: string) => void) {
  const s = (k: string) => a[k] as string;
  switch (command) {
    case 'create-account': {
      const passwordHash = await hashPassword(s('password'));
      const { consultancy, user } = await db.transaction().execute(async (tx) => {
        const consultancy = await tx.insertInto('consultancies').values({ name: s('name') }).returning(['id', 'name']).executeTakeFirstOrThrow();
        const user = await insertStaffUser(tx, { email: s('email'), name: s('user-name'), passwordHash, role: 'consultant', consultancyId: consultancy.id });
        return { consultancy, user };
      });
      out(`Created consultancy "${consultancy.name}" (${consultancy.id})`);
      out(`Created consultant ${user.email} (${user.id}); sign in with this email and the password you gave.`);
      return;
    }
    case 'create-organisation': {
      const c = await findConsultancy(db, s('consultancy'));
      const org = await db
        .insertInto('organisations')
        .values({ consultancy_id: c.id, name: s('name'), sector: s('sector'), size_class: s('size') as 'micro', retention_months: (a['retention-months'] as number | undefined) ?? null })
        .returning(['id', 'name'])
        .executeTakeFirstOrThrow();
      out(`Created organisation "${org.name}" (${org.id}) in "${c.name}"`);
      return;
    }
    case 'create-user': {
      const role = s('role') as 'consultant' | 'hr' | 'director';
      const target = role === 'consultant' ? { consultancyId: (await findConsultancy(db, s('consultancy'))).id } : { organisationId: (await findOrganisation(db, s('organisation'))).id };
      const passwordHash = await hashPassword(s('password'));
      const user = await db.transaction().execute((tx) => insertStaffUser(tx, { email: normaliseEmail(s('email')), name: s('name'), passwordHash, role, ...target }));
      out(`Created ${role} ${user.email} (${user.id})`);
      return;
    }
    case 'create-token': {
      const bound = a.consultancy ? { consultancyId: (await findConsultancy(db, s('consultancy'))).id } : { organisationId: (await findOrganisation(db, s('organisation'))).id };
      const token = await insertApiToken(db, { name: s('name'), ...bound });
      out(`Created API token "${token.name}" (${token.id}) for ${token.consultancy_id ? `consultancy ${token.consultancy_id}` : `organisation ${token.organisation_id}`}`);
      out(`Token (shown once, store it now): ${token.token}`);
      return;
    }
    case 'list': {
      const consultancies = await db.selectFrom('consultancies').select(['id', 'name', 'is_demo']).orderBy('name').execute();
      if (consultancies.length === 0) {
        out('No accounts yet. Start with: npm run cli -- create-account --name "..." --email ... --user-name "..."');
        return;
      }
      const orgs = await db.selectFrom('organisations').select(['id', 'name', 'consultancy_id', 'sector', 'size_class']).orderBy('name').execute();
      const roles = await db
        .selectFrom('user_roles')
        .innerJoin('users', 'users.id', 'user_roles.user_id')
        .select(['users.email', 'users.name', 'users.disabled_at', 'user_roles.role', 'user_roles.consultancy_id', 'user_roles.organisation_id'])
        .orderBy('users.email')
        .execute();
      const who = (r: (typeof roles)[number]) => `${r.email} (${r.name}, ${r.role}${r.disabled_at ? ', disabled' : ''})`;
      for (const c of consultancies) {
        out(`${c.name}${c.is_demo ? ' [demo]' : ''}  ${c.id}`);
        for (const r of roles.filter((x) => x.consultancy_id === c.id)) out(`  consultant ${who(r)}`);
        for (const o of orgs.filter((x) => x.consultancy_id === c.id)) {
          out(`  organisation ${o.name}  ${o.id}  [${o.sector}, ${o.size_class}]`);
          for (const r of roles.filter((x) => x.organisation_id === o.id)) out(`    ${who(r)}`);
        }
      }
      return;
    }
  }
}

/** Runs one CLI command; returns the exit code (0 ok, 1 bad input or failure, with one line on err). */
export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = io.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  const env = io.env ?? process.env;
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv, env);
  } catch (e) {
    err(`Error: ${(e as Error).message}`);
    return 1;
  }
  if (parsed.command === 'help') {
    out(USAGE.trimEnd());
    return 0;
  }
  let close: (() => Promise<void>) | undefined;
  try {
    let db = io.db;
    if (!db) {
      const database = await openDatabase(parseConfig(env), { operatorScope: true });
      close = () => database.close();
      await migrateToLatest(database.db);
      db = database.db;
    }
    await execute(db, parsed.command, parsed.args, out);
    return 0;
  } catch (e) {
    if (e instanceof CliError || e instanceof ConfigError || e instanceof AppError) err(`Error: ${e.message}`);
    else err(`Error: ${(e as Error).message.split('\n')[0]}`);
    return 1;
  } finally {
    await close?.();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2));
}
