// Real server processes for fault tests and bench:faults: spawn the compiled server as `npm start`
// runs it (`node --liftoff-only dist/server/main.js`; dist/ is built by global-setup.ts, or here when
// run outside vitest) on a random loopback port, read its output, sign in over HTTP, and a TCP proxy to PostgreSQL that can be
// cut (every connection dropped, new ones refused: what a client sees when the server stops) and restored.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Node flags of `npm start` (read from its script in package.json, the one place they are written; the
 * Dockerfile and `npm run dev` use the same, as tests/server/node-flags.test.ts checks). The README's
 * "Memory" section says why each is there.
 */
export const SERVER_NODE_FLAGS = serverNodeFlags(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.start as string);

/** The flags between `node` and `dist/server/main.js` in a start command. */
export function serverNodeFlags(command: string): string[] {
  const m = /\bnode((?: --[a-z0-9-]+(?:=\S+)?)*) dist\/server\/main\.js/.exec(command);
  if (!m) throw new Error(`no "node … dist/server/main.js" in ${JSON.stringify(command)}`);
  return m[1]!.trim().split(' ').filter(Boolean);
}

let distChecked: Promise<void> | undefined;
/**
 * Resolves once dist/ is current. In a vitest run, global-setup.ts builds it in the background and
 * names a file it writes when done; elsewhere (bench:faults), `tsc -b tsconfig.build.json` runs here
 * once per process (a no-op in ~1 s when nothing changed).
 */
