// PostgreSQL goes away and comes back: requests answer 503 with Retry-After meanwhile, the process
// stays up, and the server recovers by itself. Runs when TEST_DATABASE_URL is set.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import type { FastifyInstance } from 'fastify';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/database.js';

/** A TCP proxy to PostgreSQL that can be cut (all connections dropped, new ones refused) and restored. */
class CuttableProxy {
  #server?: net.Server;
  #sockets = new Set<net.Socket>();
  constructor(readonly target: { host: string; port: number }, public port = 0) {}

  async start() {
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
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  async cut() {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
  }
}

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL outage and recovery', () => {
  let t: TestDatabase;
  let proxy: CuttableProxy;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestDatabase();
    const url = new URL(t.url!);
    proxy = new CuttableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    app = await buildApp({ config: testConfig({ DATABASE_URL: url.toString(), DB_CONNECT_TIMEOUT_MS: '500' }), migrate: false });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('answers 503 while the database is away and recovers when it returns', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);

    await proxy.cut();
    const down = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.json()).toMatchObject({ code: 'database_unavailable' });
    // The process is still up.
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);

    await proxy.start(); // same port again
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    await proxy.cut();
  });
});
