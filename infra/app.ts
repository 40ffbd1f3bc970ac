/**
 * The podlab CDK app (cdk.json: `node --import ./bin/typescript.mjs infra/app.ts`). Parameters come from context:
 * `npx cdk synth -c stage=dev -c corsOrigins=https://lms.example.edu -c alarmEmail=ops@example.edu`.
 * Fails with a plain message, not a stack trace, when a parameter is wrong or a Lambda entry is missing.
 */
import { App } from 'aws-cdk-lib';
import { ConfigError, parseConfig } from './config.ts';
import { missingEntries, missingEntriesMessage } from './entries.ts';
import { addPodlabStacks } from './podlab.ts';

const app = new App();
try {
  const config = parseConfig((key) => app.node.tryGetContext(key));
  const missing = missingEntries();
  if (missing.length > 0) throw new ConfigError(missingEntriesMessage(missing));
  addPodlabStacks(app, config);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`podlab infra: ${err.message}\n`);
  process.exit(1);
}
app.synth();
