/**
 * A stored scenario's score policy read straight from its YAML, for processes that do not grade
 * (the LMS workers): their bundles then carry a YAML parser but not the simulator.
 */
import { parse } from 'yaml';

/** How a scenario's passback picks the score: `best` or `latest` attempt. */
export type ScorePolicy = 'best' | 'latest';

/** Reads the score policy of a stored scenario's text. */
export type ScorePolicyOf = (yaml: string) => Promise<ScorePolicy>;

/** `spec.policy.scorePolicy` of a stored (already validated) scenario: `best` unless it says `latest`. */
export const yamlScorePolicy: ScorePolicyOf = async (yaml) => {
  try {
    const doc = parse(yaml, { maxAliasCount: 100 }) as {
      spec?: { policy?: { scorePolicy?: unknown } };
    } | null;
    return doc?.spec?.policy?.scorePolicy === 'latest' ? 'latest' : 'best';
  } catch {
    return 'best';
  }
};
