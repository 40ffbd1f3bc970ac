/**
 * `podlab token create --role student|instructor --user U --course C [--data DIR | --table T] [--label L]`:
 * creates a bearer token and prints it once (only its SHA-256 is stored). With --data (default
 * `.podlab/`) it writes to the local store, through the running `podlab serve` of that
 * directory when there is one; with --table to that DynamoDB table on AWS (default credentials).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dynamodb } from '../../functions/aws-sdk.ts';
import { type LocalDynamo, localClient, startDynalite } from '../../functions/local/dynalite.ts';
import { AppError } from '../../functions/service/errors.ts';
import { createToken } from '../../functions/service/tokens.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import type { Role } from '../../functions/storage/types.ts';
import { parseArgs, UsageError } from '../args.ts';
import { LOCAL_TABLE, type ServerInfo } from './serve.ts';

const USAGE =
  'usage: podlab token create --role student|instructor --user U --course C [--data DIR | --table TABLE] [--label L] [--expires-in 90m|12h|30d]';

/** `--expires-in`: a whole number of minutes, hours or days, in milliseconds. */
function lifetimeMs(text: string): number {
  const m = /^([1-9][0-9]{0,5})(m|h|d)$/.exec(text);
  if (!m)
    throw new UsageError(`--expires-in takes a duration such as 90m, 12h or 30d, got "${text}"\n${USAGE}`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

/** Opens the local store of `dataDir`: the running server's endpoint if alive, else the directory itself. */
async function openLocal(dataDir: string): Promise<LocalDynamo> {
  const infoFile = join(dataDir, 'server.json');
  if (existsSync(infoFile)) {
    try {
      const info = JSON.parse(readFileSync(infoFile, 'utf8')) as ServerInfo;
      const client = localClient(info.dynamoEndpoint);
      await client.send(new dynamodb.ListTablesCommand({}));
      return {
        endpoint: info.dynamoEndpoint,
        client,
        close: async () => client.destroy(),
      };
    } catch {
      // a stale file from a server that did not stop cleanly: open the directory below
    }
  }
  mkdirSync(dataDir, { recursive: true });
  return startDynalite(join(dataDir, 'db'));
}

/** Runs `podlab token …`. */
export async function run(argv: string[]): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = parseArgs(argv, {
    valued: ['role', 'user', 'course', 'data', 'table', 'label', 'expires-in'],
  });
  if (args.positionals.length !== 1 || args.positionals[0] !== 'create') throw new UsageError(USAGE);
  const { role, user, course, data, table, label } = args.options;
  const expiresIn = args.options['expires-in'];
  const lifetime = typeof expiresIn === 'string' ? lifetimeMs(expiresIn) : undefined;
  if (role !== 'student' && role !== 'instructor')
    throw new UsageError(`--role must be student or instructor\n${USAGE}`);
  if (typeof user !== 'string' || typeof course !== 'string')
    throw new UsageError(`--user and --course are required\n${USAGE}`);
  if (typeof data === 'string' && typeof table === 'string')
    throw new UsageError('give --data or --table, not both');

  let store: LocalDynamo;
  let tableName: string;
  if (typeof table === 'string') {
    const client = new dynamodb.DynamoDBClient({});
    store = { endpoint: 'aws', client, close: async () => client.destroy() };
    tableName = table;
  } else {
    store = await openLocal(resolve(typeof data === 'string' ? data : '.podlab'));
    tableName = LOCAL_TABLE;
    await ensureTable(store.client, tableName);
  }
  try {
    const repo = createDynamoRepository({ client: store.client, tableName });
    const now = new Date();
    const { token, record } = await createToken(repo, {
      role: role as Role,
      user,
      course,
      ...(typeof label === 'string' ? { label } : {}),
      now,
      ...(lifetime === undefined ? {} : { expiresAt: new Date(now.getTime() + lifetime) }),
    });
    process.stdout.write(`${token}\n`);
    const until = record.expiresAt ? `, valid until ${record.expiresAt}` : '';
    process.stderr.write(`token for ${role} ${user} in course ${course}${until}: shown once, store it now\n`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) throw new UsageError(err.message);
    throw err;
  } finally {
    await store.close();
  }
}
