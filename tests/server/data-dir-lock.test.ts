// One process per DATA_DIR: a second server, the CLI and the report CLI refuse with one line naming the
// directory and the pid holding it (exit code 1); a lock left by a killed process is taken over.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE_NAME, lockDataDir } from '../../server/db/data-dir-lock.js';
import { prepareDataDir } from '../helpers/database.js';
import { compiledArgs, REPO_ROOT, startServer } from '../helpers/server-process.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lcs-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The pid of a process that has exited (so no process has it now, barring reuse). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('DATA_DIR lock (in one process)', () => {
  it('refuses a second lock naming the directory and the owner pid, and frees it on release', () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    let refused: unknown;
    try {
      lockDataDir(dir);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toContain(dir);
    expect((refused as Error).message).toContain(`process ${process.pid}`);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
    lockDataDir(dir).release();
  });

  it('takes over a lock whose owner is dead, a half-written one, and one whose pid was reused', () => {
    const dir = tempDir();
    const path = join(dir, LOCK_FILE_NAME);
    writeFileSync(path, JSON.stringify({ pid: deadPid(), host: hostname(), startTicks: null, since: '2026-01-01T00:00:00Z', command: 'x' }));
    const a = lockDataDir(dir);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    a.release();

    writeFileSync(path, '{"pid": 12'); // a crash half-way through writing (cannot happen with link, but an old file might)
    lockDataDir(dir).release();

    if (process.platform === 'linux') {
      // Our own pid with another start time: the process that wrote it is gone, its pid reused.
      writeFileSync(path, JSON.stringify({ pid: process.ppid, host: hostname(), startTicks: 1, since: '2026-01-01T00:00:00Z', command: 'x' }));
      lockDataDir(dir).release();
    }
  });
});

/** Runs a CLI (`server/cli/main.ts` and its arguments) compiled, as the server runs. */
const cliRun = async (args: string[], env: Record<string, string>) => {
  const nodeArgs = await compiledArgs(args[0]!, ...args.slice(1));
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: '', TEST_DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
};

describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('DATA_DIR lock (real processes)', () => {
  it('a second server and the CLIs refuse while the first runs; after kill -9 the next one starts', async () => {
    const dir = tempDir();
    // A migrated data directory (what a first start makes; process.test.ts tests that start).
    await prepareDataDir(dir);
    const env = { DATA_DIR: dir, DATABASE_URL: '', DEMO: 'false' };
    const first = await startServer(env);
    try {
      const pid = first.child.pid!;
      const line = new RegExp(`^.*DATA_DIR ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by process ${pid}\\b.*$`, 'm');

      // The three are independent: started together.
      const [second, cli, report] = await Promise.all([
        startServer(env, { waitReady: false }),
        cliRun(['server/cli/main.ts', 'list'], env),
        cliRun(['server/cli/report.ts', '--demo', '--out', join(dir, 'x.pdf')], env),
      ]);
      const { code } = await second.exited;
      expect(code).toBe(1);
      expect(second.output()).toMatch(line);
      expect(second.output().trim().split('\n')).toHaveLength(1);

      expect(cli.code).toBe(1);
      expect(cli.out).toMatch(line);
      expect(report.code).toBe(1);
      expect(report.out).toMatch(line);

      // The first server is unharmed.
      expect((await fetch(`${first.base}/health/ready`)).status).toBe(200);
      // Its start-up block was printed although LOG_LEVEL is warn (startServer's default), and no
      // log line at info level came with it.
      expect(first.output()).toMatch(/^ {2}App: +http:\/\/localhost:\d+\/$/m);
      expect(first.output()).toMatch(/^ {2}API docs: +http:\/\/localhost:\d+\/docs$/m);
      expect(first.output()).not.toMatch(/"level":30/);
    } finally {
      await first.stop('SIGKILL');
    }
    // kill -9 left its lock behind; the next process takes it over.
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(true);
    const third = await startServer(env);
    try {
      expect((await fetch(`${third.base}/health/ready`)).status).toBe(200);
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(third.child.pid);
    } finally {
      expect((await third.stop('SIGTERM')).code).toBe(0);
    }
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
  }, 180_000);
});