export function distReady(): Promise<void> {
  distChecked ??= (async () => {
    let done: string | undefined;
    try {
      const { inject } = await import('vitest');
      done = inject('distBuildDone');
    } catch {
      done = undefined; // not in a vitest worker
    }
    if (!done) {
      const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
      return;
    }
    for (const deadline = Date.now() + 300_000; !existsSync(done); ) {
      if (Date.now() > deadline) throw new Error('dist/ was not built within 300 s (tsc -b tsconfig.build.json)');
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = JSON.parse(readFileSync(done, 'utf8')) as { code: number | string; output: string };
    if (result.code !== 0) throw new Error(`npm run build failed (${result.code}):\n${result.output}`);
  })();
  return distChecked;
}

/**
 * Node arguments that run a server entry point or CLI (`server/cli/main.ts`, a path under the
 * repository) compiled from dist/, with `npm start`'s flags.
 */
export async function compiledArgs(entry: string, ...args: string[]): Promise<string[]> {
  await distReady();
  return [...SERVER_NODE_FLAGS, join(REPO_ROOT, 'dist', entry.replace(/\.ts$/, '.js')), ...args];
}

export class CuttableProxy {
  #server?: net.Server;
  #sockets = new Set<net.Socket>();
  constructor(readonly target: { host: string; port: number }, public port = 0) {}

  static forUrl(url: string): CuttableProxy {
    const u = new URL(url);
    return new CuttableProxy({ host: u.hostname, port: Number(u.port || 5432) });
  }

  /** The URL with host and port replaced by this proxy's. */
  via(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get up(): boolean {
    return this.#server?.listening === true;
  }

  async start(): Promise<void> {
    this.#server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      this.#sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    // The same port again after a cut (it may linger a moment in the kernel).
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          this.#server!.once('error', reject);
          this.#server!.listen(this.port, '127.0.0.1', () => {
            this.#server!.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (err) {
        if (attempt > 40) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    if (!this.#server) return;
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
  }
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts the compiled server (`node --liftoff-only dist/server/main.js`, as `npm start` does) with the
 * environment given, on a free loopback port; resolves once /health/live answers (or rejects when the
 * process exits first). With `args`, runs `node --import tsx ...args` from the sources instead.
 */
export async function startServer(env: Record<string, string>, opts: { args?: string[]; timeoutMs?: number; waitReady?: boolean } = {}): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  // node itself rather than npm or the tsx binary: the child's pid is the server's own (signals and
  // kill -9 reach it, and it is the pid a DATA_DIR lock names).
  const nodeArgs = opts.args ? ['--import', 'tsx', ...opts.args] : await compiledArgs('server/main.ts');
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production', TOTP_ENCRYPTION_KEY: 'a'.repeat(64), LOG_LEVEL: 'warn', HOST: '127.0.0.1', DEMO: 'false', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const server: ServerProcess = {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    alive: () => !done,
    async stop(signal = 'SIGTERM') {
      if (!done) child.kill(signal);
      return exited;
    },
  };
  if (opts.waitReady === false) return server;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (done) throw new Error(`server exited before it was up:\n${out}`);
    try {
      const res = await fetch(`${server.base}/health/live`);
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not come up in time:\n${out}`);
}

export interface HttpSession {
  cookie: string;
  csrfToken: string;
}

/** Signs in over HTTP; returns the session cookie and CSRF token. */
export async function httpLogin(base: string, email: string, password: string): Promise<HttpSession> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.getSetCookie().find((c) => c.startsWith('lcs_session=')) ?? '').split(';')[0]!;
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

export function sessionHeaders(s: HttpSession): Record<string, string> {
  return { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
}

export interface LoopTally {
  /** Responses by status code. */
  statuses: Record<number, number>;
  /** 503 responses that were not problem+json or had no Retry-After. */
  bad503: number;
  /** Requests that were reset (ECONNRESET, socket hang up) or failed otherwise, by error code. */
  errors: Record<string, number>;
  /** Time of the first refused connection (the listener closed), ms since the loop started. */
  firstRefusedAt: number | null;
  startedAt: number;
}

/**
 * Fires requests from `concurrency` clients with keep-alive connections, one after another, until
 * stop() is called; tallies statuses and connection errors. Refused connections (ECONNREFUSED) are
 * expected once the listener has closed and are counted apart; every other error counts as a fault.
 */
export async function requestLoop(
  port: number,
  opts: {
    concurrency: number;
    /** Wait as a 503's Retry-After says before that client's next request (what a well-behaved client does). */
    honourRetryAfter?: boolean;
    request: (i: number) => { method: string; path: string; headers?: Record<string, string>; body?: string }; onResponse?: (i: number, status: number, body: string) => void },
): Promise<{ stop: () => Promise<LoopTally>; tally: LoopTally }> {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const tally: LoopTally = { statuses: {}, bad503: 0, errors: {}, firstRefusedAt: null, startedAt: Date.now() };
  let stopped = false;
  let n = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const i = n++;
      const spec = opts.request(i);
      const req = http.request({ host: '127.0.0.1', port, method: spec.method, path: spec.path, headers: spec.headers, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
          if (status === 503 && (!/problem\+json/.test(String(res.headers['content-type'])) || !res.headers['retry-after'])) tally.bad503++;
          opts.onResponse?.(i, status, body);
          const wait = Number(res.headers['retry-after']);
          if (status === 503 && opts.honourRetryAfter !== false && wait > 0) setTimeout(resolve, wait * 1000);
          else resolve();
        });
        res.on('error', (err: NodeJS.ErrnoException) => {
          tally.errors[err.code ?? err.message] = (tally.errors[err.code ?? err.message] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? err.message;
        if (code === 'ECONNREFUSED') {
          tally.firstRefusedAt ??= Date.now() - tally.startedAt;
          tally.statuses[0] = (tally.statuses[0] ?? 0) + 1; // counted as "refused", not a fault
          setTimeout(resolve, 20);
          return;
        }
        tally.errors[code] = (tally.errors[code] ?? 0) + 1;
        resolve();
      });
      req.end(spec.body);
    });
  const workers = Array.from({ length: opts.concurrency }, async () => {
    while (!stopped) await one();
  });
  return {
    tally,
    async stop() {
      stopped = true;
      await Promise.all(workers);
      agent.destroy();
      return tally;
    },
  };
}

/** Ms from now until a TCP connect to the port is refused (the listener closed), polling every 10 ms. */
export async function msUntilRefused(port: number, timeoutMs = 30_000): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
    });
    if (refused) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 10));
  }
  return null;
}
