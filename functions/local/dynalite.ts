/**
 * An embedded dynalite (a DynamoDB-protocol server in Node, persisted with LevelDB when given
 * a directory) on a free loopback port, with a client pointed at it. Used by `podlab serve`
 * and the tests.
 */
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { dynamodb } from '../aws-sdk.ts';
import { inProcessHandler, type RequestListener } from '../storage/in-process-handler.ts';

/** A running local DynamoDB-protocol server. */
export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** Destroys the client, stops the server and closes the store (waits for pending writes). */
  close(): Promise<void>;
}

/**
 * A DynamoDB client for a local endpoint (fixed dummy credentials, no retries beyond 3). With
 * `listener` (the embedded server's own request listener) requests skip the socket.
 */
export function localClient(endpoint: string, listener?: RequestListener): DynamoDBClient {
  return new dynamodb.DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
    requestHandler: listener
      ? inProcessHandler(listener)
      : // Loopback: enough sockets that 50 concurrent requests (3 calls each) do not queue.
        { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) },
  });
}

/**
 * Starts dynalite on 127.0.0.1 and a free port; `path` persists the data (in memory without).
 * The port serves other processes (`podlab token` next to a running server); the returned
 * client calls the server's request listener in-process (docs/performance.md).
 */
export async function startDynalite(path?: string): Promise<LocalDynamo> {
  const server = dynalite({
    ...(path ? { path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint, server.listeners('request')[0] as RequestListener);
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    client,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        client.destroy();
        server.close((err?: Error | null) => (err ? reject(err) : resolve()));
        // Keep-alive sockets of the destroyed client would hold close() open.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      return closed;
    },
  };
}
