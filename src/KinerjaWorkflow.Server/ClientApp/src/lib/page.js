// What every signed-in page shares: the page data the server rendered, the server's clock, and the header's
// unread notifications, kept live by the notifications stream (server-sent events) or, when the stream is not
// available, by asking every few seconds.

import { api, itemsOf } from './api.js';
import { $, h, replace } from './dom.js';
import { dateTime } from './format.js';

export const page = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}');
export const office = page.office ?? {};
export const user = page.user ?? {};

// The server's clock may differ from the browser's (and in tests it is moved on purpose): keep the offset.
let clockOffset = page.serverNow ? Date.parse(page.serverNow) - Date.now() : 0;
export function serverNow() {
  return Date.now() + clockOffset;
}
export function syncServerClock(serverInstant) {
  if (serverInstant) clockOffset = Date.parse(serverInstant) - Date.now();
}

const listeners = { task: new Set(), notification: new Set(), refresh: new Set() };

/** Called with each live event: 'task' (a new task for me), 'notification' (new notification), 'refresh' (polled). */
export function onLive(kind, listener) {
  listeners[kind].add(listener);
}

function emit(kind, data) {
  for (const listener of listeners[kind]) listener(data);
}

const KIND_LABELS = { escalation: 'Eskalasi', reminder: 'Pengingat', message: 'Pesan', task: 'Tugas baru' };

export function kindLabel(kind) {
  return KIND_LABELS[kind] ?? kind;
}

let unread = [];
let seen = null;

async function refreshUnread({ announce }) {
  let list;
  try {
    list = itemsOf(await api('/api/notifications?unread=true'));
  } catch {
    return;
  }
  const fresh = seen === null ? [] : list.filter((n) => !seen.has(n.id));
  seen = new Set(list.map((n) => n.id).concat(seen ? [...seen] : []));
  unread = list;
  renderCount();
  renderPanel();
  if (announce) {
    for (const notification of fresh) {
      toast(notification);
      emit('notification', notification);
    }
  }
}

function renderCount() {
  const count = $('#notif-count');
  if (!count) return;
  count.textContent = String(unread.length);
  count.dataset.count = String(unread.length);
  $('#notif-button')?.setAttribute('aria-label', `Notifikasi, ${unread.length} belum dibaca`);
}

function notificationLink(notification) {
  if (notification.taskId) return `/tugas/${notification.taskId}`;
  if (notification.instanceId) return `/instans/${notification.instanceId}`;
  return null;
}

function renderPanel() {
  const panel = $('#notif-panel');
  if (!panel) return;
  const items = unread.map((n) => {
    const link = notificationLink(n);
    return h('li', { class: `notif-item kind-${n.kind}` },
      h('span', { class: `kind-chip kind-${n.kind}` }, kindLabel(n.kind)),
      h('div', { class: 'notif-text' },
        link ? h('a', { href: link }, n.subject || n.message) : h('span', null, n.subject || n.message),
        n.subject && n.subject !== n.message ? h('p', { class: 'muted small' }, n.message) : null,
        h('p', { class: 'muted small' }, dateTime(n.createdAt, office.timeZone))),
      h('button', { type: 'button', class: 'button-quiet small', onclick: () => markRead(n.id) }, 'Tandai dibaca'));
  });
  replace(panel,
    h('div', { class: 'notif-head' }, h('h2', null, 'Notifikasi'),
      h('div', { class: 'button-row' },
        items.length > 0 ? h('button', { type: 'button', class: 'button-quiet small', onclick: markAllRead }, 'Tandai semua dibaca') : null,
        h('button', { type: 'button', class: 'button-quiet small', onclick: () => togglePanel(false) }, 'Tutup'))),
    items.length === 0 ? h('p', { class: 'muted empty' }, 'Tidak ada notifikasi baru.') : h('ul', { class: 'notif-list' }, items));
}

async function markRead(id) {
  try {
    await api(`/api/notifications/${id}/read`, { method: 'POST' });
  } finally {
    await refreshUnread({ announce: false });
    $('#notif-button')?.focus();
  }
}

async function markAllRead() {
  try {
    await api('/api/notifications/read-all', { method: 'POST' });
  } catch (error) {
    flash(error.message, 'error');
  } finally {
    await refreshUnread({ announce: false });
  }
}

