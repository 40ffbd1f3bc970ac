import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, ConfigError, parseConfig } from '../../infra/config.ts';
import { FUNCTION_ENTRIES, missingEntries, missingEntriesMessage, REPO_ROOT } from '../../infra/entries.ts';

const from = (ctx: Record<string, unknown>) => (key: string) => ctx[key];

describe('GIVEN CDK context values', () => {
  it('WHEN none are given THEN the defaults apply', () => {
    expect(parseConfig(from({}))).toEqual({
      stage: 'dev',
      corsOrigins: [],
      throttleRateLimit: CONFIG_DEFAULTS.throttleRateLimit,
      throttleBurstLimit: CONFIG_DEFAULTS.throttleBurstLimit,
      alarmEmail: undefined,
      publicUrl: undefined,
    });
  });

  it.each([
    {
      name: 'strings from -c',
      ctx: {
        stage: 'prod',
        throttleRateLimit: '12.5',
        throttleBurstLimit: '30',
        corsOrigins: 'https://a.example, http://localhost:8787',
        alarmEmail: 'ops@example.edu',
      },
      want: {
        stage: 'prod',
        throttleRateLimit: 12.5,
        throttleBurstLimit: 30,
        corsOrigins: ['https://a.example', 'http://localhost:8787'],
        alarmEmail: 'ops@example.edu',
      },
    },
    {
      name: 'JSON values from cdk.json',
      ctx: { stage: 'test-1', throttleRateLimit: 5, throttleBurstLimit: 5, corsOrigins: ['*'] },
      want: {
        stage: 'test-1',
        throttleRateLimit: 5,
        throttleBurstLimit: 5,
        corsOrigins: ['*'],
        alarmEmail: undefined,
      },
    },
    { name: 'empty origins string', ctx: { corsOrigins: ' , ' }, want: { corsOrigins: [] } },
    { name: 'empty alarm e-mail', ctx: { alarmEmail: '' }, want: { alarmEmail: undefined } },
    {
      name: 'public URL with a path',
      ctx: { publicUrl: 'https://lms.example.edu/podlab' },
      want: { publicUrl: 'https://lms.example.edu/podlab' },
    },
  ])('WHEN given $name THEN they are parsed', ({ ctx, want }) => {
    expect(parseConfig(from(ctx))).toMatchObject(want);
  });

  it.each([
    {
      name: 'upper-case stage',
      ctx: { stage: 'Prod' },
      message:
        'context "stage" must be 1-16 characters of a-z, 0-9 and "-", starting with a letter; got "Prod"',
    },
    {
      name: 'too long stage',
      ctx: { stage: 'a'.repeat(17) },
      message: `context "stage" must be 1-16 characters of a-z, 0-9 and "-", starting with a letter; got "${'a'.repeat(17)}"`,
    },
    { name: 'numeric stage', ctx: { stage: 1 }, message: 'context "stage" must be a string; got 1' },
    {
      name: 'non-numeric rate',
      ctx: { throttleRateLimit: 'fast' },
      message: 'context "throttleRateLimit" must be a number; got "fast"',
    },
    {
      name: 'zero rate',
      ctx: { throttleRateLimit: '0' },
      message: 'context "throttleRateLimit" must be > 0 requests per second; got 0',
    },
    {
      name: 'fractional burst',
      ctx: { throttleBurstLimit: 2.5 },
      message: 'context "throttleBurstLimit" must be a whole number >= 1; got 2.5',
    },
    {
      name: 'origin with a path',
      ctx: { corsOrigins: 'https://a.example/app' },
      message:
        'context "corsOrigins": "https://a.example/app" is not an origin (scheme://host[:port], no path), or "*"',
    },
    {
      name: 'origins as a number',
      ctx: { corsOrigins: 3 },
      message: 'context "corsOrigins" must be a list of origins or a comma-separated string',
    },
    {
      name: 'public URL with a trailing slash',
      ctx: { publicUrl: 'https://podlab.example.edu/' },
      message:
        'context "publicUrl" must be an https URL without query, fragment or trailing slash; got "https://podlab.example.edu/"',
    },
    {
      name: 'plain-http public URL',
      ctx: { publicUrl: 'http://podlab.example.edu' },
      message:
        'context "publicUrl" must be an https URL without query, fragment or trailing slash; got "http://podlab.example.edu"',
    },
    {
      name: 'bad e-mail',
      ctx: { alarmEmail: 'ops' },
      message: 'context "alarmEmail" must be an e-mail address; got "ops"',
    },
  ])('WHEN given $name THEN a ConfigError names the key', ({ ctx, message }) => {
    expect(() => parseConfig(from(ctx))).toThrow(ConfigError);
    expect(() => parseConfig(from(ctx))).toThrow(message);
  });
});

describe('GIVEN the Lambda entry files', () => {
  it('WHEN a checkout lacks some THEN missingEntries lists exactly those, and the message names each file', () => {
    const root = mkdtempSync(join(tmpdir(), 'podlab-infra-'));
    try {
      const present = FUNCTION_ENTRIES[0]!;
      mkdirSync(dirname(join(root, present.path)), { recursive: true });
      writeFileSync(join(root, present.path), 'export const handler = () => 1;\n');
      const missing = missingEntries(root);
      expect(missing.map((e) => e.path)).toEqual(FUNCTION_ENTRIES.slice(1).map((e) => e.path));
      const message = missingEntriesMessage(missing);
      expect(message.split('\n')[0]).toBe(`${FUNCTION_ENTRIES.length - 1} Lambda entry files are missing:`);
      for (const e of missing) expect(message).toContain(`  - ${e.path} (export "handler": `);
      expect(missingEntriesMessage(missing.slice(0, 1)).split('\n')[0]).toBe(
        'a Lambda entry file is missing:',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('WHEN the app runs with a wrong context value THEN it exits 1 with one plain line, no stack trace', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', join(REPO_ROOT, 'bin/typescript.mjs'), join(REPO_ROOT, 'infra/app.ts')],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          CDK_CONTEXT_JSON: JSON.stringify({ stage: 'Bad Stage' }),
          CDK_OUTDIR: join(tmpdir(), 'podlab-cdk-never'),
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'podlab infra: context "stage" must be 1-16 characters of a-z, 0-9 and "-", starting with a letter; got "Bad Stage"\n',
    );
  });
});
