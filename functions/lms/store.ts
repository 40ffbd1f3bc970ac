/**
 * LMS records in podlab's single table (docs/storage.md, "LMS"): webhook endpoints and the
 * outbound messages with every attempt, inbound webhook-ids seen (TTL), LTI registrations,
 * tool keys, login states, user links and per-student grade sync status.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JWK } from 'jose';
import { documentClient } from '../aws-sdk.ts';
import type { TableOp, TableTransport } from '../storage/dynamo-table.ts';
import { DEFAULT_PAGE_SIZE, LMS_PAGE_SIZE } from '../storage/paging.ts';
import { TABLE } from '../storage/table.ts';
import type { PlatformRegistration } from './lti.ts';

const { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } = documentClient;

/** Outbound event types (lms.md). */
export const EVENT_TYPES = [
  'submission.graded',
  'submission.rejected',
  'grade.synced',
  'grade.sync_failed',
  'regrade.completed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A course's outbound webhook endpoint. */
export interface EndpointRecord {
  course: string;
  id: string;
  url: string;
  /** Current secret first; during a rotation the previous one follows until it expires. */
  secrets: { secret: string; expiresAt?: string }[];
  eventTypes: EventType[];
  disabled: boolean;
  disabledReason?: string;
  createdAt: string;
}

/** One attempt to deliver a message. */
export interface AttemptRecord {
  at: string;
  status?: number;
  latencyMs: number;
  error?: string;
}

/** An outbound message and its delivery state. */
export interface MessageRecord {
  id: string;
  course: string;
  endpointId: string;
  type: EventType;
  body: string;
  createdAt: string;
  state: 'pending' | 'delivered' | 'dead' | 'disabled';
  attempts: AttemptRecord[];
  /** Epoch ms of the next attempt while pending. */
  nextAttemptAt?: number;
}

/** A platform user linked to a podlab student by a launch. */
export interface UserLink {
  issuer: string;
  clientId: string;
  sub: string;
  course: string;
  student: string;
  deploymentId: string;
}

/** Where a student's grade for a scenario goes, from their latest launch of it. */
export interface GradeTarget {
  course: string;
  scenario: string;
  student: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  sub: string;
  resourceLinkId?: string;
  lineitem?: string;
  lineitems?: string;
}

/** The per-student sync status instructors see. */
export interface SyncStatus {
  course: string;
  scenario: string;
  student: string;
  state: 'pending' | 'synced' | 'failed' | 'retrying';
  scoreGiven?: number;
  scoreMaximum?: number;
  submissionId?: string;
  /** The last timestamp sent (scores must be strictly increasing per user and line item). */
  lastTimestamp?: string;
  lineitem?: string;
  message?: string;
  updatedAt: string;
  attempts: number;
}

const key = (pk: string, sk: string) => ({ [TABLE.partitionKey]: pk, [TABLE.sortKey]: sk });
const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const rest = { ...item };
  for (const k of KEY_ATTRIBUTES) delete rest[k];
  return rest as T;
};
/** Table attributes that are keys, never part of a record. */
const KEY_ATTRIBUTES = [
  TABLE.partitionKey,
  TABLE.sortKey,
  TABLE.gsi1.partitionKey,
  TABLE.gsi1.sortKey,
  TABLE.gsi2.partitionKey,
  TABLE.gsi2.sortKey,
  TABLE.ttlAttribute,
];
const G1PK = TABLE.gsi1.partitionKey;
const G1SK = TABLE.gsi1.sortKey;
const G2PK = TABLE.gsi2.partitionKey;
const G2SK = TABLE.gsi2.sortKey;
const pad = (n: number) => String(n).padStart(15, '0');

/** The queue reference of a grade sync: course, scenario and student, URI-encoded and joined. */
export function syncRef(course: string, scenario: string, student: string): string {
  return [course, scenario, student].map(encodeURIComponent).join('|');
}
/** The inverse of `syncRef`. */
export function parseSyncRef(ref: string): { course: string; scenario: string; student: string } {
  const [course = '', scenario = '', student = ''] = ref.split('|').map(decodeURIComponent);
  return { course, scenario, student };
}

