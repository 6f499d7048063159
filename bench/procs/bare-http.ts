import { createServer } from 'node:http';

/**
 * The API benchmark's physical limit: a bare Node `http` server answering the trivial route's JSON
 * (`{"ok":true}`), no framework, no middleware. It listens on HOST:PORT, tells the parent it is ready
 * over IPC and exits on `stop` or when the parent goes away.
 */
const BODY = JSON.stringify({ ok: true });
const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(Buffer.byteLength(BODY)),
};

const server = createServer((_request, response) => {
  response.writeHead(200, HEADERS);
  response.end(BODY);
});

const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};

server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1', () => {
  process.send?.({ type: 'ready', pid: process.pid });
});
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') stop();
});
process.on('disconnect', stop);
