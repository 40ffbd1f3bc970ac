/**
 * Fault injection on a REAL DynamoDB-protocol server: a middleware on the DynamoDB client
 * fails chosen calls the way AWS does (throttling before the call reaches the table, a timeout
 * after the table applied it, a conditional-check race), while every other call goes through
 * to dynalite unchanged.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** How a chosen call fails. */
export type FaultKind =
  /** ProvisionedThroughputExceededException; the call never reaches the table. */
  | 'throttle'
  /** The call reaches the table and is applied, then the client sees a TimeoutError (a lost answer). */
  | 'timeout-after-apply'
  /** A ConditionalCheckFailedException, as when a concurrent writer won; nothing applied. */
  | 'conditional';

/** A fault planned on the n-th (0-based) call counted from `arm()`. */
export interface Fault {
  call: number;
  kind: FaultKind;
}

function awsError(name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** The injector: add it once to a client, then arm it with faults before each request. */
export class FaultInjector {
  private faults: Fault[] = [];
  private count = 0;
  /** Every call's command name since the last `arm()`, with the fault applied to it if any. */
  log: { command: string; fault?: FaultKind }[] = [];

  /** Adds the middleware to `client` (first in the stack: before serialization and SDK retries). */
  install(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const n = this.count++;
        const command = String((context as { commandName?: string }).commandName ?? '?');
        const fault = this.faults.find((f) => f.call === n);
        this.log.push({ command, ...(fault ? { fault: fault.kind } : {}) });
        if (!fault) return next(args);
        switch (fault.kind) {
          case 'throttle':
            throw awsError(
              'ProvisionedThroughputExceededException',
              'The level of configured provisioned throughput for the table was exceeded.',
              400,
            );
          case 'conditional':
            throw awsError('ConditionalCheckFailedException', 'The conditional request failed', 400);
          case 'timeout-after-apply':
            await next(args);
            throw awsError('TimeoutError', 'socket hang up: the answer was lost after the write', 0);
        }
      },
      { step: 'initialize', name: 'podlabFaultInjector', priority: 'high' },
    );
  }

  /** Plans `faults` (call numbers counted from now) and clears the log. */
  arm(faults: Fault[]): void {
    this.faults = faults;
    this.count = 0;
    this.log = [];
  }
}
