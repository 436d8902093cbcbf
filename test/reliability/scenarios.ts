/**
 * The scenario matrix of `npm run test:reliability` (and the short version in `npm test`).
 * Each scenario names its topology, the faults inside the stacks (environment), the nemesis
 * outside them, and its workload. docs/reliability.md describes them.
 */
import { fileURLToPath } from 'node:url';
import type { NodeSpec } from './cluster';
import type { ScenarioSpec } from './scenario';
import type { WorkloadSpec } from './worker';

const CLOCK_OFFSET = fileURLToPath(new URL('./faults/clock-offset.mjs', import.meta.url));

/** A random hit count for a fail point: the n-th append of the process (early in the first start, so short runs see it). */
const hit = (from: number, to: number): number => from + Math.floor(Math.random() * (to - from + 1));

/** The usual clients: a plain (at-least-once) producer, an idempotent one, two readers. */
function standardWorkload(prefix = ''): WorkloadSpec[] {
  return [
    { kind: 'producer', name: `${prefix}plain`, lanes: 2 },
    { kind: 'producer', name: `${prefix}idem`, idempotent: { id: `${prefix}idem`, epoch: 0 } },
    { kind: 'consumer', name: `${prefix}reader1` },
    { kind: 'consumer', name: `${prefix}reader2` },
  ];
}

/** `n` members of consumer group `group`. */
function members(group: string, n: number): WorkloadSpec[] {
  return Array.from({ length: n }, (_, i): WorkloadSpec => ({ kind: 'group', name: `member${i + 1}`, group, sessionTimeoutMs: 3_000 }));
}

const one = (env?: NodeSpec['env']): NodeSpec[] => [{ name: 'a', env }];
const two = (a?: NodeSpec['env'], b?: NodeSpec['env']): NodeSpec[] => [
  { name: 'a', env: a },
  { name: 'b', env: b },
];

const S3_FAULTS = [
  's3:PutObject:error:0.08',
  's3:PutObject:throttle:0.04',
  's3:PutObject:reset:0.03',
  's3:PutObject:lost:0.04',
  's3:PutObject:timeout:400:0.02',
  's3:GetObject:error:0.08',
  's3:GetObject:reset:0.04',
  's3:GetObject:timeout:300:0.02',
  's3:*:latency:5-150:0.2',
].join(',');

const DYNAMODB_FAULTS = [
  'dynamodb:UpdateItem:error:0.04',
  'dynamodb:UpdateItem:lost:0.04',
  'dynamodb:UpdateItem:timeout:300:0.02',
  'dynamodb:PutItem:error:0.04',
  'dynamodb:PutItem:lost:0.04',
  'dynamodb:GetItem:error:0.04',
  'dynamodb:GetItem:throttle:0.04',
  'dynamodb:Query:error:0.04',
  'dynamodb:Query:reset:0.02',
  'dynamodb:*:latency:5-200:0.2',
].join(',');

/** Maintenance every 500 ms with short delays, so retention, compaction and GC act within a run. */
const MAINTENANCE_ENV = {
  STREAMBED_MAINTENANCE_INTERVAL_MS: '500',
  STREAMBED_MAINTENANCE_ORPHAN_GRACE_MS: '15000',
  STREAMBED_MAINTENANCE_DELETION_DELAY_MS: '2000',
  STREAMBED_MAINTENANCE_COMPACTION_MIN_AGE_MS: '1000',
  STREAMBED_MAINTENANCE_COMPACTION_TARGET_BYTES: '2048',
  STREAMBED_MAINTENANCE_BUDGET_MS: '3000',
  STREAMBED_MAINTENANCE_LEASE_MARGIN_MS: '2000',
};

