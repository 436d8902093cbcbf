/**
 * The web console end to end: Debian's Chromium (headless, driven by playwright-core) clicks
 * through the console the local stack serves at /console, over data made through the API first —
 * a topic whose records have keys and headers, and a group with a committed offset and lag.
 *
 * Needs /usr/bin/chromium (.ci/run installs it: `apt-get install -y chromium`).
 * Screenshots go to /tmp/streambed-console-*.png (look at them when changing the pages).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type Browser } from '../helpers/chromium';
import { api, type Api } from '../helpers/http';

/** Waits for the page are generous: two cores shared by several test runs. */
const WAIT = { timeout: 60_000 };

/** A legend entry of the lag chart: long labels keep their last 17 characters (lib/console/lag-chart.ts). */
function legend(label: string, lag: number): string {
  return `${label.length <= 18 ? label : `…${label.slice(label.length - 17)}`}: ${lag}`;
}

// Each test may wait up to WAIT several times: its own limit is well above that.
describe('web console (headless Chromium)', { timeout: 240_000 }, () => {
  const baseUrl = inject('baseUrl');
  const http: Api = api(baseUrl);
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const topic = `console-e2e-${suffix}`;
  const group = `console-e2e-group-${suffix}`;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    expect((await http.post('/v1/topics', { name: topic, partitions: 2 })).status).toBe(201);
    // Partition 0: 25 records with keys and headers (two pages of 20); partition 1: 3 records.
    const p0 = Array.from({ length: 25 }, (_, i) => ({ partition: 0, key: `user-${i}`, value: `{"order":${i},"note":"héllo"}`, headers: [{ key: 'trace', value: `t-${i}` }] }));
    const p1 = Array.from({ length: 3 }, (_, i) => ({ partition: 1, key: null, value: `plain-${i}` }));
    expect((await http.post(`/v1/topics/${topic}/records`, { records: [...p0, ...p1] })).status).toBe(200);
    // The group has read partition 0 up to offset 5: lag 20 there, 3 on partition 1 (no commit).
    expect((await http.post(`/v1/groups/${group}/offsets`, { offsets: [{ topic, partition: 0, offset: 5, metadata: 'console-test' }] })).status).toBe(200);

    browser = await launchChromium(WAIT.timeout);
    page = browser.page;
    pageErrors = browser.errors;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await http.del(`/v1/topics/${topic}`);
  });

  it('lists topics with partitions, log start offsets and high watermarks', async () => {
    await page.goto(`${baseUrl}/console`); // redirected to /console/
    expect(new URL(page.url()).pathname).toBe('/console/');
    const row = page.locator('table.topics tr', { has: page.locator(`a[data-topic="${topic}"]`) });
    await row.waitFor(WAIT);
    await expect.poll(() => row.locator('td').nth(1).textContent(), WAIT).toBe('2');
    expect(await row.locator('td').nth(2).textContent()).toBe('28');
    expect(await row.locator('.chip').allTextContents()).toEqual(['0: 0…25', '1: 0…3']);
    await page.screenshot({ path: '/tmp/streambed-console-topics.png', fullPage: true });

    await row.locator(`a[data-topic="${topic}"]`).click();
    await page.locator('[data-page="topic"]').waitFor(WAIT);
    expect(await page.locator('table.partitions [data-col="high-watermark"]').allTextContents()).toEqual(['25', '3']);
    expect(await page.locator('table.partitions [data-col="log-start"]').allTextContents()).toEqual(['0', '0']);
    // Payload of partition 1: 3 values of 7 bytes, no keys, no headers — the sample is the whole partition.
    expect(await page.locator('table.partitions tbody tr').nth(1).locator('td').nth(4).textContent()).toBe('≈ 21 B');
    await page.screenshot({ path: '/tmp/streambed-console-topic.png', fullPage: true });
  });

  it('browses a partition: keys, headers, values, paging and the utf8/base64 toggle', async () => {
    await page.locator('table.partitions a', { hasText: 'browse records' }).first().click();
    await page.locator('[data-page="partition"] table.records').waitFor(WAIT);
    const offsets = async (): Promise<string[]> => page.locator('table.records [data-col="offset"]').allTextContents();
    expect(await offsets()).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    const first = page.locator('table.records tbody tr').first();
    expect(await first.locator('[data-col="key"]').textContent()).toBe('user-0');
    expect(await first.locator('[data-col="headers"]').textContent()).toBe('trace=t-0');
    expect(await first.locator('[data-col="value"]').textContent()).toBe('{"order":0,"note":"héllo"}');
    await page.screenshot({ path: '/tmp/streambed-console-partition-utf8.png', fullPage: true });

    await page.locator('[data-nav="next"]').click();
    await expect.poll(offsets, WAIT).toEqual(['20', '21', '22', '23', '24']);
    expect(await page.locator('table.records [data-col="key"]').last().textContent()).toBe('user-24');

    await page.locator('[data-encoding="base64"]').click();
    await expect.poll(() => page.locator('table.records [data-col="key"]').first().textContent(), WAIT).toBe(Buffer.from('user-20').toString('base64'));
    expect(await page.locator('table.records [data-col="value"]').first().textContent()).toBe(Buffer.from('{"order":20,"note":"héllo"}').toString('base64'));
    expect(await page.locator('table.records [data-col="headers"]').first().textContent()).toBe(`trace=${Buffer.from('t-20').toString('base64')}`);

    await page.locator('[data-nav="prev"]').click();
    await expect.poll(offsets, WAIT).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    await page.screenshot({ path: '/tmp/streambed-console-partition.png', fullPage: true });
  });

  it('shows a group with its lag per partition, and the lag chart gets points as lag changes', async () => {
    await page.locator('nav a[data-nav="groups"]').click();
    const link = page.locator(`a[data-group="${group}"]`);
    await link.waitFor(WAIT);
    await link.click();
    await page.locator('table.lag').waitFor(WAIT);
    expect(await page.locator('table.lag [data-col="lag"]').allTextContents()).toEqual(['20', '3']);
    expect(await page.locator('[data-total-lag]').textContent()).toBe('23');
    const chart = page.locator('svg.lag-chart');
    expect(await chart.getAttribute('data-series')).toBe('2');
    // Sampled every 2 s: the chart's points grow while the page is open.
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), WAIT).toBeGreaterThanOrEqual(6);

    // Lag moves: 10 more records on partition 1, and the group commits partition 0 to the end.
    await http.post(`/v1/topics/${topic}/records`, { records: Array.from({ length: 10 }, (_, i) => ({ partition: 1, value: `more-${i}` })) });
    await http.post(`/v1/groups/${group}/offsets`, { offsets: [{ topic, partition: 0, offset: 25 }] });
    await expect.poll(() => page.locator('table.lag [data-col="lag"]').allTextContents(), WAIT).toEqual(['0', '13']);
    await expect.poll(() => page.locator('svg.lag-chart .legend').allTextContents(), WAIT).toEqual([legend(`${topic}-0`, 0), legend(`${topic}-1`, 13)]);
    // The line of partition 1 has points at lag 3 and at lag 13: it went up.
    const line = await page.locator(`svg.lag-chart polyline[data-label="${topic}-1"]`).getAttribute('points');
    const ys = new Set((line ?? '').split(' ').map((p) => p.split(',')[1]));
    expect(ys.size).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: '/tmp/streambed-console-group.png', fullPage: true });
  });

  it('takes another API URL in Settings and says when it cannot reach it', async () => {
    expect(pageErrors).toEqual([]); // the pages above ran cleanly; this one fails on purpose
    await page.locator('nav a[data-nav="settings"]').click();
    await page.locator('input[name="apiUrl"]').fill('http://127.0.0.1:9');
    await page.locator('form.settings button[type="submit"]').click();
    await expect.poll(() => page.locator('[role="alert"]').textContent(), WAIT).toContain('cannot reach http://127.0.0.1:9');
    expect(await page.locator('#api-url').textContent()).toBe('http://127.0.0.1:9');
    // Back to the page's own origin: the default again.
    await page.locator('nav a[data-nav="settings"]').click();
    await page.locator('input[name="apiUrl"]').fill(baseUrl);
    await page.locator('form.settings button[type="submit"]').click();
    await page.locator(`table.topics a[data-topic="${topic}"]`).waitFor(WAIT);
    pageErrors.length = 0; // the refused connection was logged as a failed resource
  });

  it('ran without script errors or blocked resources', () => {
    expect(pageErrors).toEqual([]);
  });
});
