import '../styles/base.css';
import '../styles/dashboard.css';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { api } from '../lib/api.js';
import { PROVISIONAL_LABEL } from '../lib/deadline.js';
import { h, replace, table } from '../lib/dom.js';
import { dateOnly, dateTime, number, percent, workingDuration } from '../lib/format.js';
import { app, errorBox, initLayout, latestOnly, office, onLive, user } from '../lib/page.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
Chart.defaults.color = '#4a5565';

initLayout();

const root = app();
const QUARTERS = ['I', 'II', 'III', 'IV'];
const charts = new Map();
let period = null;
let selectedSop = null;
let latest = null;

const yearSelect = h('select', { id: 'period-year', name: 'year', onchange: choosePeriod });
const quarterSelect = h('select', { id: 'period-quarter', name: 'quarter', onchange: choosePeriod }, QUARTERS.map((q, i) => h('option', { value: String(i + 1) }, `Triwulan ${q}`)));
const periodLabel = h('p', { id: 'period-label' });
const content = h('div', { id: 'dashboard-content' });

replace(root,
  h('div', { class: 'page-head' },
    h('div', null, h('h1', null, 'Dasbor Kinerja'), periodLabel),
    h('form', { class: 'toolbar period-form', onsubmit: (e) => { e.preventDefault(); choosePeriod(); } },
      h('label', { for: 'period-quarter' }, 'Periode'), quarterSelect,
      h('label', { for: 'period-year', class: 'visually-hidden' }, 'Tahun'), yearSelect,
      h('button', { type: 'submit', class: 'button-secondary' }, 'Tampilkan'))),
  content);

function choosePeriod() {
  const year = Number(yearSelect.value);
  const quarter = Number(quarterSelect.value);
  const from = `${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`;
  const toDate = new Date(Date.UTC(year, quarter * 3, 0));
  period = { from, to: toDate.toISOString().slice(0, 10) };
  load();
}

const fetchDashboard = latestOnly(async (query) => {
  const [data, escalations, currentOffice] = await Promise.all([
    api(`/api/dashboard${query}`),
    api('/api/supervision/escalations'),
    api('/api/offices/current'),
  ]);
  return { ...data, myEscalations: escalations, members: currentOffice.members ?? [] };
});

async function load() {
  try {
    const data = await fetchDashboard(period ? `?from=${period.from}&to=${period.to}` : '');
    if (!data) return;
    latest = data;
    render(latest);
  } catch (error) {
    replace(content, errorBox(error));
  }
}