function togglePanel(open) {
  const panel = $('#notif-panel');
  const button = $('#notif-button');
  if (!panel || !button) return;
  const show = open ?? panel.hidden;
  panel.hidden = !show;
  button.setAttribute('aria-expanded', String(show));
  if (show) panel.querySelector('a, button')?.focus();
}

export function toast(notification) {
  const region = $('#toasts');
  if (!region) return;
  const link = notificationLink(notification);
  const item = h('div', { class: `toast kind-${notification.kind}` },
    h('span', { class: `kind-chip kind-${notification.kind}` }, kindLabel(notification.kind)),
    link ? h('a', { href: link }, notification.subject || notification.message) : h('span', null, notification.subject || notification.message),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Tutup pemberitahuan', onclick: () => item.remove() }, '×'));
  region.append(item);
}

export function flash(message, kind = 'info') {
  const region = $('#toasts');
  if (!region) return;
  const item = h('div', { class: `toast flash-${kind}` }, h('span', null, message),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Tutup pemberitahuan', onclick: () => item.remove() }, '×'));
  region.append(item);
  setTimeout(() => item.remove(), 8000);
}

let pollTimer = null;

function startPolling() {
  if (pollTimer) return;
  const seconds = Math.max(1, Number(page.notificationPollSeconds) || 30);
  pollTimer = setInterval(() => {
    refreshUnread({ announce: true });
    emit('refresh');
  }, seconds * 1000);
}

function connectStream() {
  if (!('EventSource' in window)) {
    startPolling();
    return;
  }
  const source = new EventSource('/api/notifications/stream');
  source.addEventListener('notification', (event) => {
    const notification = JSON.parse(event.data);
    refreshUnread({ announce: false });
    if (!seen?.has(notification.id)) {
      seen?.add(notification.id);
      toast(notification);
      emit('notification', notification);
    }
  });
  source.addEventListener('task', (event) => emit('task', JSON.parse(event.data)));
  source.addEventListener('open', () => {
    // Events missed while disconnected are not replayed: catch up once the stream is back.
    refreshUnread({ announce: true });
    emit('refresh');
  });
  source.addEventListener('error', () => {
    // A missing or refusing endpoint closes the stream for good; fall back to asking every few seconds.
    if (source.readyState === EventSource.CLOSED) startPolling();
  });
}

/** The header's menu on a narrow screen: the button opens and closes it; Escape or a click elsewhere closes it. */
function toggleMenu(open) {
  const button = $('#menu-button');
  if (!button) return;
  const show = open ?? button.getAttribute('aria-expanded') !== 'true';
  button.setAttribute('aria-expanded', String(show));
  if (show) $('#header-menu a, #header-menu button')?.focus();
}

export function initLayout() {
  $('#notif-button')?.addEventListener('click', () => togglePanel());
  $('#menu-button')?.addEventListener('click', () => toggleMenu());
  document.addEventListener('click', (event) => {
    if ($('#menu-button')?.getAttribute('aria-expanded') === 'true' && !event.target.closest('#header-menu, #menu-button')) toggleMenu(false);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    if (!$('#notif-panel')?.hidden) {
      togglePanel(false);
      $('#notif-button')?.focus();
    } else if ($('#menu-button')?.getAttribute('aria-expanded') === 'true') {
      toggleMenu(false);
      $('#menu-button').focus();
    }
  });
  refreshUnread({ announce: false });
  connectStream();
}

/**
 * Wraps a page's loader so that when live events start several loads, only the newest one's answer is shown:
 * an older answer arriving late never overwrites a newer one.
 */
export function latestOnly(loader) {
  let sequence = 0;
  return async (...args) => {
    const mine = ++sequence;
    const result = await loader(...args);
    return mine === sequence ? result : undefined;
  };
}

/** The page's main area, no longer busy. */
export function app() {
  const element = $('#app');
  element.removeAttribute('aria-busy');
  return element;
}

export function errorBox(error) {
  const messages = error?.messages ?? [error?.message ?? String(error)];
  return h('div', { class: 'alert alert-error', role: 'alert' },
    messages.length === 1 ? h('p', null, messages[0]) : h('ul', null, messages.map((m) => h('li', null, m))));
}
