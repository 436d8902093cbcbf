/** GET /v1/groups: every group that has live members or committed offsets. */
import type { Storage } from '../storage';
import { liveCount } from './group-state';

export interface GroupSummary {
  readonly group: string;
  readonly generation: number;
  /** Members heard from within their session timeout. */
  readonly members: number;
}

/** Groups read at once while listing. */
const CONCURRENCY = 8;

export async function listGroups(storage: Storage): Promise<GroupSummary[]> {
  const names = await storage.groups.directory();
  const out: GroupSummary[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const group = names[next++];
      const read = await storage.groups.read(group);
      if (!read.meta) continue;
      const live = liveCount(read, Date.now());
      if (live > 0 || read.meta.hasOffsets === true) out.push({ group, generation: read.meta.generation, members: live });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, names.length) }, worker));
  return out.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}
