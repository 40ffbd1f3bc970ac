/** The LMS of `podlab serve`: the service on the local table, its jobs in a store-backed queue. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableTransport } from '../storage/dynamo-table.ts';
import type { Repository } from '../storage/types.ts';
import { repositoryGrades } from './grades.ts';
import { StoreJobQueue } from './queues.ts';
import { yamlScorePolicy } from './score-policy.ts';
import { type JobQueue, LmsService } from './service.ts';
import { LmsStore } from './store.ts';

/** The LMS of `podlab serve`: the service on the local table and a poller over the store-backed queue. */
export function localLms(
  client: DynamoDBClient,
  table: string,
  repo: Repository,
  options: { allowPrivate: boolean; onError: (err: unknown) => void; transport?: TableTransport },
): { lms: LmsService; queue: StoreJobQueue } {
  const store = new LmsStore(client, table, options.transport);
  const queue = new StoreJobQueue(store, Date.now, options.onError);
  const lms = new LmsService({
    store,
    queue: queue as JobQueue,
    grades: repositoryGrades(repo, yamlScorePolicy),
    now: Date.now,
    random: Math.random,
    allowPrivate: options.allowPrivate,
  });
  queue.handler = (kind, ref) => (kind === 'webhook' ? lms.deliver(ref) : lms.sync(ref));
  return { lms, queue };
}
