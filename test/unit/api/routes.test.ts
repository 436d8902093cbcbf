import { describe, expect, it } from 'vitest';
import { StreambedError } from '../../../lib/errors';
import { matchRoute, routeByKey, routeKey, ROUTES } from '../../../lib/api/routes';

describe('route table', () => {
  it('matches every route and decodes path parameters as API Gateway does', () => {
    const m = matchRoute('GET', '/v1/topics/my%2Etopic/partitions/7/records');
    expect(m.route.operation).toBe('fetch');
    expect(m.pathParameters).toEqual({ topic: 'my.topic', partition: '7' });
    expect(matchRoute('post', '/v1/topics').route.operation).toBe('createTopic');
    expect(matchRoute('DELETE', '/v1/topics/a').route.operation).toBe('deleteTopic');
    expect(matchRoute('GET', '/v1/health/').route.operation).toBe('health');
  });

  it('answers 404 for unknown paths and 405 for known paths with another method, both INVALID_REQUEST', () => {
    const notFound = (() => {
      try {
        matchRoute('GET', '/v2/nothing');
      } catch (e) {
        return e as StreambedError;
      }
    })();
    expect(notFound).toBeInstanceOf(StreambedError);
    expect(notFound?.status).toBe(404);
    expect(notFound?.code).toBe('INVALID_REQUEST');
    try {
      matchRoute('PUT', '/v1/topics');
      expect.unreachable();
    } catch (e) {
      expect((e as StreambedError).status).toBe(405);
    }
  });

  it('refuses a path segment that is not valid percent-encoding', () => {
    expect(() => matchRoute('GET', '/v1/topics/%E0%A4%A')).toThrow(StreambedError);
  });

  it('finds every route by its API Gateway route key, and keys are unique', () => {
    const keys = ROUTES.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of ROUTES) expect(routeByKey(routeKey(r))).toBe(r);
    expect(routeByKey('$default')).toBeUndefined();
  });
});
