import { connect } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Milliseconds from connecting to the end of the answer's body. */
  readonly answeredAfterMs: number;
  /** Whether the server closed the connection within the wait. */
  readonly closed: boolean;
}

/**
 * Sends bytes as they are over a fresh TCP connection, for requests `fetch` will not send (declared
 * lengths it never sends, oversized headers, broken HTTP), and reads one HTTP/1.1 answer. The socket
 * stays open for writing: what was written is all the server gets. Rejects when no full answer
 * arrives within `timeoutMs`.
 */
export function rawExchange(
  port: number,
  parts: readonly (string | Buffer)[],
  timeoutMs = 5_000,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let answer: Omit<RawAnswer, 'closed'> | undefined;
    let done = false;
    const timer = setTimeout(() => {
      socket.destroy();
      if (!answer)
        reject(
          new Error(
            `no complete answer within ${timeoutMs} ms: ${received.toString('latin1').slice(0, 200)}`,
          ),
        );
    }, timeoutMs);
    const finish = (closed: boolean) => {
      if (!answer || done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...answer, closed });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (answer) return;
      answer = parseAnswer(received, started);
      // Give the server a moment to close the connection once the answer is complete.
      if (answer) setTimeout(() => finish(socket.readableEnded), 300);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => {
      if (answer) return finish(true);
      clearTimeout(timer);
      reject(new Error(`connection closed without an answer: ${received.toString('latin1').slice(0, 200)}`));
    });
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      for (const part of parts) socket.write(part);
    });
  });
}

function parseAnswer(bytes: Buffer, started: number): Omit<RawAnswer, 'closed'> | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = bytes.subarray(end + 4);
  if (body.length < length) return undefined;
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: body.subarray(0, length).toString('utf8'),
    answeredAfterMs: Date.now() - started,
  };
}
