/**
 * The AWS SDK v3 packages podlab uses, loaded with `require`.
 *
 * They are CommonJS. An ESM `import` of a CommonJS package makes Node scan its source again
 * (format detection, cjs-module-lexer for the named exports) before running it; `require` only
 * runs it. On a Lambda cold start this halves the SDK's part of the import (docs/performance.md,
 * `npm run bench -- lambda`). The SQS client, which only some requests need, is loaded on the
 * first message sent. On Lambda, `require` finds the runtime's SDK through NODE_PATH.
 */
import { createRequire } from 'node:module';
import type * as DynamoDB from '@aws-sdk/client-dynamodb';
import type * as SQS from '@aws-sdk/client-sqs';
import type * as DocumentClient from '@aws-sdk/lib-dynamodb';

const require = createRequire(import.meta.url);

/** `@aws-sdk/client-dynamodb`. */
export const dynamodb = require('@aws-sdk/client-dynamodb') as typeof DynamoDB;

/** `@aws-sdk/lib-dynamodb` (the document client). */
export const documentClient = require('@aws-sdk/lib-dynamodb') as typeof DocumentClient;

/** A message to an SQS queue; `delaySeconds` up to SQS's 900. */
export interface QueueMessage {
  queueUrl: string;
  body: string;
  delaySeconds?: number;
}

let sqsClient: SQS.SQSClient | undefined;

/** Sends one SQS message with this process's client, loading `@aws-sdk/client-sqs` on first use. */
export async function sendQueueMessage(message: QueueMessage): Promise<void> {
  const sqs = require('@aws-sdk/client-sqs') as typeof SQS;
  sqsClient ??= new sqs.SQSClient({});
  await sqsClient.send(
    new sqs.SendMessageCommand({
      QueueUrl: message.queueUrl,
      MessageBody: message.body,
      ...(message.delaySeconds === undefined ? {} : { DelaySeconds: message.delaySeconds }),
    }),
  );
}