/** The local queue's index partition: due jobs ordered by time; the sort key is `<time>#<kind>#<ref>`. */
const QUEUE_PK = 'LMS#QUEUE';

/** What the local queue holds: a webhook message to deliver, or a grade to sync. */
export type JobKind = 'webhook' | 'passback';
const queueSk = (at: number, kind: JobKind, ref: string) => `${pad(at)}#${kind}#${ref}`;

/** A document client whose commands go to `transport` (their input as is: document form). */
function viaTransport(transport: TableTransport): DynamoDBDocumentClient {
  const send = (command: { input: Record<string, unknown>; constructor: { name: string } }) =>
    transport.send(command.constructor.name.replace(/Command$/, '') as TableOp, command.input);
  return { send } as unknown as DynamoDBDocumentClient;
}

/** The LMS repository over the single table. */
export class LmsStore {
  private readonly doc: DynamoDBDocumentClient;

  /** `transport`, when given, carries the requests instead of the SDK (the embedded store of `podlab serve`). */
  constructor(
    client: DynamoDBClient,
    private readonly table: string,
    transport?: TableTransport,
  ) {
    this.doc = transport
      ? viaTransport(transport)
      : documentClient.DynamoDBDocumentClient.from(client, {
          marshallOptions: { removeUndefinedValues: true },
        });
  }

