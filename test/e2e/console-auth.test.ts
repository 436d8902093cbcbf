/**
 * The console against a local stack with STREAMBED_BASIC_AUTH: its files load without credentials
 * (they hold no data), its API calls are refused until a user and password are entered in
 * Settings, and then carry them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Browser } from '../helpers/chromium';
import { spawnLocalStack, type LocalStackProcess } from '../helpers/local-stack-process';

const WAIT = { timeout: 60_000 };
const USER = 'console-user';
const PASSWORD = 'pässword:with-colon';

describe('web console with Basic auth', { timeout: 240_000 }, () => {
  let dataDir: string;
  let stack: LocalStackProcess;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'streambed-console-auth-'));
    stack = await spawnLocalStack({ dataDir, env: { STREAMBED_BASIC_AUTH: `${USER}:${PASSWORD}`, STREAMBED_ACL: undefined, STREAMBED_MAINTENANCE_INTERVAL_MS: '0' } });
    const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const res = await fetch(`${stack.url}/v1/topics`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ name: 'guarded', partitions: 1 }) });
    expect(res.status).toBe(201);
    browser = await launchChromium(WAIT.timeout);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('loads without credentials, is refused by the API, then works with the user entered', async () => {
    const { page } = browser;
    await page.goto(`${stack.url}/console/`);
    await expect.poll(() => page.locator('[role="alert"]').textContent(), WAIT).toContain('UNAUTHORIZED');

    await page.locator('nav a[data-nav="settings"]').click();
    await page.locator('input[name="username"]').fill(USER);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.locator('form.settings button[type="submit"]').click();
    await page.locator('table.topics a[data-topic="guarded"]').waitFor(WAIT);

    // The password is kept for the tab only (sessionStorage), never in localStorage.
    // A string expression: this file compiles without DOM types.
    const stored = await page.evaluate<string>('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })');
    expect(stored).toContain(USER);
    expect(JSON.parse(stored).local['streambed.console']).not.toContain('pässword');
  });
});
