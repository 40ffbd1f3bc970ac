/**
 * An SQS work queue with its dead-letter queue: what a worker could not process after
 * `maxReceiveCount` receives is kept for 14 days for an operator to inspect and redrive,
 * never dropped.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of {@link WorkQueue}. */
export interface WorkQueueProps {
  /** At least six times the consuming function's timeout (AWS's advice for Lambda event sources). */
  readonly visibilityTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** How long an unconsumed message is kept; four days unless stated. */
  readonly retentionPeriod?: Duration;
}

/** Retention of every dead-letter queue: SQS's maximum, 14 days. */
export const DLQ_RETENTION = Duration.days(14);

/** A queue and its dead-letter queue, both SSE-SQS encrypted and TLS-only. */
export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: DLQ_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
