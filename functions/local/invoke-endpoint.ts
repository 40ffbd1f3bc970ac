/**
 * A loopback endpoint of the Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`,
 * RequestResponse) that runs a handler of this process: point `AWS_ENDPOINT_URL_LAMBDA` at it and
 * the API function's bundle grades through the real grader handler outside AWS (tests, bench).
 * An exception in the handler answers as Lambda does: 200 with `X-Amz-Function-Error: Unhandled`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running invoke endpoint. */
export interface InvokeEndpoint {
  endpoint: string;
  /** Invocations served, by function name. */
  invocations: Map<string, number>;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Serves `handlers` (by function name) on 127.0.0.1 and a free port. */
export async function startInvokeEndpoint(
  handlers: Record<string, (event: unknown) => Promise<unknown>>,
): Promise<InvokeEndpoint> {
  const invocations = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = INVOKE_PATH.exec(req.url ?? '');
      const name = m ? decodeURIComponent(m[1]!) : '';
      const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
      if (req.method !== 'POST' || !handler) {
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ResourceNotFoundException',
        });
        res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
        return;
      }
      invocations.set(name, (invocations.get(name) ?? 0) + 1);
      const reply = (status: number, body: unknown, error?: string) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-amz-executed-version': '$LATEST',
          ...(error ? { 'x-amz-function-error': error } : {}),
        });
        res.end(JSON.stringify(body ?? null));
      };
      let event: unknown;
      try {
        event = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      } catch {
        reply(400, { Type: 'User', message: 'Could not parse request body into json' });
        return;
      }
      handler(event).then(
        (out) => reply(200, out),
        (err: unknown) =>
          reply(
            200,
            { errorType: 'Error', errorMessage: err instanceof Error ? err.message : String(err) },
            'Unhandled',
          ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
