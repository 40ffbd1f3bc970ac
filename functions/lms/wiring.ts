/**
 * How the LMS parts plug into the API: service events that emit webhooks and queue grade
 * passback after every stored submission and regrade (`podlab serve`'s own wiring: local.ts).
 */
import type { ServiceEvents } from '../service/service.ts';
import type { StoredResult, SubmissionRecord } from '../storage/types.ts';
import type { LmsService } from './service.ts';

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
      // A rejected submission changes no grade; a student with no graded one yet is reported
      // to the platform as "submitted, not graded" (LmsService.sync).
      await lms.gradeChanged(record.course, record.scenario, record.student, {
        unlessGraded: r.status === 'rejected',
      });
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
