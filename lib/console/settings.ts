/**
 * Where the console's API is and how to authenticate: the page's own origin by default (the local
 * stack serves the console at /console), or a URL set in the settings form or as `?api=<url>` on
 * the console's address. The URL and user name are kept in localStorage; the password only in
 * sessionStorage (gone when the tab closes).
 */
import type { ConsoleSettings } from './api';
import { h } from './dom';

const KEY = 'streambed.console';

export function loadSettings(): ConsoleSettings {
  const fromQuery = new URLSearchParams(location.search).get('api');
  let saved: { apiUrl?: string; username?: string } = {};
  try {
    saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as typeof saved;
  } catch {
    // a corrupt entry: defaults
  }
  return {
    apiUrl: fromQuery || saved.apiUrl || location.origin,
    username: saved.username || undefined,
    password: sessionStorage.getItem(`${KEY}.password`) ?? undefined,
  };
}

export function saveSettings(s: ConsoleSettings): void {
  localStorage.setItem(KEY, JSON.stringify({ apiUrl: s.apiUrl === location.origin ? undefined : s.apiUrl, username: s.username }));
  if (s.password) sessionStorage.setItem(`${KEY}.password`, s.password);
  else sessionStorage.removeItem(`${KEY}.password`);
}

export function settingsForm(current: ConsoleSettings, onSave: (s: ConsoleSettings) => void): HTMLElement {
  const url = h('input', { name: 'apiUrl', type: 'url', value: current.apiUrl, size: 48, required: true });
  const user = h('input', { name: 'username', value: current.username ?? '', autocomplete: 'username' });
  const pass = h('input', { name: 'password', type: 'password', value: current.password ?? '', autocomplete: 'current-password' });
  return h(
    'section',
    { 'data-page': 'settings' },
    h('h2', {}, 'Settings'),
    h(
      'form',
      {
        class: 'settings',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          onSave({ apiUrl: url.value.replace(/\/+$/, '') || location.origin, username: user.value || undefined, password: pass.value || undefined });
        },
      },
      h('label', {}, 'API URL ', url),
      h('label', {}, 'Basic auth user ', user),
      h('label', {}, 'password ', pass),
      h('button', { type: 'submit' }, 'save'),
    ),
    h('p', { class: 'muted' }, 'Default: this page’s origin (the local stack). User and password only when the local stack runs with STREAMBED_BASIC_AUTH. A deployed stack needs SigV4, which the console does not do: see docs/console.md.'),
  );
}
