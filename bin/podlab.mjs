#!/usr/bin/env node
// The podlab command: loads the TypeScript CLI through tsx, so a checkout runs without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
