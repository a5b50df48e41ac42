import '../styles/base.css';
import '../styles/inbox.css';
import { api, itemsOf } from '../lib/api.js';
import { h, replace, table } from '../lib/dom.js';
import { DEADLINE_LABELS, PROVISIONAL_LABEL, deadlineState, workingTimeRemaining } from '../lib/deadline.js';
import { definitionNames } from '../lib/definitions.js';
import { dateTime } from '../lib/format.js';
import { app, errorBox, flash, initLayout, latestOnly, office, onLive, serverNow, user } from '../lib/page.js';

initLayout();

const root = app();
const FILTERS = [
  { id: 'all', label: 'Semua aktif', test: () => true },
  { id: 'mine', label: 'Saya kerjakan', test: (t) => t.assignee === user.username },
  { id: 'open', label: 'Belum diambil', test: (t) => t.status === 'open' },
];
let filter = 'all';
let tasks = [];
let teamTasks = [];
let remainingTime = new Map();
let knownIds = null;
const fresh = new Set();

const summary = h('div', { class: 'stat-row inbox-stats' });
const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Saring tugas' });
const listArea = h('div', { id: 'inbox-list', role: 'tabpanel' });
const status = h('p', { class: 'muted small', 'aria-live': 'polite' });
const teamArea = h('div', { id: 'team-tasks' });

replace(root,
  h('div', { class: 'page-head' },
    h('div', null,
      h('h1', null, 'Kotak Tugas'),
      h('p', null, `Tugas Anda dan tugas peran Anda (${(user.roles ?? []).join(', ') || 'tanpa peran'}), diurutkan menurut tenggat.`)),
    legend()),
  summary,
  h('section', { class: 'card', 'aria-labelledby': 'inbox-heading' },
    h('div', { class: 'card-head' }, h('h2', { id: 'inbox-heading' }, 'Tugas saya'), status),
    tabs,
    listArea),
  teamArea);

function legend() {
  return h('ul', { class: 'legend', 'aria-label': 'Arti warna' },
    ['ontime', 'near', 'overdue'].map((state) => h('li', null, h('span', { class: `chip state-${state}` }, DEADLINE_LABELS[state]))));
}

const fetchTasks = latestOnly(async () => {
  const [open, claimed] = await Promise.all([
    api('/api/tasks?status=open&pageSize=200'),
    api('/api/tasks?status=claimed&pageSize=200'),
  ]);
  const list = [...itemsOf(open), ...itemsOf(claimed)];
  return { list, remaining: await workingTimeRemaining(list) };
});

async function load({ announce = false } = {}) {
  try {
    const answer = await fetchTasks();
    if (!answer) return;
    const { list } = answer;
    remainingTime = answer.remaining;
    list.sort((a, b) => (a.dueAt ? Date.parse(a.dueAt) : Infinity) - (b.dueAt ? Date.parse(b.dueAt) : Infinity)
      || Date.parse(a.createdAt) - Date.parse(b.createdAt));
    if (knownIds) {
      for (const task of list) {
        if (!knownIds.has(task.id)) {
          fresh.add(task.id);
          if (announce) flash(`Tugas baru: ${task.stepNumber ? `${task.stepNumber}. ` : ''}${task.stepName}`, 'info');
        }
      }
    }
    knownIds = new Set(list.map((t) => t.id));
    tasks = list.filter(isMine);
    teamTasks = list.filter((t) => !isMine(t));
    status.textContent = `Diperbarui ${new Date(serverNow()).toLocaleTimeString('id-ID', { timeZone: office.timeZone, hour: '2-digit', minute: '2-digit' })}`;
    await render();
  } catch (error) {
    replace(listArea, errorBox(error));
  }
}

