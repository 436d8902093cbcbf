/** The operations of the Upstash-compatible routes (role `upstash`), by operation name. */
import type { Storage } from '../../storage';
import type { ApiRequest, ApiResponse } from '../http';
import { upstashCommitOp, upstashCommittedOp, upstashDeleteConsumerOp } from './commit';
import { upstashConsumeOp } from './consume';
import { upstashFetchOp } from './fetch';
import { upstashConsumersOp, upstashOffsetsOp, upstashTopicsOp } from './metadata';
import { upstashProduceOp, upstashProducePathOp } from './produce';

export const UPSTASH_OPERATIONS = {
  upstashProduce: upstashProduceOp,
  upstashProducePath: upstashProducePathOp,
  upstashFetch: upstashFetchOp,
  upstashConsume: upstashConsumeOp,
  upstashCommit: upstashCommitOp,
  upstashCommitted: upstashCommittedOp,
  upstashDeleteConsumer: upstashDeleteConsumerOp,
  upstashTopics: upstashTopicsOp,
  upstashConsumers: upstashConsumersOp,
  upstashOffsets: upstashOffsetsOp,
} as const satisfies Record<string, (storage: Storage, request: ApiRequest) => Promise<ApiResponse>>;

export type UpstashOperationName = keyof typeof UPSTASH_OPERATIONS;
export { upstashErrorResponse } from './errors';
