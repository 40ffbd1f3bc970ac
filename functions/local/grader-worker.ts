/**
 * One grading worker of `podlab serve` (grader-pool.ts): answers each JSON request of the grader
 * protocol (functions/grader/protocol.ts) with the grader function's handler, as JSON.
 */
import { parentPort } from 'node:worker_threads';
import { handler } from '../grader/lambda.ts';

const port = parentPort;
if (!port) throw new Error('grader-worker.ts runs as a worker thread of the grader pool');

// The handler turns podlab's failures into {internalError}; anything else it throws ends this
// worker (an unhandled rejection), which the pool answers as an internal failure and replaces.
port.on('message', async (payload: string) => {
  port.postMessage(JSON.stringify(await handler(JSON.parse(payload))));
});
