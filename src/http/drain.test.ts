// Draining over real sockets: what Node's own server.close() cuts off (a connection open but idle when the stop comes,
// whose client then sends its request) is answered; a connection that stays idle is closed; a slow response finishes.
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drainable, type Drainable } from './drain.js';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server = undefined;
});

/** A server answering `/slow` after 300 ms and anything else at once. */
async function start(): Promise<{ port: number; stopping: Drainable }> {
  server = createServer((req, res) => {
    const answer = () => res.end(`ok ${req.url}`);
    if (req.url === '/slow') setTimeout(answer, 300);
    else answer();
  });
  const stopping = drainable(server);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, stopping };
}

/** A raw HTTP/1.1 keep-alive connection, so the test decides exactly when each request is sent. */
async function openConnection(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

function send(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (/\r\n\r\nok \S+$/.test(text)) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`);
  });
}

const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));

describe('drainable', () => {
  it('answers a request sent on an open, idle connection just after the stop, with Connection: close', async () => {
    const { port, stopping } = await start();
    const socket = await openConnection(port);
    expect(await send(socket, '/first')).toMatch(/keep-alive/i); // now idle, kept alive
    const fresh = await openConnection(port); // accepted, nothing sent yet
    const drained = stopping.drain({ idleGraceMs: 2_000 });
    for (const [s, path] of [[socket, '/second'], [fresh, '/first-on-fresh']] as const) {
      const answer = await send(s, path);
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(answer).toMatch(/connection: close/i);
      await closed(s);
    }
    await drained;
  });

  it('lets a slow response in progress finish, and closes an idle connection after the grace', async () => {
    const { port, stopping } = await start();
    const busy = await openConnection(port);
    const idle = await openConnection(port);
    const slow = send(busy, '/slow');
    await new Promise((r) => setTimeout(r, 50)); // the request is in progress
    const drained = stopping.drain({ idleGraceMs: 100 });
    expect(await slow).toMatch(/connection: close\r\n[\s\S]*ok \/slow$/i);
    await closed(idle);
    await drained;
    // Nothing listens any more.
    await expect(openConnection(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('cuts whatever is still open when the grace period ends', async () => {
    const { port, stopping } = await start();
    const socket = await openConnection(port);
    socket.write('GET /never-finished HTTP/1.1\r\nHost: x\r\n'); // headers never end: the request never starts
    await stopping.drain({ graceMs: 200, idleGraceMs: 10_000 });
    await closed(socket);
  });
});
