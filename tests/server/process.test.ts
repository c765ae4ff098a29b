// The real entry point as a process (compiled, as `npm start` runs it): starts on an embedded data
// directory, shuts down gracefully on SIGTERM (exit code 0, database closed), and finds its data again
// after a restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledArgs } from '../helpers/server-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'lcs-process-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function start(): Promise<{ child: ChildProcess; port: number; logs: () => string; exit: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, await compiledArgs('server/main.ts'), {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '', DEMO: 'true', LOG_LEVEL: 'info', TEST_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A first start migrates and seeds the demo: on a busy 2-core machine that can take over 30 s.
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.status === 200) return { child, port, logs: () => out, exit };
    } catch {
      /* not yet listening */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server not ready:\n${out}`);
}

// The entry point runs on the embedded database; the PostgreSQL pass of CI skips this file.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('server process', () => {
  it('seeds the demo on first start, shuts down on SIGTERM, and keeps its data across a restart', async () => {
    const first = await start();
    expect(first.logs()).toMatch(/demo data created/);
    expect(first.logs()).toMatch(/consultant@demo\.leercultuurscan\.nl/);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.logs()).toMatch(/shutting down/);

    const second = await start();
    // Same data directory: the demo exists already, so it is not created again.
    expect(second.logs()).not.toMatch(/demo data created/);
    expect(second.logs()).toMatch(/Demo data is ready/);
    // The start-up block names the address, the docs and the demo logins.
    expect(second.logs()).toMatch(new RegExp(`App: +http://localhost:${second.port}/`));
    expect(second.logs()).toMatch(new RegExp(`API docs: +http://localhost:${second.port}/docs`));
    expect(second.logs()).toMatch(/director +directeur@demo\.leercultuurscan\.nl/);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  }, 300_000);
});
