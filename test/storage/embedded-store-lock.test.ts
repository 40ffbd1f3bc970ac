import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynalite } from '../../functions/local/dynalite.ts';
import { startEmbeddedStore } from '../../functions/local/embedded-store.ts';

const root = mkdtempSync(join(tmpdir(), 'podlab-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the embedded store on a directory another store holds', () => {
  it("refuses at start with LevelDB's lock in the message (what podlab serve reports as in use), and opens once it is free", async () => {
    const dir = join(root, 'db');
    const holder = await startDynalite(dir);
    await holder.client.send(new ListTablesCommand({}));
    await expect(startEmbeddedStore(dir)).rejects.toThrow(/lock/i);
    await holder.close();
    const store = await startEmbeddedStore(dir);
    await expect(store.client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    await store.close();
  });
});
