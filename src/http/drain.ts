// Stopping without cutting anyone off. Node's own `server.close()` also closes every connection with no request in
// progress, and that includes one accepted a moment ago whose request is still on the wire, and a keep-alive
// connection whose client is sending its next request: both clients see ECONNRESET. Here a stop lets them finish.
import type { Server as HttpServer, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

interface Connection {
  /** Responses in progress on this connection (HTTP/1.1 pipelining aside, at most one). */
  responses: Set<ServerResponse>;
  /** While draining: closes the connection if no request arrives in time. */
  idleTimer?: NodeJS.Timeout;
}

export interface Drainable {
  /**
   * Stops accepting connections and closes each open one once it has no request in progress: a request in progress,
   * or one arriving within `idleGraceMs` on an open connection, is answered (with `Connection: close`) first. After
   * `graceMs`, whatever is still open is cut.
   */
  drain(options?: { graceMs?: number; idleGraceMs?: number }): Promise<void>;
}

/** Tracks `server`'s connections from now on, so that it can later be drained. */
export function drainable(server: HttpServer): Drainable {
  const connections = new Map<Socket, Connection>();
  let draining: { idleGraceMs: number } | undefined;

  const closeWhenIdle = (socket: Socket, connection: Connection) => {
    if (!draining || connection.responses.size > 0) return;
    clearTimeout(connection.idleTimer);
    const bytesBefore = socket.bytesRead;
    connection.idleTimer = setTimeout(
      // Timers run before the event loop reads sockets: after a stall longer than the grace (GC, a long query, a
      // loaded host) a request may be waiting unread. One poll phase first lets it arrive; bytes that did arrive
      // mean a request is on its way, so the wait starts again (the deadline still bounds it).
      () =>
        setImmediate(() => {
          if (connection.responses.size > 0) return;
          if (socket.bytesRead !== bytesBefore) closeWhenIdle(socket, connection);
          else socket.end();
        }),
      draining.idleGraceMs,
    );
  };

  server.on('connection', (socket: Socket) => {
    const connection: Connection = { responses: new Set() };
    connections.set(socket, connection);
    socket.once('close', () => {
      clearTimeout(connection.idleTimer);
      connections.delete(socket);
    });
    closeWhenIdle(socket, connection);
  });

  // Before the server's own handler, which may answer at once: the answer must already know it is the last.
  server.prependListener('request', (request, response: ServerResponse) => {
    const socket = request.socket;
    const connection = connections.get(socket);
    if (!connection) return;
    clearTimeout(connection.idleTimer);
    connection.responses.add(response);
    if (draining && !response.headersSent) response.setHeader('connection', 'close');
    response.once('close', () => {
      connection.responses.delete(response);
      closeWhenIdle(socket, connection);
    });
  });

  return {
    // 8 s by default: under Docker's and Kubernetes' 10 s before SIGKILL, leaving time to close the database.
    async drain({ graceMs = 8_000, idleGraceMs = 1_000 } = {}) {
      draining = { idleGraceMs };
      // One more turn of the event loop before the listening socket closes, so that a connection the kernel has
      // accepted and queued meanwhile is taken and served rather than reset with the socket.
      await new Promise((resolve) => setImmediate(resolve));
      // net's close, not http's: http's also closes every connection without a request in progress, at once. It also
      // stops http's timer that checks connections for timeouts, which net's close leaves running: stopped here.
      const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      const checking = Object.getOwnPropertySymbols(server).find((s) => s.description === 'http.server.connectionsCheckingInterval');
      if (checking) clearInterval((server as unknown as Record<symbol, NodeJS.Timeout>)[checking]);
      for (const [socket, connection] of connections) {
        for (const response of connection.responses) if (!response.headersSent) response.setHeader('connection', 'close');
        closeWhenIdle(socket, connection);
      }
      const deadline = setTimeout(() => {
        for (const socket of connections.keys()) socket.destroy();
      }, graceMs);
      await closed;
      clearTimeout(deadline);
    },
  };
}
