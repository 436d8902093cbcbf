import { describe, expect, it } from 'vitest';
import { CONSOLE_PATH, consoleReply } from '../../../lib/local/console-assets';

describe('console assets', () => {
  it('redirects /console to /console/ so relative URLs resolve', async () => {
    const r = await consoleReply('GET', CONSOLE_PATH);
    expect(r.status).toBe(308);
    expect(r.headers.location).toBe('/console/');
  });

  it('serves index.html, the stylesheet and one bundled ES module', async () => {
    const index = await consoleReply('GET', '/console/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.body.toString()).toContain('<script type="module" src="console.js">');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    const css = await consoleReply('GET', '/console/console.css');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const js = await consoleReply('GET', '/console/console.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    const code = js.body.toString();
    expect(code).not.toMatch(/\bimport\s*[{*\w].*\bfrom\s*["']/); // bundled: no imports left
    expect(code).toContain('/v1/groups');
  }, 60_000);

  it('404s unknown files and refuses other methods', async () => {
    expect((await consoleReply('GET', '/console/../package.json')).status).toBe(404);
    expect((await consoleReply('GET', '/console/main.ts')).status).toBe(404);
    expect((await consoleReply('POST', '/console/')).status).toBe(405);
  });
});
