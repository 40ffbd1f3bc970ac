/**
 * The one place podlab loads zod: `zod/mini` (the tree-shakable API over the same zod core as
 * classic `zod`) with the English messages installed. Classic `zod` installs the English locale
 * when it is imported; `zod/mini` installs none, and its issues would all read "Invalid input".
 * Schema modules `import * as z from './zod.ts'` (never 'zod/mini' itself), so the locale
 * cannot be forgotten.
 */

// `zod/locales` is free of side effects: bundlers keep only the English locale (about 3 KB of
// the 200 KB of every locale that `z.locales` would bring in).
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
