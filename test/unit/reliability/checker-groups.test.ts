/** The consumer-group part of the reliability checker (test/reliability/checker-groups.ts). */
import { describe, expect, it } from 'vitest';
import { check, violations } from '../../reliability/checker';
import { History } from './history-builder';

describe('the reliability checker, consumer groups', () => {
  it('finds nothing when generations move forward and stale commits are refused', () => {
    const h = new History()
      .told('c1', 'join', 'm1', 1, [0, 1])
      .commit('c1', 'm1', 1, 0, 5, 'ok')
      .told('c2', 'join', 'm2', 2, [1])
      .told('c1', 'heartbeat', 'm1', 2, [0])
      .commit('c1', 'm1', 1, 0, 6, 'fail', { stale: true })
      .commit('c1', 'm1', 2, 0, 7, 'ok')
      .audit({ f: 'group-offsets', group: 'g', offsets: [[0, 7], [1, null]] });
    const r = check(h.events);
    expect(violations(r)).toEqual([]);
    expect(r.groups).toMatchObject({ joins: 2, generations: 2, commitsAcked: 2, commitsRefused: 1, staleProbes: 1, staleProbesRefused: 1 });
  });

  it('reports a commit accepted with a generation older than one already told to a member', () => {
    const h = new History()
      .told('c1', 'join', 'm1', 1, [0, 1])
      .told('c2', 'join', 'm2', 2, [1])
      .commit('c1', 'm1', 1, 0, 5, 'ok');
    const r = check(h.events);
    expect(r.staleCommitsAccepted.count).toBe(1);
    expect(violations(r)).toEqual(['group commits of a stale generation accepted']);
  });

  it('accepts a commit of generation g that was sent before anyone heard of g+1', () => {
    const h = new History().told('c1', 'join', 'm1', 1, [0]).commit('c1', 'm1', 1, 0, 5, 'ok').told('c2', 'join', 'm2', 2, [0]);
    expect(check(h.events).staleCommitsAccepted.count).toBe(0);
  });

  it('reports a partition given to two members in the same generation', () => {
    const h = new History().told('c1', 'join', 'm1', 3, [0, 1]).told('c2', 'heartbeat', 'm2', 3, [1, 2]);
    const r = check(h.events);
    expect(r.splitOwnership.count).toBe(1);
    expect(r.splitOwnership.examples[0]).toMatchObject({ partition: 1 });
  });

  it('reports a final committed offset other than the last acknowledged commit', () => {
    const h = new History()
      .told('c1', 'join', 'm1', 1, [0])
      .commit('c1', 'm1', 1, 0, 5, 'ok')
      .commit('c1', 'm1', 1, 0, 9, 'ok')
      .audit({ f: 'group-offsets', group: 'g', offsets: [[0, 5]] });
    expect(check(h.events).groupOffsetsLost.count).toBe(1);
  });

  it('does not judge the final offset when an indeterminate commit may have come last', () => {
    const h = new History()
      .told('c1', 'join', 'm1', 1, [0])
      .commit('c1', 'm1', 1, 0, 9, 'ok')
      .commit('c1', 'm1', 1, 0, 12, 'info')
      .audit({ f: 'group-offsets', group: 'g', offsets: [[0, 12]] });
    expect(check(h.events).groupOffsetsLost.count).toBe(0);
  });
});
