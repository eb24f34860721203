/**
 * The floor of the HTTP comparison: node:http reading the request and answering with a fixed JSON
 * body (BENCH_RESPONSE_BODY, the answer claimgraph gave to the same request). Reports
 * `{ ready: url }` once listening and exits on `'stop'`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerProfileMessages } from './measured-profile';

const body = Buffer.from(process.env.BENCH_RESPONSE_BODY ?? '{}');

const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    response.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  answerProfileMessages('raw');
  process.send?.({ ready: `http://127.0.0.1:${port}/graphql` });
});

// Should the bench die without stopping it, the server goes too.
process.on('disconnect', () => process.exit(1));

process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
