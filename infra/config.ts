/**
 * Deployment parameters of the podlab CDK app, read from CDK context (`-c key=value` or the
 * `context` of cdk.json). Everything has a default so a bare `npx cdk synth` works; a value
 * that is present but wrong is an error that names the key, never a silent fallback.
 */

/** The parameters one deployment (a stage) of podlab is built with. */
export interface PodlabConfig {
  /** Short stage name, part of every stack name: `podlab-<stage>-data`, `podlab-<stage>-api`. */
  readonly stage: string;
  /**
   * Origins allowed to call the API from a browser (CORS). Empty: no CORS configuration at all,
   * which is what the built-in web page needs, since the API function serves it on the same origin.
   */
  readonly corsOrigins: readonly string[];
  /** Steady-state request rate per second for every route of the API's default stage. */
  readonly throttleRateLimit: number;
  /** Burst capacity (requests) for every route of the API's default stage. */
  readonly throttleBurstLimit: number;
  /** When set, alarms notify an SNS topic with this e-mail address subscribed. */
  readonly alarmEmail: string | undefined;
  /**
   * Public base URL of the API (links in webhooks and LTI), without a trailing slash. Unset:
   * the HTTP API's own endpoint. Set it when a custom domain or CDN fronts the API.
   */
  readonly publicUrl: string | undefined;
}

/** The context keys the app reads, with their defaults. */
export const CONFIG_DEFAULTS = {
  stage: 'dev',
  corsOrigins: [] as string[],
  throttleRateLimit: 50,
  throttleBurstLimit: 100,
} as const;

/** A context value that cannot be used; the message names the key and what is accepted. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const STAGE = /^[a-z][a-z0-9-]{0,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Builds a configuration from raw context values. `read(key)` returns what CDK context holds for
 * `key` (a string when it came from `-c`, any JSON value when it came from cdk.json).
 */
export function parseConfig(read: (key: string) => unknown): PodlabConfig {
  const stage = readString(read, 'stage') ?? CONFIG_DEFAULTS.stage;
  if (!STAGE.test(stage)) {
    throw new ConfigError(
      `context "stage" must be 1-16 characters of a-z, 0-9 and "-", starting with a letter; got ${JSON.stringify(stage)}`,
    );
  }
  const throttleRateLimit = readNumber(read, 'throttleRateLimit') ?? CONFIG_DEFAULTS.throttleRateLimit;
  const throttleBurstLimit = readNumber(read, 'throttleBurstLimit') ?? CONFIG_DEFAULTS.throttleBurstLimit;
  if (throttleBurstLimit < 1 || !Number.isInteger(throttleBurstLimit)) {
    throw new ConfigError(
      `context "throttleBurstLimit" must be a whole number >= 1; got ${throttleBurstLimit}`,
    );
  }
  if (throttleRateLimit <= 0) {
    throw new ConfigError(
      `context "throttleRateLimit" must be > 0 requests per second; got ${throttleRateLimit}`,
    );
  }
  const alarmEmail = readString(read, 'alarmEmail') || undefined;
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new ConfigError(
      `context "alarmEmail" must be an e-mail address; got ${JSON.stringify(alarmEmail)}`,
    );
  }
  const publicUrl = readString(read, 'publicUrl') || undefined;
  if (publicUrl !== undefined && !/^https:\/\/[^/\s?#]+(\/[^\s?#]*[^/\s?#])?$/.test(publicUrl)) {
    throw new ConfigError(
      `context "publicUrl" must be an https URL without query, fragment or trailing slash; got ${JSON.stringify(publicUrl)}`,
    );
  }
  return {
    stage,
    corsOrigins: readOrigins(read),
    throttleRateLimit,
    throttleBurstLimit,
    alarmEmail,
    publicUrl,
  };
}

function readString(read: (key: string) => unknown, key: string): string | undefined {
  const v = read(key);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new ConfigError(`context "${key}" must be a string; got ${JSON.stringify(v)}`);
  return v.trim();
}

function readNumber(read: (key: string) => unknown, key: string): number | undefined {
  const v = read(key);
  if (v === undefined || v === null || v === '') return undefined;
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)
        ? Number(v)
        : Number.NaN;
  if (!Number.isFinite(n))
    throw new ConfigError(`context "${key}" must be a number; got ${JSON.stringify(v)}`);
  return n;
}

/** `corsOrigins`: a JSON array in cdk.json, or a comma-separated string from `-c corsOrigins=a,b`. */
function readOrigins(read: (key: string) => unknown): string[] {
  const v = read('corsOrigins');
  if (v === undefined || v === null) return [...CONFIG_DEFAULTS.corsOrigins];
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : undefined;
  if (!list || list.some((o) => typeof o !== 'string')) {
    throw new ConfigError(`context "corsOrigins" must be a list of origins or a comma-separated string`);
  }
  const origins = (list as string[]).map((o) => o.trim()).filter((o) => o !== '');
  for (const o of origins) {
    if (o !== '*' && !/^https?:\/\/[^/\s?#]+$/.test(o)) {
      throw new ConfigError(
        `context "corsOrigins": ${JSON.stringify(o)} is not an origin (scheme://host[:port], no path), or "*"`,
      );
    }
  }
  return origins;
}