async function render() {
  const names = await definitionNames();
  const now = serverNow();
  const states = tasks.map((t) => deadlineState(t, now));
  const count = (state) => states.filter((s) => s === state).length;
  replace(summary,
    stat('Tugas aktif', tasks.length),
    stat('Terlambat', count('overdue'), count('overdue') > 0 ? 'bad' : ''),
    stat('Mendekati tenggat', count('near')),
    stat('Tepat waktu', count('ontime'), 'good'),
    stat('Saya kerjakan', tasks.filter((t) => t.assignee === user.username).length));

  replace(tabs, FILTERS.map((f) => h('button', {
    type: 'button',
    role: 'tab',
    id: `tab-${f.id}`,
    'aria-selected': String(f.id === filter),
    tabindex: f.id === filter ? '0' : '-1',
    onclick: () => { filter = f.id; render(); },
    onkeydown: (event) => moveTab(event, f.id),
  }, f.label, h('span', { class: 'count-pill' }, tasks.filter(f.test).length))));
  listArea.setAttribute('aria-labelledby', `tab-${filter}`);

  const shown = tasks.filter(FILTERS.find((f) => f.id === filter).test);
  replace(listArea, table('Daftar tugas, urut tenggat', [
    { label: 'Tenggat', cell: (t) => h('div', { class: 'due-cell' }, h('span', { class: `chip state-${deadlineState(t, now)}` }, DEADLINE_LABELS[deadlineState(t, now)]), h('span', { class: 'small muted' }, dateTime(t.dueAt, office.timeZone)), t.dueProvisional ? h('span', { class: 'small provisional', title: PROVISIONAL_LABEL }, 'sementara') : null) },
    { label: 'Sisa waktu kerja', cell: (t) => remaining(t, now) },
    { label: 'Langkah', cell: (t) => h('div', null,
      h('a', { href: `/tugas/${t.id}`, class: 'task-link' }, `${t.stepNumber ? `${t.stepNumber}. ` : ''}${t.stepName}`),
      t.item !== null && t.item !== undefined ? h('div', { class: 'small muted' }, `Untuk: ${typeof t.item === 'string' ? t.item : JSON.stringify(t.item)}`) : null,
      sentBackLine(t)) },
    { label: 'SOP', cell: (t) => h('div', null, names.get(t.definitionKey) ?? t.definitionKey, t.businessKey ? h('div', { class: 'small muted' }, t.businessKey) : null) },
    { label: 'Peran', cell: (t) => (t.roles ?? []).join(', ') },
    { label: 'Pemegang', cell: (t) => t.assignee
      ? h('span', { class: 'chip status-claimed no-dot' }, t.assignee === user.username ? 'Saya' : t.assigneeName)
      : h('span', { class: 'muted' }, 'Belum diambil') },
  ], shown, { empty: 'Tidak ada tugas. Tugas baru muncul di sini begitu tiba.', className: 'inbox-table' }));
  for (const row of listArea.querySelectorAll('tbody tr')) {
    const link = row.querySelector('a.task-link');
    if (link && fresh.has(link.getAttribute('href').split('/').pop())) row.classList.add('row-new');
  }
  renderTeam(names, now);
}

/** Mine: held by me, or of a role of mine. Anything else in the list is there because I supervise its role. */
function isMine(task) {
  return task.assignee === user.username || (task.roles ?? []).some((r) => (user.roles ?? []).includes(r));
}

/** The team's tasks a supervisor watches, kept apart from their own work; shown only to someone who has them. */
function renderTeam(names, now) {
  if (teamTasks.length === 0) {
    replace(teamArea);
    return;
  }
  replace(teamArea, h('section', { class: 'card team-tasks', 'aria-labelledby': 'team-heading' },
    h('div', { class: 'card-head' },
      h('h2', { id: 'team-heading' }, `Tugas tim (${teamTasks.length})`),
      h('p', { class: 'muted small' }, 'Tugas peran-peran yang Anda awasi; Anda dapat mengalihkannya dari halaman tugasnya.')),
    table('Tugas tim, urut tenggat', [
      { label: 'Tenggat', cell: (t) => h('div', { class: 'due-cell' }, h('span', { class: `chip state-${deadlineState(t, now)}` }, DEADLINE_LABELS[deadlineState(t, now)]), h('span', { class: 'small muted' }, dateTime(t.dueAt, office.timeZone))) },
      { label: 'Langkah', cell: (t) => h('div', null, h('a', { href: `/tugas/${t.id}`, class: 'task-link' }, `${t.stepNumber ? `${t.stepNumber}. ` : ''}${t.stepName}`), sentBackLine(t)) },
      { label: 'SOP', cell: (t) => h('div', null, names.get(t.definitionKey) ?? t.definitionKey, t.businessKey ? h('div', { class: 'small muted' }, t.businessKey) : null) },
      { label: 'Peran', cell: (t) => (t.roles ?? []).join(', ') },
      { label: 'Pemegang', cell: (t) => t.assigneeName ?? h('span', { class: 'muted' }, 'Belum diambil') },
    ], teamTasks, { className: 'inbox-table team-table' })));
}

/** Work sent back to this step: who sent it back and why, on the row itself. */
function sentBackLine(task) {
  const back = task.sentBack;
  if (!back) return null;
  return h('div', { class: 'small sent-back-line' }, `Dikembalikan oleh ${back.byName ?? back.by}: ${back.reason ?? '–'}`);
}

function remaining(task, now) {
  if (!task.dueAt) return h('span', { class: 'muted' }, '–');
  const left = remainingTime.get(task.id);
  if (left === undefined) return h('span', { class: 'muted' }, '–');
  return left.minutes < 0 || deadlineState(task, now) === 'overdue'
    ? h('span', { class: 'late' }, left.text)
    : h('span', null, left.text);
}

function stat(label, value, tone = '') {
  return h('div', { class: `stat ${tone}` }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}

function moveTab(event, id) {
  const index = FILTERS.findIndex((f) => f.id === id);
  const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : null;
  if (next === null) return;
  filter = FILTERS[(next + FILTERS.length) % FILTERS.length].id;
  render().then(() => document.getElementById(`tab-${filter}`)?.focus());
}

onLive('task', () => load({ announce: true }));
onLive('notification', () => load());
onLive('refresh', () => load({ announce: true }));
load();
