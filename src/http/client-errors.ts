// Requests Node's HTTP parser refuses before any route sees them (a request line or headers over its 16 KiB limit,
// bytes that are not HTTP): answered as every other error is, JSON with an error_code and a message, not Node's bare
// status line with an empty body.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const REASONS: Record<string, [status: number, text: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request line and headers are larger than 16 KiB; shorten the URL (a subject name is at most 500 characters) or the headers'],
  HPE_URI_TOO_LONG: [414, 'URI Too Long', 'The URL is too long; a subject name is at most 500 characters'],
};

export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET' && !socket.bytesWritten)) {
      socket.destroy();
      return;
    }
    const [status, text, message] = REASONS[err.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP/1.1'];
    const body = JSON.stringify({ error_code: status, message });
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
