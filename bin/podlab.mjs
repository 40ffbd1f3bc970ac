#!/usr/bin/env node
// The podlab command: loads the TypeScript CLI through bin/typescript.mjs, so a checkout runs without a build step.
import './typescript.mjs';

const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
