/**
 * Grade passback per the scenario's score policy, with a per-student sync status.
 */
import { nextDelayMs } from './delivery.ts';
import type { LaunchService } from './launch-service.ts';
import { AgsClient, nextScoreTimestamp, PlatformError, type Score, TokenClient } from './lti.ts';
import { iso, type LmsDeps } from './service-common.ts';
import { parseSyncRef, type SyncStatus, syncRef } from './store.ts';
import type { WebhookService } from './webhook-service.ts';

/** Grade passback through LTI AGS; a failed sync is emitted as a webhook. */
export class PassbackService {
  constructor(
    private readonly deps: LmsDeps,
    private readonly webhooks: WebhookService,
    private readonly launches: LaunchService,
  ) {}

  /**
   * A student's grade for a scenario changed: queue a sync if the student came from an LMS.
   * `unlessGraded`: only when no score was sent for the student yet (a rejected submission).
   */
  async gradeChanged(
    course: string,
    scenario: string,
    student: string,
    options: { unlessGraded?: boolean } = {},
  ): Promise<boolean> {
    if (!(await this.deps.store.getGradeTarget(course, scenario, student))) return false;
    const prev = await this.deps.store.getSyncStatus(course, scenario, student);
    if (options.unlessGraded && prev?.scoreGiven !== undefined) return false;
    const now = this.deps.now();
    await this.deps.store.putSyncStatus(
      {
        ...(prev ?? { attempts: 0 }),
        course,
        scenario,
        student,
        state: 'pending',
        updatedAt: iso(now),
        attempts: 0,
      },
      now,
    );
    await this.deps.queue.enqueue('passback', syncRef(course, scenario, student), 0);
    return true;
  }

  /** Queues a sync for one student, or every student of the scenario who came from an LMS. */
  async resync(course: string, scenario: string, student?: string): Promise<number> {
    if (student) return (await this.gradeChanged(course, scenario, student)) ? 1 : 0;
    let n = 0;
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.listGradeTargets(course, scenario, cursor);
      for (const t of page.items) if (await this.gradeChanged(course, scenario, t.student)) n++;
      cursor = page.cursor;
    } while (cursor);
    return n;
  }

  /** Per-student sync status of a scenario. */
  async syncStatus(
    course: string,
    scenario: string,
    cursor?: string,
  ): Promise<{ items: SyncStatus[]; cursor?: string }> {
    return this.deps.store.listSyncStatus(course, scenario, cursor);
  }

  /** Sends one student's score to the platform; the passback worker's job. */
  async sync(ref: string): Promise<SyncStatus['state'] | 'nothing'> {
    const { course, scenario, student } = parseSyncRef(ref);
    const store = this.deps.store;
    const target = await store.getGradeTarget(course, scenario, student);
    const status = await store.getSyncStatus(course, scenario, student);
    if (!target || !status || status.state === 'synced' || status.state === 'failed') return 'nothing';
    const info = await this.deps.grades.scenario(course, scenario);
    const results = await this.deps.grades.results(course, scenario, student);
    const now = this.deps.now();
    const fail = async (message: string, transient: boolean): Promise<SyncStatus['state']> => {
      const attempts = status.attempts + 1;
      const delay = transient ? nextDelayMs(attempts, this.deps.random()) : undefined;
      const state = delay === undefined ? 'failed' : 'retrying';
      await store.putSyncStatus(
        { ...status, state, message, attempts, updatedAt: iso(now) },
        delay === undefined ? undefined : now + delay,
      );
      if (delay !== undefined) await this.deps.queue.enqueue('passback', ref, delay);
      else
        await this.webhooks.emit(course, 'grade.sync_failed', `${ref} ${status.updatedAt} ${attempts}`, {
          scenario,
          student,
          reason: message,
        });
      return state;
    };
    if (!info) return fail('the scenario no longer exists', false);
    if (results.length === 0) return fail('the student has no submission to send', false);
    // A rejected submission uses no attempt, so it never stands for the student's grade; with
    // only rejected ones, the platform learns the work was submitted but could not be graded.
    const graded = results.filter((r) => r.status === 'graded');
    const chosen =
      graded.length === 0
        ? undefined
        : info.scorePolicy === 'latest'
          ? graded.reduce((a, b) => (b.createdAt > a.createdAt ? b : a))
          : graded.reduce((a, b) =>
              b.score > a.score || (b.score === a.score && b.createdAt > a.createdAt) ? b : a,
            );
    const maxScore = chosen?.maxScore ?? results[0]!.maxScore;
    const reg = await store.getRegistration(target.issuer, target.clientId, target.deploymentId);
    if (!reg) return fail('the platform registration was removed', false);
    const tokens = new TokenClient(await this.launches.toolKey(), this.deps.fetch, this.deps.now);
    const ags = new AgsClient(tokens, this.deps.fetch);
    const findLineItem = () =>
      ags.lineItem(
        reg,
        { ...(target.lineitems ? { lineitems: target.lineitems } : {}), scope: [] },
        {
          ...(target.resourceLinkId ? { resourceLinkId: target.resourceLinkId } : {}),
          label: info.title,
          scoreMaximum: maxScore,
          tag: `podlab:${scenario}`,
        },
      );
    try {
      let lineitem = target.lineitem ?? (await findLineItem());
      if (!target.lineitem) await store.putGradeTarget({ ...target, lineitem });
      const timestamp = nextScoreTimestamp(now, status.lastTimestamp);
      const attempts = `${results.length} submission${results.length === 1 ? '' : 's'}`;
      const score: Score = chosen
        ? {
            userId: target.sub,
            scoreGiven: chosen.score,
            scoreMaximum: chosen.maxScore,
            timestamp,
            comment: `podlab: ${chosen.score}/${chosen.maxScore} (${info.scorePolicy} of ${graded.length} graded, ${attempts})`,
          }
        : {
            userId: target.sub,
            activityProgress: 'Submitted',
            gradingProgress: 'Failed',
            timestamp,
            comment: `podlab: not graded: kubectl would not apply the submitted manifests (${attempts})`,
          };
      try {
        await ags.postScore(reg, lineitem, score);
      } catch (err) {
        // The line item was deleted on the platform (an instructor removed the column): find or
        // create the link's line item again through the line items service, once.
        if (!(err instanceof PlatformError && err.status === 404 && target.lineitems)) throw err;
        lineitem = await findLineItem();
        await store.putGradeTarget({ ...target, lineitem });
        await ags.postScore(reg, lineitem, score);
      }
      if (!chosen) {
        await store.putSyncStatus({
          ...status,
          state: 'synced',
          lastTimestamp: timestamp,
          lineitem,
          attempts: status.attempts + 1,
          updatedAt: iso(now),
          message: 'sent "submitted, not graded": every submission was rejected',
        });
        return 'synced';
      }
      await store.putSyncStatus({
        ...status,
        state: 'synced',
        scoreGiven: chosen.score,
        scoreMaximum: chosen.maxScore,
        submissionId: chosen.submissionId,
        lastTimestamp: timestamp,
        lineitem,
        attempts: status.attempts + 1,
        updatedAt: iso(now),
        message: `sent ${chosen.score}/${chosen.maxScore}`,
      });
      await this.webhooks.emit(course, 'grade.synced', `${ref} ${timestamp}`, {
        scenario,
        student,
        score: chosen.score,
        max_score: chosen.maxScore,
        submission_id: chosen.submissionId,
      });
      return 'synced';
    } catch (err) {
      if (err instanceof PlatformError) return fail(err.message, err.transient);
      return fail(`unexpected failure: ${(err as Error).message}`, true);
    }
  }
}
