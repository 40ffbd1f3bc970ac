/** node:crypto's SHA-256 for the adapters that grade (serve, the Lambdas, the CLI). */
import { createHash } from 'node:crypto';
import type { Sha256Factory } from '../graders/index.ts';

/** node:crypto's SHA-256 for the trace digest: the pure core's digest, a few times faster. */
export const nodeSha256: Sha256Factory = () => {
  const hash = createHash('sha256');
  return { update: (text) => hash.update(text, 'utf8'), hex: () => hash.digest('hex') };
};
