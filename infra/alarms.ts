/**
 * CloudWatch alarms of a podlab deployment: any function error or throttle, any message in a
 * dead-letter queue, and an API 5xx rate above a threshold. Every alarm notifies the optional
 * SNS topic (on ALARM and back to OK).
 */
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  type Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Percentage of API requests answered 5xx (over five minutes) that raises the alarm. */
export const API_5XX_RATE_PERCENT = 5;

const PERIOD = Duration.minutes(5);

/** Props of {@link PodlabAlarms}. */
export interface PodlabAlarmsProps {
  readonly stage: string;
  /** Functions by a short name used in the alarm names. */
  readonly functions: Record<string, IFunction>;
  /** Dead-letter queues by a short name used in the alarm names. */
  readonly deadLetterQueues: Record<string, IQueue>;
  readonly api: HttpApi;
  readonly topic?: ITopic;
}

/** The alarms; `alarms` lists them all (tests and dashboards). */
export class PodlabAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly topic: ITopic | undefined;

  constructor(scope: Construct, id: string, props: PodlabAlarmsProps) {
    super(scope, id);
    this.topic = props.topic;
    const name = (what: string) => `podlab-${props.stage}-${what}`;
    const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
    for (const [key, fn] of Object.entries(props.functions)) {
      this.add(`${cap(key)}Errors`, {
        alarmName: name(`${key}-errors`),
        alarmDescription: `The ${key} function reported errors (uncaught exceptions, timeouts, out of memory).`,
        metric: fn.metricErrors({ period: PERIOD, statistic: Stats.SUM }),
        threshold: 0,
      });
      this.add(`${cap(key)}Throttles`, {
        alarmName: name(`${key}-throttles`),
        alarmDescription: `Invocations of the ${key} function were throttled (account or function concurrency).`,
        metric: fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM }),
        threshold: 0,
      });
    }
    for (const [key, dlq] of Object.entries(props.deadLetterQueues)) {
      this.add(`${cap(key)}DeadLetters`, {
        alarmName: name(`${key}-dead-letters`),
        alarmDescription: `Messages reached the ${key} dead-letter queue: work that failed every retry. Inspect, fix, redrive.`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: Stats.MAXIMUM,
        }),
        threshold: 0,
      });
    }
    const errorRate = new MathExpression({
      label: 'API 5xx rate (%)',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: props.api.metricServerError({ period: PERIOD, statistic: Stats.SUM }),
        requests: props.api.metricCount({ period: PERIOD, statistic: Stats.SUM }),
      },
      period: PERIOD,
    });
    this.add('Api5xxRate', {
      alarmName: name('api-5xx-rate'),
      alarmDescription: `More than ${API_5XX_RATE_PERCENT}% of API requests were answered 5xx in five minutes.`,
      metric: errorRate,
      threshold: API_5XX_RATE_PERCENT,
    });
  }

  private add(
    id: string,
    p: { alarmName: string; alarmDescription: string; metric: Metric | MathExpression; threshold: number },
  ): void {
    const alarm = new Alarm(this, id, {
      alarmName: p.alarmName,
      alarmDescription: p.alarmDescription,
      metric: p.metric,
      threshold: p.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (this.topic) {
      alarm.addAlarmAction(new SnsAction(this.topic));
      alarm.addOkAction(new SnsAction(this.topic));
    }
    this.alarms.push(alarm);
  }
}
