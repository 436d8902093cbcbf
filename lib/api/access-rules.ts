/**
 * What each operation needs, as data: the one table behind both per-topic authorization paths —
 * the API core's ACL check (authorization.ts) and the IAM policies the CDK helper builds from
 * ROUTES (infra/topic-access.ts). A new operation must be classified here before it compiles.
 *
 * Topic needs name the action and where the topic names come from. `describe` (reading a topic's
 * metadata) is implied by any of produce, fetch and admin, as Kafka's DESCRIBE is implied by READ,
 * WRITE and ALTER. Listing operations are open to every authenticated caller and filtered to what
 * the caller may see.
 */
import type { GroupAction, TopicAction } from './acl';
import type { OperationName } from './routes';

/** Where an operation's topic names are: the `{topic}` path parameter, or parts of the request. */
export type TopicSource = 'path' | 'body.name' | 'body.topics' | 'body.offsets[].topic' | 'query.topic'
  /** Upstash's shapes: the `{topic}` path parameter and every topic its body names (upstash/topics-of.ts). */
  | 'upstash';

export interface AccessRule {
  readonly topic?: { readonly action: TopicAction | 'describe'; readonly from: TopicSource };
  /** The `{group}` path parameter. */
  readonly group?: { readonly action: GroupAction };
  /** A listing, filtered to the topics or groups the caller has any right on. */
  readonly lists?: 'topics' | 'groups';
}

export const ACCESS_RULES: Readonly<Record<OperationName, AccessRule>> = {
  health: {},
  listTopics: { lists: 'topics' },
  createTopic: { topic: { action: 'admin', from: 'body.name' } },
  describeTopic: { topic: { action: 'describe', from: 'path' } },
  deleteTopic: { topic: { action: 'admin', from: 'path' } },
  produce: { topic: { action: 'produce', from: 'path' } },
  fetch: { topic: { action: 'fetch', from: 'path' } },
  listOffsets: { topic: { action: 'fetch', from: 'path' } },
  // Consumer groups (Kafka: group READ; topic DESCRIBE to subscribe, READ to commit).
  joinGroup: { group: { action: 'consume' }, topic: { action: 'describe', from: 'body.topics' } },
  heartbeat: { group: { action: 'consume' } },
  leaveGroup: { group: { action: 'consume' } },
  commitOffsets: { group: { action: 'consume' }, topic: { action: 'fetch', from: 'body.offsets[].topic' } },
  fetchGroupOffsets: { group: { action: 'consume' }, topic: { action: 'describe', from: 'query.topic' } },
  listGroups: { lists: 'groups' },
  // Upstash Kafka REST compatibility (docs/upstash.md). Its listings filter themselves (their
  // bodies are not the /v1 lists): lib/api/upstash/metadata.ts.
  upstashProduce: { topic: { action: 'produce', from: 'upstash' } },
  upstashProducePath: { topic: { action: 'produce', from: 'upstash' } },
  upstashFetch: { topic: { action: 'fetch', from: 'upstash' } },
  upstashOffsets: { topic: { action: 'fetch', from: 'upstash' } },
  upstashConsume: { group: { action: 'consume' }, topic: { action: 'fetch', from: 'upstash' } },
  upstashCommit: { group: { action: 'consume' }, topic: { action: 'fetch', from: 'upstash' } },
  upstashCommitted: { group: { action: 'consume' }, topic: { action: 'describe', from: 'upstash' } },
  upstashDeleteConsumer: { group: { action: 'consume' } },
  upstashTopics: {},
  upstashConsumers: {},
};
