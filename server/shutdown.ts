// Graceful shutdown of a listening app without resetting anyone's request. On the signal:
// 1. closing: whatever arrives is answered 503 problem+json with Retry-After and `Connection: close`
//    (the errors plugin), and every other response closes its connection too, so clients stop reusing
//    keep-alive connections to this instance;
// 2. after a short drain (SHUTDOWN_DRAIN_MS), the listener closes: no new connections;
// 3. connections that stay idle are closed once they have been idle a moment (a connection accepted
//    an instant ago whose request is still on its way counts as idle to Node's closeIdleConnections,
//    and closing it would reset that request); requests in progress finish; then the app closes
//    (workers, queue, database).
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  /** How long new requests are still accepted (and answered 503) before the listener closes. */
  drainMs: number;
}

/** A connection without a request in progress for this long is closed during shutdown. */
const IDLE_CLOSE_MS = 150;

interface Tracked {
  busy: number;
  lastActive: number;
}

/** Call before listen: follows each connection's requests, so shutdown knows which ones are idle. */
export function prepareShutdown(app: FastifyInstance): (opts: ShutdownOptions) => Promise<void> {
  const server = app.server;
  const connections = new Map<Socket, Tracked>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { busy: 0, lastActive: Date.now() });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req, res) => {
    const t = connections.get(req.socket);
    if (!t) return;
    t.busy++;
    t.lastActive = Date.now();
    res.once('close', () => {
      t.busy--;
      t.lastActive = Date.now();
    });
  });

  return async (opts) => {
    app.lifecycle.closing = true;
    if (server.listening) {
      if (opts.drainMs > 0) await new Promise((r) => setTimeout(r, opts.drainMs));
      await new Promise<void>((resolve) => {
        const reap = () => {
          const now = Date.now();
          for (const [socket, t] of connections) {
            if (t.busy === 0 && now - t.lastActive >= IDLE_CLOSE_MS) socket.end();
          }
        };
        const reaper = setInterval(reap, 50);
        server.close(() => {
          clearInterval(reaper);
          resolve();
        });
        reap();
      });
    }
    await app.close();
  };
}