function render(data) {
  const year = Number(data.from.slice(0, 4));
  const quarter = Math.floor((Number(data.from.slice(5, 7)) - 1) / 3) + 1;
  if (yearSelect.options.length === 0) {
    const now = Number(data.now.slice(0, 4));
    replace(yearSelect, [now, now - 1, now - 2].map((y) => h('option', { value: String(y) }, String(y))));
  }
  yearSelect.value = String(year);
  quarterSelect.value = String(quarter);
  periodLabel.textContent = `Triwulan ${QUARTERS[quarter - 1]} ${year} (${dateOnly(`${data.from}T12:00:00Z`, 'UTC')} – ${dateOnly(`${data.to}T12:00:00Z`, 'UTC')}) · tugas yang diberikan dalam periode ini; keterlambatan dan eskalasi per saat ini, ${dateTime(data.now, office.timeZone)}.`;

  if (!selectedSop || !data.sops.some((s) => s.key === selectedSop)) {
    selectedSop = (data.sops.find((s) => s.tasks > 0) ?? data.sops[0])?.key ?? null;
  }
  const totals = data.totals;
  const stepRows = data.steps.filter((s) => s.definitionKey === selectedSop);
  // A step whose Waktu changed between versions has a row per Waktu; its tasks are judged by their own version's.
  const versionNote = (s) => (stepRows.filter((r) => r.stepId === s.stepId).length > 1 ? ` (versi ${s.versions.join(', ')})` : '');
  const sopName = data.sops.find((s) => s.key === selectedSop)?.name ?? '';

  replace(content,
    data.missingCalendarYears.length > 0
      ? h('div', { class: 'alert alert-error', id: 'calendar-missing', role: 'status' },
        `Kalender libur nasional dan cuti bersama tahun ${data.missingCalendarYears.join(', ')} belum ada. Tenggat yang melewati tahun itu bersifat sementara (hanya akhir pekan yang dihitung libur) sampai admin menambahkannya.`,
        user.isAdmin ? [' ', h('a', { href: `/kalender?tahun=${data.missingCalendarYears[0]}` }, 'Unggah di Kalender Libur')] : null)
      : null,
    h('div', { class: 'stat-row', id: 'dashboard-totals' },
      stat('Tugas dalam periode', number(totals.tasks)),
      stat('Selesai', number(totals.completed)),
      stat('Tepat waktu', percent(totals.onTimeRate), totals.onTimeRate !== null && totals.onTimeRate < 0.8 ? 'bad' : 'good'),
      stat('Terlambat saat ini', number(totals.overdueNow), totals.overdueNow > 0 ? 'bad' : '', 'stat-overdue'),
      stat('Eskalasi terbuka', number(totals.escalationsOpen), totals.escalationsOpen > 0 ? 'bad' : '', 'stat-escalations')),
    h('div', { class: 'dash-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'sop-chart-heading' },
        h('div', { class: 'card-head' }, h('h2', { id: 'sop-chart-heading' }, 'Ketepatan waktu per SOP')),
        chartFigure('sop-rate', 'Persentase tugas selesai tepat waktu per SOP', 70 + 34 * data.sops.length),
        table({ text: 'Ketepatan waktu per SOP (tabel)', visible: false }, [
          { label: 'SOP', cell: (s) => h('button', { type: 'button', class: 'link-button', onclick: () => { selectedSop = s.key; render(latest); } }, s.name) },
          { label: 'Tugas', cell: (s) => number(s.tasks), numeric: true },
          { label: 'Selesai', cell: (s) => number(s.completed), numeric: true },
          { label: 'Tepat waktu', cell: (s) => percent(s.onTimeRate), numeric: true },
          { label: 'Rata-rata / Waktu', cell: (s) => ratio(s), numeric: true },
          { label: 'Terlambat kini', cell: (s) => lateCell(s.overdueNow), numeric: true },
          { label: 'Eskalasi', cell: (s) => lateCell(s.escalationsOpen), numeric: true },
        ], data.sops, { empty: 'Belum ada SOP.' })),
      h('section', { class: 'card', 'aria-labelledby': 'overdue-heading' },
        h('div', { class: 'card-head' }, h('h2', { id: 'overdue-heading' }, 'Terlambat saat ini'), h('span', { class: 'muted small' }, `${data.overdueTasks.length} tugas`)),
        table('Tugas yang melewati tenggat', [
          { label: 'Langkah', cell: (t) => h('div', null, h('a', { href: `/instans/${t.instanceId}` }, `${t.stepNumber ? `${t.stepNumber}. ` : ''}${t.stepName}`), h('div', { class: 'small muted' }, `${t.definitionName}${t.businessKey ? ` · ${t.businessKey}` : ''}`)) },
          { label: 'Pemegang', cell: (t) => t.assigneeName ?? (t.roles ?? []).join(', ') },
          { label: 'Lewat', cell: (t) => h('div', null, h('span', { class: 'late' }, workingDuration(t.lateByMinutes)), h('div', { class: 'small muted' }, dateTime(t.dueAt, office.timeZone), t.dueProvisional ? h('span', { class: 'provisional', title: PROVISIONAL_LABEL }, ' (sementara)') : null)) },
          { label: 'Eskalasi', cell: (t) => t.escalated ? h('span', { class: 'kind-chip kind-escalation' }, 'Eskalasi') : h('span', { class: 'muted' }, '–') },
        ], data.overdueTasks, { empty: 'Tidak ada tugas yang terlambat. ', className: 'compact' }),
        escalationList(data.myEscalations, data.members))),
    h('section', { class: 'card steps-card', 'aria-labelledby': 'steps-heading' },
      h('div', { class: 'card-head' },
        h('h2', { id: 'steps-heading' }, `Per langkah: ${sopName}`),
        data.sops.length > 1
          ? h('div', { class: 'toolbar' }, h('label', { for: 'sop-choice' }, 'SOP'),
            h('select', { id: 'sop-choice', onchange: (e) => { selectedSop = e.target.value; render(latest); } },
              data.sops.map((s) => h('option', { value: s.key, selected: s.key === selectedSop }, s.name))))
          : null),
      h('div', { class: 'dash-grid even' },
        h('div', null, h('h3', null, 'Ketepatan waktu per langkah'), chartFigure('step-rate', 'Persentase tepat waktu per langkah')),
        h('div', null, h('h3', null, 'Rata-rata waktu kerja terhadap Waktu SOP'), chartFigure('step-time', 'Rata-rata jam kerja yang dipakai dan yang diizinkan Waktu SOP per langkah'))),
      table({ text: 'Per langkah (tabel untuk kedua grafik)', visible: false }, [
        { label: 'Langkah', cell: (s) => `${s.stepNumber ? `${s.stepNumber}. ` : ''}${s.stepName}` },
        { label: 'Waktu', cell: (s) => `${s.waktu ?? '–'}${versionNote(s)}` },
        { label: 'Selesai', cell: (s) => number(s.completed), numeric: true },
        { label: 'Tepat waktu', cell: (s) => percent(s.onTimeRate), numeric: true },
        { label: 'Rata-rata dipakai', cell: (s) => workingDuration(s.averageMinutes), numeric: true },
        { label: 'Rata-rata diizinkan', cell: (s) => workingDuration(s.waktuMinutes), numeric: true },
        { label: 'Terlambat kini', cell: (s) => lateCell(s.overdueNow), numeric: true },
        { label: 'Eskalasi', cell: (s) => lateCell(s.escalationsOpen), numeric: true },
      ], stepRows, { empty: 'Tidak ada langkah.', className: 'compact' })));

  const stepLabel = (s) => `${s.stepNumber ? `${s.stepNumber}` : s.stepId}${versionNote(s)}`;
  draw('sop-rate', {
    type: 'bar',
    data: {
      labels: data.sops.map((s) => s.name),
      datasets: [{ label: 'Tepat waktu (%)', data: data.sops.map((s) => (s.onTimeRate === null ? null : s.onTimeRate * 100)), backgroundColor: '#1f5fbf', borderRadius: 4, maxBarThickness: 26 }],
    },
    options: { indexAxis: 'y', scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } }, y: { ticks: { callback: (_, i) => shorten(data.sops[i]?.name ?? '', 34) } } }, plugins: { legend: { display: false } } },
  });
  draw('step-rate', {
    type: 'bar',
    data: {
      labels: stepRows.map(stepLabel),
      datasets: [{ label: 'Tepat waktu (%)', data: stepRows.map((s) => (s.onTimeRate === null ? null : s.onTimeRate * 100)), backgroundColor: stepRows.map((s) => (s.onTimeRate !== null && s.onTimeRate < 0.8 ? '#c0262d' : '#17803d')), borderRadius: 4, maxBarThickness: 28 }],
    },
    options: { scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } }, x: { title: { display: true, text: 'Langkah' } } }, plugins: { legend: { display: false }, tooltip: { callbacks: { title: (items) => stepRows[items[0].dataIndex]?.stepName } } } },
  });
  draw('step-time', {
    type: 'bar',
    data: {
      labels: stepRows.map(stepLabel),
      datasets: [
        { label: 'Dipakai (jam kerja)', data: stepRows.map((s) => hours(s.averageMinutes)), backgroundColor: '#1f5fbf', borderRadius: 4 },
        { label: 'Waktu SOP (jam kerja)', data: stepRows.map((s) => hours(s.waktuMinutes)), backgroundColor: '#b8c7dc', borderRadius: 4 },
      ],
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'jam kerja' } }, x: { title: { display: true, text: 'Langkah' } } }, plugins: { tooltip: { callbacks: { title: (items) => stepRows[items[0].dataIndex]?.stepName } } } },
  });
}

