/**
 * Debian's Chromium (/usr/bin/chromium), headless, driven by playwright-core, for the console's
 * end-to-end tests. A fresh profile per launch; page errors and console errors are collected so a
 * test can check the page ran cleanly (a CSP violation or a 404 is a console error).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  readonly page: Page;
  /** Page errors and console errors so far (a test may clear it). */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function launchChromium(defaultTimeoutMs: number): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'streambed-chromium-'));
  let context: BrowserContext | undefined;
  try {
    // launchPersistentContext: the way playwright takes a --user-data-dir of our own.
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(defaultTimeoutMs);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${msg.text()} (${msg.location().url})`);
    });
    const ctx = context;
    return {
      page,
      errors,
      async close() {
        await ctx.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await context?.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
