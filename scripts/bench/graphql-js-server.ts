/**
 * The reference the HTTP comparison measures claimgraph against: graphql-js `execute` behind
 * node:http, on claimgraph's own schema, database, services and per-request context (a unit of
 * work, loaders, the verified token), but without Apollo Server and Express. Each distinct query
 * string is parsed and validated once; every request then only executes. Reports `{ ready: url }`
 * once listening and exits on `'stop'`.
 */
import 'reflect-metadata';
import { answerProfileMessages } from './measured-profile';
import { type DocumentNode, type ExecutionResult, execute, GraphQLError, parse, validate } from 'graphql';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenVerifier } from '../../src/auth/token-verifier';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/orm';
import { NotificationFeed } from '../../src/services/notifications/notification-feed';
import { ClaimEventFeed } from '../../src/services/events/claim-event-feed';
import { InProcessNotifier } from '../../src/services/events/in-process-notifier';
import { systemClock } from '../../src/services/common/clock';
import { Services } from '../../src/services/services';
import { createLogger } from '../../src/server/logger';
import { requestContext } from '../../src/server/request-context';
import { buildClaimgraphSchema } from '../../src/server/schema';

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const orm = await openDatabase(config);
  const schema = await buildClaimgraphSchema();
  // Services want the feeds of subscriptions, which this server does not serve: never started.
  const notifier = new InProcessNotifier();
  const feed = new ClaimEventFeed(orm, notifier, createLogger('silent'), 0);
  const notificationFeed = new NotificationFeed(orm, notifier, createLogger('silent'), 0, 0);
  const services = new Services(config, systemClock, feed, notificationFeed);
  const verifier = new TokenVerifier(config.auth);
  /** Parsed and validated documents (or their errors) by query string. */
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const documentFor = (query: string) => {
    let document = documents.get(query);
    if (!document) {
      try {
        const parsed = parse(query);
        const errors = validate(schema, parsed);
        document = errors.length > 0 ? errors : parsed;
      } catch (error) {
        document = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
      }
      documents.set(query, document);
    }
    return document;
  };

  const answer = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    let result: ExecutionResult;
    try {
      const { query, variables, operationName } = JSON.parse(await readBody(request));
      const document = documentFor(String(query));
      result =
        'kind' in document
          ? await execute({
              schema,
              document,
              variableValues: variables,
              operationName,
              contextValue: requestContext(
                orm,
                services,
                await verifier.authenticate(request.headers.authorization),
              ),
            })
          : { errors: document };
    } catch (error) {
      result = { errors: [new GraphQLError(error instanceof Error ? error.message : String(error))] };
    }
    const json = JSON.stringify(result);
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
    });
    response.end(json);
  };
  const server = http.createServer((request, response) => void answer(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // Should the bench die without stopping it, the server goes too.
  process.on('disconnect', () => process.exit(1));
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    if (message !== 'stop') return;
    server.closeAllConnections();
    server.close(() => void orm.close().then(() => process.exit(0)));
  });
  answerProfileMessages('graphql-js');
  process.send?.({ ready: `http://127.0.0.1:${port}/graphql` });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
