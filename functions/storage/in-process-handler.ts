/**
 * An AWS SDK v3 request handler that hands each signed request to a Node HTTP request listener
 * in the same process (the embedded dynalite's) instead of a socket. The client still builds,
 * signs and parses real DynamoDB JSON-protocol requests and the listener still validates them:
 * only the loopback HTTP client, the TCP round trip and the HTTP server parser go away, which
 * were the largest share of CPU per submission on `podlab serve` (docs/performance.md).
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the SDK hands a request handler (the fields of @smithy/protocol-http's HttpRequest used here). */
export interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** What a request handler returns to the SDK (the shape of @smithy/protocol-http's HttpResponse). */
export interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** A Node `request` listener, as `http.createServer(listener)` takes it. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** The request handler interface of the AWS SDK v3 clients (`requestHandler` option). */
export interface InProcessHandler {
  metadata: { handlerProtocol: string };
  handle(
    request: SdkHttpRequest,
    options?: { abortSignal?: { aborted: boolean } },
  ): Promise<{ response: SdkHttpResponse }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

/** A request handler that calls `listener` directly with a minimal request and response. */
export function inProcessHandler(listener: RequestListener): InProcessHandler {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    handle(request, options) {
      if (options?.abortSignal?.aborted) return Promise.reject(abortError());
      return new Promise((resolve, reject) => {
        const body = bodyBytes(request.body);
        const req = new EventEmitter() as EventEmitter & Record<string, unknown>;
        req.method = request.method;
        req.url = pathWithQuery(request);
        req.headers = lowerCaseKeys(request.headers);
        const headers: Record<string, string> = {};
        const res = {
          statusCode: 200,
          setHeader(name: string, value: number | string) {
            headers[name.toLowerCase()] = String(value);
          },
          end(chunk?: string | Uint8Array) {
            resolve({
              response: {
                statusCode: res.statusCode,
                headers,
                body: typeof chunk === 'string' ? Buffer.from(chunk) : (chunk ?? new Uint8Array()),
              },
            });
          },
        };
        try {
          listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
        } catch (err) {
          reject(err);
          return;
        }
        // Like a socket: the body arrives after the listener has attached its handlers.
        process.nextTick(() => {
          if (body.length > 0) req.emit('data', body);
          req.emit('end');
        });
      });
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('in-process handler: streaming request bodies are not supported');
}

function pathWithQuery(request: SdkHttpRequest): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(request.query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one ?? '');
  }
  const s = q.toString();
  return s ? `${request.path}?${s}` : request.path;
}

function lowerCaseKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

function abortError(): Error {
  const err = new Error('Request aborted');
  err.name = 'AbortError';
  return err;
}