  private async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: key(pk, sk), ConsistentRead: true }),
    );
    return strip<T>(out.Item);
  }

  private async queryAll<T>(
    pk: string,
    prefix: string,
    limit = LMS_PAGE_SIZE,
    cursor?: string,
  ): Promise<{ items: T[]; cursor?: string }> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :p)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
        ExpressionAttributeValues: { ':pk': pk, ':p': prefix },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString()) } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => strip<T>(i)!),
      ...(out.LastEvaluatedKey
        ? { cursor: Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') }
        : {}),
    };
  }

  // --- webhook endpoints -------------------------------------------------------------

  /** Creates or replaces a course's endpoint. */
  async putEndpoint(e: EndpointRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(`COURSE#${e.course}`, `LMS#ENDPOINT#${e.id}`), ...e },
      }),
    );
  }
  async getEndpoint(course: string, id: string): Promise<EndpointRecord | undefined> {
    return this.get(`COURSE#${course}`, `LMS#ENDPOINT#${id}`);
  }
  async listEndpoints(course: string): Promise<EndpointRecord[]> {
    return (await this.queryAll<EndpointRecord>(`COURSE#${course}`, 'LMS#ENDPOINT#')).items;
  }

  // --- outbound messages -------------------------------------------------------------

  /** Stores a new message as pending and due at `dueAt`; false if its id exists (idempotent emit). */
  async createMessage(m: MessageRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key(`LMS#MSG#${m.id}`, 'MSG'),
            ...m,
            [G1PK]: `COURSE#${m.course}#DELIVERIES`,
            [G1SK]: `${m.createdAt}#${m.id}`,
            ...(m.state === 'pending' && m.nextAttemptAt !== undefined
              ? { [G2PK]: QUEUE_PK, [G2SK]: queueSk(m.nextAttemptAt, 'webhook', m.id) }
              : {}),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
  async getMessage(id: string): Promise<MessageRecord | undefined> {
    return this.get(`LMS#MSG#${id}`, 'MSG');
  }

  /**
   * Records an attempt and the new state, only if the message is still at `expectedAttempts`
   * attempts (so two workers never both record the same attempt). Returns false when another
   * worker got there first.
   */
  async recordAttempt(
    id: string,
    expectedAttempts: number,
    attempt: AttemptRecord,
    next: { state: MessageRecord['state']; nextAttemptAt?: number },
  ): Promise<boolean> {
    const queued = next.state === 'pending' && next.nextAttemptAt !== undefined;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(`LMS#MSG#${id}`, 'MSG'),
          UpdateExpression: queued
            ? 'SET attempts = list_append(attempts, :a), #state = :s, nextAttemptAt = :n, #g2pk = :q, #g2sk = :qs'
            : 'SET attempts = list_append(attempts, :a), #state = :s REMOVE nextAttemptAt, #g2pk, #g2sk',
          ConditionExpression: 'size(attempts) = :expected',
          ExpressionAttributeNames: { '#state': 'state', '#g2pk': G2PK, '#g2sk': G2SK },
          ExpressionAttributeValues: {
            ':a': [attempt],
            ':s': next.state,
            ':expected': expectedAttempts,
            ...(queued
              ? {
                  ':n': next.nextAttemptAt,
                  ':q': QUEUE_PK,
                  ':qs': queueSk(next.nextAttemptAt!, 'webhook', id),
                }
              : {}),
          },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /** Puts a finished message back in the queue, due now (an instructor's replay). */
  async requeue(id: string, dueAt: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key(`LMS#MSG#${id}`, 'MSG'),
        UpdateExpression: 'SET #state = :s, nextAttemptAt = :n, #g2pk = :q, #g2sk = :qs',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#pk': TABLE.partitionKey,
          '#g2pk': G2PK,
          '#g2sk': G2SK,
        },
        ExpressionAttributeValues: {
          ':s': 'pending',
          ':n': dueAt,
          ':q': QUEUE_PK,
          ':qs': queueSk(dueAt, 'webhook', id),
        },
      }),
    );
  }

  /** Jobs due at or before `now`, oldest first (the local queue's poll). */
  async dueJobs(now: number, limit = 25): Promise<{ kind: JobKind; ref: string; at: number }[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.gsi2.name,
        KeyConditionExpression: '#pk = :pk AND #sk <= :now',
        ExpressionAttributeNames: { '#pk': TABLE.gsi2.partitionKey, '#sk': TABLE.gsi2.sortKey },
        ExpressionAttributeValues: { ':pk': QUEUE_PK, ':now': `${pad(now)}#~` },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => {
      const [at = '0', kind, ...ref] = String(i[TABLE.gsi2.sortKey]).split('#');
      return { kind: kind as JobKind, ref: ref.join('#'), at: Number(at) };
    });
  }

  /** A course's messages, newest first, paged. */
  async listMessages(
    course: string,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<{ items: MessageRecord[]; cursor?: string }> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.gsi1.partitionKey },
        ExpressionAttributeValues: { ':pk': `COURSE#${course}#DELIVERIES` },
        ScanIndexForward: false,
        Limit: Math.min(Math.max(limit, 1), LMS_PAGE_SIZE),
        ...(cursor ? { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString()) } : {}),
      }),
    );
    // The index projects summaries only: read each message whole (bounded by the page size).
    const items = await Promise.all((out.Items ?? []).map((i) => this.getMessage(String(i.id))));
    return {
      items: items.filter((m): m is MessageRecord => m !== undefined),
      ...(out.LastEvaluatedKey
        ? { cursor: Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') }
        : {}),
    };
  }

  // --- inbound webhooks --------------------------------------------------------------

  /** Records an inbound webhook-id; false when it was seen before (a replay). Expires after `ttlSeconds`. */
  async markInboundSeen(
    course: string,
    webhookId: string,
    nowSeconds: number,
    ttlSeconds = 86_400,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key(`LMS#INBOUND#${course}#${webhookId}`, 'SEEN'),
            [TABLE.ttlAttribute]: nowSeconds + ttlSeconds,
          },
          // An expired item may linger until DynamoDB's TTL sweep: treat it as unseen.
          ConditionExpression: 'attribute_not_exists(#pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#ttl': TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /** Forgets an inbound webhook-id whose processing failed, so the sender's retry is processed. */
  async forgetInbound(course: string, webhookId: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.table, Key: key(`LMS#INBOUND#${course}#${webhookId}`, 'SEEN') }),
    );
  }

  /** The secret inbound webhooks of a course are signed with. */
  async getInboundSecret(course: string): Promise<string | undefined> {
    return (await this.get<{ secret: string }>(`COURSE#${course}`, 'LMS#INBOUND'))?.secret;
  }
  async putInboundSecret(course: string, secret: string): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { ...key(`COURSE#${course}`, 'LMS#INBOUND'), secret } }),
    );
  }

  // --- LTI -----------------------------------------------------------------------------

  async putRegistration(r: PlatformRegistration): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(`LMS#LTIREG#${r.issuer}#${r.clientId}`, `DEPLOYMENT#${r.deploymentId}`), ...r },
      }),
    );
  }
  async getRegistration(
    issuer: string,
    clientId: string,
    deploymentId: string,
  ): Promise<PlatformRegistration | undefined> {
    return this.get(`LMS#LTIREG#${issuer}#${clientId}`, `DEPLOYMENT#${deploymentId}`);
  }
  /** Registrations of an issuer (the login initiation names the issuer and, maybe, the client id). */
  async listRegistrations(issuer: string, clientId?: string): Promise<PlatformRegistration[]> {
    if (clientId)
      return (await this.queryAll<PlatformRegistration>(`LMS#LTIREG#${issuer}#${clientId}`, 'DEPLOYMENT#'))
        .items;
    return [];
  }

  /** The tool's signing keys (created on first use). */
  async getToolKey(): Promise<{ kid: string; privateJwk: JWK; publicJwk: JWK } | undefined> {
    return this.get('LMS#TOOLKEY', 'CURRENT');
  }
  /** Stores the tool key unless one exists; returns the one in force. */
  async putToolKeyIfAbsent(k: {
    kid: string;
    privateJwk: JWK;
    publicJwk: JWK;
  }): Promise<{ kid: string; privateJwk: JWK; publicJwk: JWK }> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key('LMS#TOOLKEY', 'CURRENT'), ...k },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        }),
      );
      return k;
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
      return (await this.getToolKey())!;
    }
  }

  /** Keeps a login's state and nonce for 10 minutes. */
  async putLoginState(
    state: string,
    value: { nonce: string; issuer: string; clientId: string },
    nowSeconds: number,
  ): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(`LMS#LTISTATE#${state}`, 'STATE'), ...value, [TABLE.ttlAttribute]: nowSeconds + 600 },
      }),
    );
  }
  /** Takes a login state once: a second launch with the same state (a replay) finds nothing. */
  async takeLoginState(
    state: string,
    nowSeconds: number,
  ): Promise<{ nonce: string; issuer: string; clientId: string } | undefined> {
    try {
      const out = await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: key(`LMS#LTISTATE#${state}`, 'STATE'),
          ConditionExpression: 'attribute_exists(#pk) AND #ttl >= :now',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#ttl': TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':now': nowSeconds },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return strip(out.Attributes);
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw err;
    }
  }

  async putUserLink(u: UserLink): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(`LMS#LTIUSER#${u.issuer}#${u.clientId}#${u.sub}`, 'LINK'), ...u },
      }),
    );
  }

  /** Where grades of (course, scenario, student) go; set at each launch. */
  async putGradeTarget(t: GradeTarget): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(`LMS#TARGET#${t.course}#${t.scenario}`, `STUDENT#${t.student}`), ...t },
      }),
    );
  }
  async getGradeTarget(course: string, scenario: string, student: string): Promise<GradeTarget | undefined> {
    return this.get(`LMS#TARGET#${course}#${scenario}`, `STUDENT#${student}`);
  }
  async listGradeTargets(
    course: string,
    scenario: string,
    cursor?: string,
  ): Promise<{ items: GradeTarget[]; cursor?: string }> {
    return this.queryAll(`LMS#TARGET#${course}#${scenario}`, 'STUDENT#', 100, cursor);
  }

  /** Stores a sync status; with `dueAt` the sync is queued (the local queue) for that time. */
  async putSyncStatus(s: SyncStatus, dueAt?: number): Promise<void> {
    const ref = syncRef(s.course, s.scenario, s.student);
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key(`LMS#SYNC#${s.course}#${s.scenario}`, `STUDENT#${s.student}`),
          ...s,
          ...(dueAt !== undefined ? { [G2PK]: QUEUE_PK, [G2SK]: queueSk(dueAt, 'passback', ref) } : {}),
        },
      }),
    );
  }
  async getSyncStatus(course: string, scenario: string, student: string): Promise<SyncStatus | undefined> {
    return this.get(`LMS#SYNC#${course}#${scenario}`, `STUDENT#${student}`);
  }
  async listSyncStatus(
    course: string,
    scenario: string,
    cursor?: string,
  ): Promise<{ items: SyncStatus[]; cursor?: string }> {
    return this.queryAll(`LMS#SYNC#${course}#${scenario}`, 'STUDENT#', 100, cursor);
  }
}
