/**
 * kubectl's human-readable printers over the simulator's Trace: `get pods -w`, `get events`,
 * `describe pod`, `logs`, `get deploy`, `get rs`, `rollout status`, and the run's timeline picture. Pure functions of their inputs.
 */
export {
  deploymentsAt,
  deploymentsTable,
  deploymentsTableAt,
  deploymentView,
  type RolloutStatus,
  replicaSetsAt,
  replicaSetsTable,
  replicaSetsTableAt,
  replicaSetView,
  rolloutStatus,
  rolloutStatusAt,
} from './apps.ts';
export { type PodColumns, podColumns } from './columns.ts';
export { describePod, podSnapshotAt } from './describe.ts';
export { apiTime, formatInstant, goDuration, humanDuration } from './duration.ts';
export { type AggregatedEvent, aggregateEvents, type EventsTableOptions, eventsTable } from './events.ts';
export { jobCompletions, jobStatus, jobsAt, jobsTable } from './jobs.ts';
export { type PodLogsOptions, type PodLogsResult, podLogs, podLogsResult } from './logs.ts';
export { describeProbe } from './probe.ts';
export { type TimelineCheck, type TimelineOptions, timelineSvg } from './timeline.ts';
export { type WatchRow, watchRows, watchTranscript } from './watch.ts';
