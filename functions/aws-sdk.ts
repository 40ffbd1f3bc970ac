/**
 * The AWS SDK v3 packages podlab uses, loaded with `require`.
 *
 * They are CommonJS. An ESM `import` of a CommonJS package makes Node scan its source again
 * (format detection, cjs-module-lexer for the named exports) before running it; `require` only
 * runs it. On a Lambda cold start this halves the SDK's part of the import (docs/performance.md,
 * `npm run bench -- lambda`). The SQS and Lambda clients, which only some requests need, are
 * loaded on first use. On Lambda, `require` finds the runtime's SDK through NODE_PATH.
 */
import { createRequire } from 'node:module';
import type * as DynamoDB from '@aws-sdk/client-dynamodb';
import type * as Lambda from '@aws-sdk/client-lambda';
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

let sqs: { pkg: typeof SQS; client: SQS.SQSClient } | undefined;

/** Sends one SQS message with this process's client, loading `@aws-sdk/client-sqs` on first use. */
export async function sendQueueMessage(message: QueueMessage): Promise<void> {
  if (!sqs) {
    const pkg = require('@aws-sdk/client-sqs') as typeof SQS;
    sqs = { pkg, client: new pkg.SQSClient({}) };
  }
  await sqs.client.send(
    new sqs.pkg.SendMessageCommand({
      QueueUrl: message.queueUrl,
      MessageBody: message.body,
      ...(message.delaySeconds === undefined ? {} : { DelaySeconds: message.delaySeconds }),
    }),
  );
}

let lambda: { pkg: typeof Lambda; client: Lambda.LambdaClient } | undefined;

/**
 * Invokes a Lambda function synchronously with a JSON payload and returns its JSON answer,
 * loading `@aws-sdk/client-lambda` on first use. A function error (an exception in the
 * function, a timeout) is thrown with the function's own message.
 */
export async function invokeFunction(functionName: string, payload: string): Promise<string> {
  if (!lambda) {
    const pkg = require('@aws-sdk/client-lambda') as typeof Lambda;
    lambda = { pkg, client: new pkg.LambdaClient({}) };
  }
  const out = await lambda.client.send(
    new lambda.pkg.InvokeCommand({
      FunctionName: functionName,
      Payload: new TextEncoder().encode(payload),
    }),
  );
  const text = new TextDecoder().decode(out.Payload ?? new Uint8Array());
  if (out.FunctionError) {
    let message = text;
    try {
      message = String((JSON.parse(text) as { errorMessage?: unknown }).errorMessage ?? text);
    } catch {
      // not JSON: keep the raw text
    }
    throw new Error(`${functionName} failed (${out.FunctionError}): ${message}`);
  }
  return text;
}
