/** #/groups: every consumer group (members, generation). */
import { h, route, table } from '../dom';
import type { PageContext } from '../page';

interface GroupList {
  groups: { group: string; generation: number; members: number }[];
}

export async function groupsPage(ctx: PageContext): Promise<HTMLElement> {
  const { groups } = await ctx.api.get<GroupList>('/v1/groups');
  const rows = groups.map((g) => [h('a', { href: route('groups', g.group), 'data-group': g.group }, g.group), g.generation, g.members]);
  return h(
    'section',
    { 'data-page': 'groups' },
    h('h2', {}, `Consumer groups (${groups.length})`),
    groups.length === 0 ? h('p', { class: 'muted' }, 'No groups: a group appears once it has members or committed offsets.') : table(['group', 'generation', 'live members'], rows, { class: 'groups' }),
  );
}
