import '../styles/base.css';
import { api } from '../lib/api.js';
import { h, replace, table } from '../lib/dom.js';
import { fileChooser } from '../lib/files.js';
import { app, errorBox, flash, initLayout, page, serverNow } from '../lib/page.js';

initLayout();

const root = app();
const KIND_LABELS = { 'libur-nasional': 'Libur nasional', 'cuti-bersama': 'Cuti bersama', 'penutupan-kantor': 'Penutupan kantor' };
const SCOPE_LABELS = { nasional: 'Semua kantor', kantor: 'Kantor ini', 'organization.yaml': 'organization.yaml (ubah di berkas)' };
const params = new URLSearchParams(window.location.search);
let year = Number(params.get('tahun')) || new Date(serverNow()).getFullYear();

async function load() {
  try {
    render(await api(`/api/calendars/${year}`));
  } catch (error) {
    replace(root, errorBox(error));
  }
}

// Every change answers with the year as it now is, so the page shows exactly what deadlines are counted with.
async function change(request, message, errors) {
  replace(errors);
  try {
    const answer = await request();
    flash(message, 'success');
    render(answer);
  } catch (error) {
    replace(errors, errorBox(error));
  }
}

function render(calendar) {
  const errors = h('div');
  const yearInput = h('input', { id: 'calendar-year', type: 'number', min: '2000', max: '2100', value: String(calendar.year) });
  const goToYear = (event) => {
    event.preventDefault();
    year = Number(yearInput.value);
    window.history.replaceState(null, '', `?tahun=${year}`);
    load();
  };

  const date = h('input', { id: 'day-date', type: 'date', required: true, min: `${calendar.year}-01-01`, max: `${calendar.year}-12-31` });
  const name = h('input', { id: 'day-name', required: true, maxlength: '200', placeholder: 'mis. Hari Jadi Kabupaten' });
  const kind = h('select', { id: 'day-kind' }, Object.entries(KIND_LABELS).map(([value, label]) => h('option', { value }, label)));
  kind.value = 'penutupan-kantor';
  const add = (event) => {
    event.preventDefault();
    const national = kind.value !== 'penutupan-kantor';
    change(() => api(national ? '/api/calendars/nasional' : '/api/calendars/kantor',
      { method: 'POST', json: { date: date.value, name: name.value.trim(), kind: national ? kind.value : null } }),
    `${date.value} ditambahkan.`, errors);
  };

  const file = h('input', { id: 'calendar-file', type: 'file', accept: '.csv,text/csv', required: true });
  const fileButton = fileChooser(file, 'Berkas CSV');
  const upload = async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    const text = await chosen.text();
    change(() => api(`/api/calendars/${calendar.year}/nasional`, { method: 'PUT', body: text, headers: { 'Content-Type': 'text/csv' } }),
      `Kalender nasional ${calendar.year} diganti dengan ${chosen.name}.`, errors);
  };

  const remove = (day) => {
    const scope = day.scope === 'nasional' ? 'nasional' : 'kantor';
    const who = scope === 'nasional' ? 'untuk SEMUA kantor' : 'untuk kantor ini';
    if (!window.confirm(`Hapus ${day.date} (${day.name}) ${who}?`)) return;
    change(() => api(`/api/calendars/${scope}/${day.date}`, { method: 'DELETE' }), `${day.date} dihapus.`, errors);
  };

  replace(root,
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, `Kalender Libur ${calendar.year}`),
        h('p', null, `Hari libur nasional dan cuti bersama berlaku untuk semua kantor; setiap admin kantor dapat mengubahnya. Penutupan kantor hanya berlaku untuk ${page.office?.name ?? 'kantor Anda'}. Setiap perubahan dicatat di jejak audit dan langsung dipakai untuk menghitung tenggat.`))),
    h('form', { class: 'toolbar', onsubmit: goToYear },
      h('label', { for: 'calendar-year' }, 'Tahun'), yearInput,
      h('button', { type: 'submit', class: 'button-secondary' }, 'Tampilkan')),
    calendar.complete
      ? h('p', null, `Kalender nasional lengkap (sumber: ${calendar.source === 'admin' ? `diubah admin ${calendar.updatedBy ?? ''}` : calendar.source}).`)
      : h('div', { class: 'alert alert-error', id: 'calendar-missing', role: 'status' },
        h('p', null, `Kalender nasional tahun ${calendar.year} belum ada: tenggat yang melewati tahun ini bersifat sementara (hanya akhir pekan yang dihitung libur). Unggah berkas CSV tahun ini.`)),
    errors,
    h('section', { class: 'card', 'aria-labelledby': 'add-heading' },
      h('h2', { id: 'add-heading' }, 'Tambah satu tanggal'),
      h('form', { class: 'toolbar', onsubmit: add },
        h('label', { for: 'day-date' }, 'Tanggal'), date,
        h('label', { for: 'day-name' }, 'Nama'), name,
        h('label', { for: 'day-kind' }, 'Jenis'), kind,
        h('button', { type: 'submit', class: 'button-primary' }, 'Tambah'))),
    h('section', { class: 'card', 'aria-labelledby': 'upload-heading' },
      h('h2', { id: 'upload-heading' }, `Unggah kalender nasional ${calendar.year}`),
      h('p', null, 'Berkas CSV dengan baris pertama "tanggal,nama,jenis", lalu satu baris per hari: tanggal YYYY-MM-DD, nama, dan jenis libur-nasional atau cuti-bersama. Berkas mengganti semua libur nasional dan cuti bersama tahun ini; bila ada baris yang salah, tidak ada yang diubah.'),
      h('form', { class: 'toolbar', onsubmit: upload },
        h('span', { class: 'label' }, 'Berkas CSV'), fileButton,
        h('button', { type: 'submit', class: 'button-primary' }, 'Unggah'))),
    h('section', { class: 'card' },
      table({ text: `Hari libur dan penutupan kantor ${calendar.year}`, visible: true }, [
        { label: 'Tanggal', cell: (d) => d.date },
        { label: 'Nama', cell: (d) => d.name },
        { label: 'Jenis', cell: (d) => KIND_LABELS[d.kind] ?? d.kind },
        { label: 'Berlaku untuk', cell: (d) => SCOPE_LABELS[d.scope] ?? d.scope },
        { label: 'Aksi', cell: (d) => d.scope === 'organization.yaml' ? '–' : h('button', { type: 'button', class: 'button-danger', onclick: () => remove(d) }, 'Hapus') },
      ], calendar.days, { empty: 'Belum ada tanggal untuk tahun ini.' })));
}

load();