/**
 * The escalations sent to me: the open ones with the two ways to close them here (Alihkan to a colleague of the
 * step's role, or mark them followed up), and the ones handled since, saying who did what and when.
 */
function escalationList(escalations, members) {
  const errors = h('div');
  const isOpenTask = (e) => e.task && (e.task.status === 'open' || e.task.status === 'claimed');
  const open = escalations.filter((e) => !e.handledBy && isOpenTask(e));
  const handled = escalations.filter((e) => e.handledBy).slice(0, 5);
  const act = async (button, work) => {
    button.disabled = true;
    try {
      await work();
      await load();
    } catch (error) {
      replace(errors, errorBox(error));
      button.disabled = false;
    }
  };
  return h('div', { class: 'my-escalations', id: 'my-escalations' },
    h('h3', null, `Eskalasi untuk saya (${open.length})`),
    errors,
    open.length === 0
      ? h('p', { class: 'muted small' }, 'Tidak ada eskalasi yang menunggu tindak lanjut Anda.')
      : h('ul', { id: 'open-escalations' }, open.map((e) => h('li', { class: 'escalation', 'data-escalation': e.id },
        h('span', { class: 'kind-chip kind-escalation' }, 'Eskalasi'),
        h('div', null,
          h('a', { href: `/tugas/${e.taskId}` }, e.subject),
          h('div', { class: 'small muted' }, dateTime(e.receivedAt, office.timeZone), e.task?.assignee ? ` · dipegang ${e.task.assigneeName}` : ' · belum diambil siapa pun'),
          escalationActions(e, members, act))))),
    handled.length === 0 ? null : [
      h('h3', null, 'Sudah ditindaklanjuti'),
      h('ul', { id: 'handled-escalations' }, handled.map((e) => h('li', { class: 'escalation handled', 'data-escalation': e.id },
        h('span', { class: 'kind-chip' }, 'Selesai'),
        h('div', null,
          h('a', { href: `/tugas/${e.taskId}` }, e.subject),
          h('div', { class: 'small muted handled-by' }, handledText(e))))))]);
}

