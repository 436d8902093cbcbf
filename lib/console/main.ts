/**
 * The Streambed web console: a hash router over a few pages (topics, a topic's partitions, the
 * partition browser, groups with a lag chart, settings). Bundled by esbuild into console.js; the
 * local stack serves it at /console (lib/local/console-assets.ts), `npm run build:console` writes
 * a static copy for any web host (docs/console.md).
 */
import { ConsoleApi, type ConsoleSettings } from './api';
import { h } from './dom';
import type { Page, PageContext } from './page';
import { groupPage } from './pages/group-page';
import { groupsPage } from './pages/groups-page';
import { partitionPage } from './pages/partition-page';
import { topicPage } from './pages/topic-page';
import { topicsPage } from './pages/topics-page';
import { loadSettings, saveSettings, settingsForm } from './settings';

let settings: ConsoleSettings = loadSettings();
let timers: ReturnType<typeof setInterval>[] = [];
let renderId = 0;

function pick(path: string[]): { page: Page; params: string[]; nav: string } | undefined {
  const [name, ...params] = path;
  if (name === 'topics' && params.length === 0) return { page: topicsPage, params, nav: 'topics' };
  if (name === 'topics' && params.length === 1) return { page: topicPage, params, nav: 'topics' };
  if (name === 'topics' && params.length === 3 && params[1] === 'partitions') return { page: partitionPage, params, nav: 'topics' };
  if (name === 'groups' && params.length === 0) return { page: groupsPage, params, nav: 'groups' };
  if (name === 'groups' && params.length === 1) return { page: groupPage, params, nav: 'groups' };
  return undefined;
}

async function render(): Promise<void> {
  const id = ++renderId;
  for (const t of timers) clearInterval(t);
  timers = [];
  const main = document.getElementById('app') as HTMLElement;
  const hash = location.hash.replace(/^#\/?/, '') || 'topics';
  const [pathPart, queryPart = ''] = hash.split('?');
  const path = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  document.getElementById('api-url')!.textContent = settings.apiUrl;
  if (path[0] === 'settings') {
    setNav('settings');
    main.replaceChildren(
      settingsForm(settings, (s) => {
        settings = s;
        saveSettings(s);
        location.hash = '#/topics';
      }),
    );
    return;
  }
  const found = pick(path);
  if (!found) {
    main.replaceChildren(h('p', {}, `No page at #/${pathPart}. `, h('a', { href: '#/topics' }, 'Topics')));
    return;
  }
  setNav(found.nav);
  main.setAttribute('aria-busy', 'true');
  const ctx: PageContext = {
    api: new ConsoleApi(settings),
    params: found.params,
    query: new URLSearchParams(queryPart),
    every: (ms, fn) => {
      if (id !== renderId) return;
      let running = false;
      timers.push(
        setInterval(() => {
          if (running || id !== renderId) return;
          running = true;
          void Promise.resolve(fn()).finally(() => (running = false));
        }, ms),
      );
    },
    go: (to) => {
      location.hash = to;
    },
  };
  try {
    const el = await found.page(ctx);
    if (id === renderId) main.replaceChildren(el);
  } catch (err) {
    if (id === renderId) {
      const e = err as Error & { code?: string };
      main.replaceChildren(h('div', { class: 'error', role: 'alert' }, h('strong', {}, e.code ?? 'Error'), `: ${e.message}`, ' — ', h('a', { href: '#/settings' }, 'settings')));
    }
  } finally {
    if (id === renderId) main.removeAttribute('aria-busy');
  }
}

function setNav(active: string): void {
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a[data-nav]')) a.classList.toggle('on', a.dataset.nav === active);
}

window.addEventListener('hashchange', () => void render());
document.getElementById('refresh')?.addEventListener('click', () => void render());
void render();
