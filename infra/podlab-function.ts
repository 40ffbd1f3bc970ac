/**
 * One podlab Lambda function: a NodejsFunction bundled by the local esbuild (never Docker) with
 * the shared settings of infra/entries.ts, Node.js 22 on arm64, JSON logs into its own log
 * group with a bounded retention, and a role of its own that may write only to that log group
 * (no AWS managed policy: AWSLambdaBasicExecutionRole would let it write to every log group).
 */

import { join } from 'node:path';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  RecursiveLoop,
  Runtime,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_SETTINGS, entryPath, type FunctionEntry, REPO_ROOT, WEB_DIR } from './entries.ts';

/** Props of {@link PodlabFunction}. */
export interface PodlabFunctionProps {
  readonly entry: FunctionEntry;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Environment variables the handler reads (table name, queue URLs …). */
  readonly environment: Record<string, string>;
  /** Copy the repository's web/ folder into the bundle (the API serves the web page). */
  readonly includeWeb?: boolean;
  /**
   * Lambda's recursive loop detection stops a function -> SQS -> same function chain after 16
   * hops. Allow it only for workers that re-arm their own jobs on purpose; TERMINATE otherwise.
   */
  readonly recursiveLoop?: RecursiveLoop;
  /** Name of the function's log group, e.g. `/podlab/dev/api` (operators tail it by name). */
  readonly logGroupName: string;
}

/** Log retention of every podlab function. */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

/** A podlab Lambda function and its log group. */
export class PodlabFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: PodlabFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      retention: FUNCTION_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `podlab function ${props.entry.description}`,
    });
    this.logGroup.grantWrite(this.role);
    this.fn = new NodejsFunction(this, 'Function', {
      role: this.role,
      entry: entryPath(props.entry),
      handler: props.entry.handler,
      description: props.entry.description,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      recursiveLoop: props.recursiveLoop ?? RecursiveLoop.TERMINATE,
      environment: {
        ...props.environment,
        // Stack traces through the source map of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: BUNDLE_SETTINGS.target,
        minify: BUNDLE_SETTINGS.minify,
        sourceMap: BUNDLE_SETTINGS.sourcemap,
        sourcesContent: false,
        externalModules: [...BUNDLE_SETTINGS.external],
        mainFields: [...BUNDLE_SETTINGS.mainFields],
        banner: BUNDLE_SETTINGS.banner,
        ...(props.includeWeb ? { commandHooks: copyWebHooks() } : {}),
      },
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'nodejs22.x is pinned on purpose: the bundles target node20, the Node.js the project is built and tested on, and a runtime upgrade is a change of its own, tested first',
    });
  }
}

/** Bundling hooks that copy web/ next to index.mjs, so the handler serves it from LAMBDA_TASK_ROOT/web. */
function copyWebHooks() {
  return {
    beforeBundling: (): string[] => [],
    beforeInstall: (): string[] => [],
    afterBundling: (inputDir: string, outputDir: string): string[] => [
      `cp -R "${inputDir}/${WEB_DIR}" "${outputDir}/${WEB_DIR}"`,
    ],
  };
}