/** "Ditindaklanjuti oleh X, Senin …; dialihkan kepada Y": who took the escalation on, when, and to whom the task went. */
function handledText(escalation) {
  const by = escalation.handledBy;
  const when = dateTime(by.at, office.timeZone);
  return by.reassignedToName
    ? `Dialihkan oleh ${by.name} kepada ${by.reassignedToName}, ${when}.`
    : `Ditindaklanjuti oleh ${by.name}, ${when}${escalation.acknowledgementNote ? `: ${escalation.acknowledgementNote}` : '.'}`;
}

function escalationActions(escalation, members, act) {
  const roles = escalation.task?.roles ?? [];
  const colleagues = members.filter((m) => m.username !== escalation.task?.assignee && m.roles.some((r) => roles.includes(r)));
  const id = `alih-${escalation.id}`;
  const choice = h('select', { id, name: 'username' }, colleagues.map((m) => h('option', { value: m.username }, `${m.name} (${m.roles.join(', ')})`)));
  const reason = h('input', { id: `${id}-alasan`, name: 'reason', maxlength: '500', placeholder: 'Alasan (dicatat)' });
  const reassign = colleagues.length === 0 ? null : h('form', {
    class: 'toolbar escalation-reassign',
    onsubmit: (event) => {
      event.preventDefault();
      act(event.submitter ?? event.target, () => api(`/api/supervision/escalations/${escalation.id}/reassign`, { method: 'POST', json: { username: choice.value, reason: reason.value.trim() } }));
    },
  },
  h('label', { for: id }, 'Alihkan kepada'), choice,
  h('label', { for: reason.id, class: 'visually-hidden' }, 'Alasan pengalihan'), reason,
  h('button', { type: 'submit', class: 'button-secondary small' }, 'Alihkan'));
  return h('div', { class: 'escalation-actions' },
    reassign,
    h('button', {
      type: 'button',
      class: 'button-quiet small acknowledge',
      onclick: (event) => act(event.target, () => api(`/api/supervision/escalations/${escalation.id}/acknowledge`, { method: 'POST', json: {} })),
    }, 'Tandai sudah ditindaklanjuti'));
}

function chartFigure(id, label, height) {
  return h('figure', { class: 'chart', style: height ? { height: `${height}px` } : undefined }, h('canvas', { id: `chart-${id}`, role: 'img', 'aria-label': `${label}; datanya ada di tabel di bawah` }));
}

function draw(id, config) {
  charts.get(id)?.destroy();
  const canvas = document.getElementById(`chart-${id}`);
  charts.set(id, new Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } }));
}

function stat(label, value, tone = '', id = undefined) {
  return h('div', { class: `stat ${tone}`, id }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}

function ratio(row) {
  if (row.averageMinutes === null || row.waktuMinutes === null || row.waktuMinutes === 0) return '–';
  return percent(row.averageMinutes / row.waktuMinutes);
}

function lateCell(count) {
  return count > 0 ? h('span', { class: 'late' }, number(count)) : number(count);
}

function hours(minutes) {
  return minutes === null ? null : Math.round((minutes / 60) * 10) / 10;
}

function shorten(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

onLive('notification', load);
onLive('task', load);
onLive('refresh', load);
load();