export const SCENARIOS: readonly ScenarioSpec[] = [
  {
    name: 'healthy',
    title: 'no faults: one stack, a plain and an idempotent producer, two readers',
    topology: 'embedded',
    nodes: one(),
    partitions: 3,
    workload: standardWorkload(),
  },
  {
    name: 'crash-after-put',
    title: 'kill -9 at fail point append.after-segment-put (the n-th append, n random), restart, clients retry',
    topology: 'embedded',
    nodes: one((gen) => ({ STREAMBED_FAILPOINTS: `append.after-segment-put=crash@${gen === 0 ? hit(3, 8) : hit(10, 40)}` })),
    restartOnCrash: true,
    partitions: 3,
    workload: standardWorkload(),
  },
  {
    name: 'crash-after-commit',
    title: 'kill -9 at fail point append.after-commit (before the index entry), restart, clients retry',
    topology: 'embedded',
    nodes: one((gen) => ({ STREAMBED_FAILPOINTS: `append.after-commit=crash@${gen === 0 ? hit(3, 8) : hit(10, 40)}` })),
    restartOnCrash: true,
    partitions: 3,
    workload: standardWorkload(),
  },
  {
    name: 'kill9',
    title: 'two stacks over shared storage, kill -9 of either at random moments, restart',
    topology: 'shared',
    nodes: two(),
    partitions: 3,
    workload: standardWorkload(),
    nemesis: [{ kind: 'kill', everyMs: 2_500, downMs: 800 }],
  },
  {
    name: 's3-faults',
    title: `S3 errors, throttling, resets, applied-but-lost PUTs, timeouts and latency (${S3_FAULTS})`,
    topology: 'shared',
    nodes: two(() => ({ STREAMBED_FAULTS: S3_FAULTS }), () => ({ STREAMBED_FAULTS: S3_FAULTS })),
    partitions: 3,
    workload: standardWorkload(),
  },
  {
    name: 'dynamodb-faults',
    title: `DynamoDB errors, throttling, applied-but-lost conditional writes, timeouts and latency (${DYNAMODB_FAULTS})`,
    topology: 'shared',
    nodes: two(() => ({ STREAMBED_FAULTS: DYNAMODB_FAULTS }), () => ({ STREAMBED_FAULTS: DYNAMODB_FAULTS })),
    partitions: 3,
    workload: standardWorkload(),
  },
  {
    name: 'zombie',
    title:
      'stack a stops itself (SIGSTOP) after its S3 PUT or after its commit, every partition is fenced (epoch bump), stack b takes the writes, a resumes; ' +
      'and an idempotent producer is taken over by a newer epoch halfway',
    topology: 'shared',
    nodes: two((gen) => ({ STREAMBED_FAILPOINTS: `${gen % 2 === 0 ? 'append.after-segment-put' : 'append.after-commit'}=stop@${gen === 0 ? hit(1, 3) : hit(2, 8)}` })),
    partitions: 3,
    workload: [
      ...standardWorkload(),
      { kind: 'producer', name: 'owner-e0', idempotent: { id: 'owner', epoch: 0 } },
      { kind: 'producer', name: 'owner-e1', idempotent: { id: 'owner', epoch: 1 }, startAt: 0.5 },
    ],
    nemesis: [{ kind: 'pause-fence', node: 'a', everyMs: 1_500, holdMs: 1_500 }],
  },
  {
    name: 'paused-random',
    title: 'SIGSTOP of a stack at a random moment under load, fence, the other stack writes, SIGCONT',
    topology: 'shared',
    nodes: two(),
    partitions: 3,
    workload: standardWorkload(),
    nemesis: [{ kind: 'pause-fence', node: 'a', everyMs: 2_500, holdMs: 1_500, external: true }],
  },
  {
    name: 'retry-storm',
    title: 'idempotent producers send 4 copies of every request, drop 30% of responses, DynamoDB loses 5% of conditional-write responses',
    topology: 'shared',
    nodes: two(
      () => ({ STREAMBED_FAULTS: 'dynamodb:UpdateItem:lost:0.05,dynamodb:PutItem:lost:0.05' }),
      () => ({ STREAMBED_FAULTS: 'dynamodb:UpdateItem:lost:0.05,dynamodb:PutItem:lost:0.05' }),
    ),
    partitions: 3,
    workload: [
      { kind: 'producer', name: 'storm1', idempotent: { id: 'storm1', epoch: 0 }, copies: 4, dropRate: 0.3 },
      { kind: 'producer', name: 'storm2', idempotent: { id: 'storm2', epoch: 0 }, copies: 4, dropRate: 0.3 },
      { kind: 'consumer', name: 'reader1' },
    ],
  },
  {
    name: 'groups',
    title: 'three consumer-group members (session timeout 3 s) reading and committing; a member is killed -9 every ~3 s and replaced, a stack every ~6 s',
    topology: 'shared',
    nodes: two(),
    partitions: 4,
    workload: [
      { kind: 'producer', name: 'plain', lanes: 2 },
      ...members('g1', 3),
    ],
    nemesis: [
      { kind: 'kill-client', prefix: 'member', everyMs: 3_000 },
      { kind: 'kill', everyMs: 6_000, downMs: 800 },
    ],
  },
  {
    name: 'maintenance',
    title: 'retention (8 s), compaction and orphan GC every 500 ms on both stacks during load, kill -9 of either stack now and then',
    topology: 'shared',
    nodes: two(() => MAINTENANCE_ENV, () => MAINTENANCE_ENV),
    partitions: 2,
    topicConfig: { 'retention.ms': 8_000 },
    workload: standardWorkload(),
    nemesis: [{ kind: 'kill', everyMs: 6_000, downMs: 800 }],
  },
  {
    name: 'clock-skew',
    title:
      "maintenance on both stacks, stack b's clock 8 s ahead: longer than the maintenance lease (5 s), so both run at once, than the deletion delay (2 s) and than the group session timeout (3 s); shorter than the orphan grace (15 s)",
    topology: 'shared',
    nodes: two(
      () => MAINTENANCE_ENV,
      () => ({ ...MAINTENANCE_ENV, NODE_OPTIONS: `--import ${CLOCK_OFFSET}`, STREAMBED_CLOCK_OFFSET_MS: '8000' }),
    ),
    partitions: 2,
    workload: [...standardWorkload(), ...members('g1', 2)],
  },
];

/** The short version run by `npm test` (test/integration/reliability-short.test.ts). */
export const SHORT_SCENARIOS = ['crash-after-commit', 'zombie', 'retry-storm', 'dynamodb-faults'] as const;

export function scenario(name: string): ScenarioSpec {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return found;
}
