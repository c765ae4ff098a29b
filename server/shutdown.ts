// Graceful shutdown of a listening app without resetting anyone's request, also for clients that
// ignore Retry-After and keep sending. On the signal:
// 1. drain (SHUTDOWN_DRAIN_MS): whatever arrives is answered 503 problem+json with Retry-After (the
//    errors plugin) on a connection that stays open, so clients keep reusing the connections they have
//    instead of opening new ones;
// 2. the listening socket closes once no new connection has come in for a moment (bounded): closing
//    it resets every connection the kernel queued but Node had not accepted yet, so it is done while
//    nobody is connecting. Only the listening socket: http.Server#close would also destroy "idle"
//    connections, among them one accepted an instant ago whose request is still on its way;
// 3. from then on every response closes its connection (`Connection: close`: the client knows not to
//    reuse it, and its next connect is refused, not reset); connections that stay idle are ended once
//    they have been idle for a second; requests in progress finish; then the app closes (workers, queue,
//    database).
import net, { type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  /** How long new requests are still accepted (and answered 503) before the listener closes. */
  drainMs: number;
}

/**
 * A connection without a request in progress for this long is closed during shutdown. Not shorter:
 * on a loaded server a request can sit unread in the socket for a while, and ending a connection
 * that has unread bytes resets it; a client that keeps sending gets `Connection: close` instead.
 */
const IDLE_CLOSE_MS = 1000;
/** The listener closes after this long without a new connection... */
const QUIET_MS = 40;
/** ...or after this long at most, once the drain is over. */
const QUIET_MAX_MS = 200;

interface Tracked {
  busy: number;
  lastActive: number;
}

/** Call before listen: follows each connection's requests, so shutdown knows which ones are idle. */
export function prepareShutdown(app: FastifyInstance): (opts: ShutdownOptions) => Promise<void> {
  const server = app.server;
  const connections = new Map<Socket, Tracked>();
  let lastConnectionAt = 0;
  server.on('connection', (socket: Socket) => {
    lastConnectionAt = Date.now();
    connections.set(socket, { busy: 0, lastActive: lastConnectionAt });
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
    app.lifecycle.keepConnections = true;
    app.lifecycle.closing = true;
    if (server.listening) {
      if (opts.drainMs > 0) await new Promise((r) => setTimeout(r, opts.drainMs));
      const quietUntil = Date.now() + QUIET_MAX_MS;
      while (Date.now() - lastConnectionAt < QUIET_MS && Date.now() < quietUntil) await new Promise((r) => setTimeout(r, 5));
      await new Promise<void>((resolve) => {
        // The callback runs once the listener is closed and every connection has ended.
        net.Server.prototype.close.call(server, () => {
          clearInterval(reaper);
          resolve();
        });
        app.lifecycle.keepConnections = false;
        const reap = () => {
          const now = Date.now();
          for (const [socket, t] of connections) {
            if (t.busy === 0 && now - t.lastActive >= IDLE_CLOSE_MS) socket.end();
          }
        };
        const reaper = setInterval(reap, 50);
        reap();
      });
    }
    app.lifecycle.keepConnections = false;
    await app.close();
  };
}
