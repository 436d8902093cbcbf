/** BatchGet/BatchWrite helpers that chunk to DynamoDB's limits and retry unprocessed items. */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoCall } from './dynamo-errors';

const MAX_ROUNDS = 8;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function batchGet(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchGetItem on ${table} left ${pending.length} keys unprocessed`);
      if (round > 0) await sleep(20 * 2 ** round);
      const res = await dynamoCall('BatchGetItem', () =>
        doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } })),
      );
      out.push(...((res.Responses?.[table] ?? []) as Record<string, unknown>[]));
      pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return out;
}

export async function batchDelete(doc: DynamoDBDocumentClient, table: string, keys: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    let pending = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchWriteItem on ${table} left ${pending.length} deletes unprocessed`);
      if (round > 0) await sleep(20 * 2 ** round);
      const res = await dynamoCall('BatchWriteItem', () =>
        doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } })),
      );
      pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  }
}

/** Puts items (unconditionally), 25 per BatchWriteItem, retrying unprocessed ones. */
export async function batchPut(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchWriteItem on ${table} left ${pending.length} puts unprocessed`);
      if (round > 0) await sleep(20 * 2 ** round);
      const res = await dynamoCall('BatchWriteItem', () =>
        doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } })),
      );
      pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  }
}
