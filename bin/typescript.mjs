/**
 * Lets Node.js import podlab's TypeScript directly: `node --import ./bin/typescript.mjs file.ts`,
 * or imported first by an entry point (bin/podlab.mjs). Stack traces point into the `.ts` files.
 */
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./typescript-hooks.mjs', import.meta.url);
