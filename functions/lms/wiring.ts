/**
 * How the LMS parts plug into the API: service events that emit webhooks and queue grade
 * passback after every stored submission and regrade, and the local (store-backed) job queue.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ServiceEvents } from '../service/service.ts';
import type { Repository, StoredResult, SubmissionRecord } from '../storage/types.ts';
import { repositoryGrades } from './grades.ts';
import { StoreJobQueue } from './queues.ts';
import { type JobQueue, LmsService } from './service.ts';
import { LmsStore } from './store.ts';

function thinData(
  record: SubmissionRecord,
  result: StoredResult,
  publicUrl: string | undefined,
): Record<string, unknown> {
  return {
    submission_id: record.id,
    student: record.student,
    scenario: record.scenario,
    scenario_version: result.scenarioVersion,
    status: result.status,
    score: result.score,
    max_score: result.maxScore,
    attempt: record.attempt,
    result_url: `${publicUrl ?? ''}/v1/submissions/${encodeURIComponent(record.id)}`,
  };
}

/** Service events that tell the LMS about submissions and regrades. */
export function lmsEvents(
  lms: LmsService,
  options: { publicUrl?: string; onError?: (err: unknown) => void } = {},
): ServiceEvents {
  return {
    async submitted(record) {
      const r = record.current;
      await lms.emit(
        record.course,
        r.status === 'graded' ? 'submission.graded' : 'submission.rejected',
        record.id,
        thinData(record, r, options.publicUrl),
      );
      if (r.status === 'graded') await lms.gradeChanged(record.course, record.scenario, record.student);
    },
    async regraded(record, result) {
      await lms.gradeChanged(record.course, record.scenario, record.student);
      await lms.emit(
        record.course,
        'submission.graded',
        `${record.id} ${result.scenarioVersion}`,
        thinData(record, result, options.publicUrl),
      );
    },
    async regradeCompleted(course, scenario, report) {
      await lms.emit(course, 'regrade.completed', `${course} ${scenario} ${report.version}`, {
        scenario,
        scenario_version: report.version,
        processed: report.processed,
        regraded: report.regraded,
        unchanged: report.unchanged,
        failed: report.failed.length,
      });
    },
    ...(options.onError ? { onError: options.onError } : {}),
  };
}

/** The LMS of `podlab serve`: the service on the local table and a poller over the store-backed queue. */
export function localLms(
  client: DynamoDBClient,
  table: string,
  repo: Repository,
  options: { allowPrivate: boolean; onError: (err: unknown) => void },
): { lms: LmsService; queue: StoreJobQueue } {
  const store = new LmsStore(client, table);
  const queue = new StoreJobQueue(store, Date.now, options.onError);
  const lms = new LmsService({
    store,
    queue: queue as JobQueue,
    grades: repositoryGrades(repo),
    now: Date.now,
    random: Math.random,
    allowPrivate: options.allowPrivate,
  });
  queue.handler = (kind, ref) => (kind === 'webhook' ? lms.deliver(ref) : lms.sync(ref));
  return { lms, queue };
}
