import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { genericProblem, PROBLEM_CONTENT_TYPE } from './problem-details';

const ANSWERS: Readonly<Record<string, { status: number; detail: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'the request line and headers exceed 16 KiB' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, detail: 'the chunk extensions of the request are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'the request was not received in time' },
};
const MALFORMED = { status: 400, detail: 'the request is not well-formed HTTP/1.1' };

/** What Node's HTTP server leaves on the socket: the response in flight, if any. */
interface HttpSocket extends Duplex {
  readonly _httpMessage?: { readonly headersSent?: boolean } | null;
}

/**
 * `clientError` listener of the HTTP server: a request Node refuses before Express sees it (headers
 * over 16 KiB, malformed HTTP, a request that took too long) gets the same problem+json answer as any
 * other error, where Node would send a bare status line. The socket is then closed, as Node does.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as HttpSocket)._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, detail } = ANSWERS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify(genericProblem(status, detail));
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
      `Content-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
    () => socket.destroy(),
  );
}
