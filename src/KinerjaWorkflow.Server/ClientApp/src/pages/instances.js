import '../styles/base.css';
import { api, itemsOf } from '../lib/api.js';
import { h, replace, table } from '../lib/dom.js';
import { dateTime } from '../lib/format.js';
import { app, errorBox, initLayout, office } from '../lib/page.js';

initLayout();

const root = app();
const STATUS_LABELS = { active: 'Berjalan', completed: 'Selesai', cancelled: 'Dibatalkan', terminated: 'Dihentikan' };

async function load() {
  try {
    const [instances, definitions] = await Promise.all([api('/api/instances'), api('/api/definitions')]);
    render(itemsOf(instances), itemsOf(definitions));
  } catch (error) {
    replace(root, errorBox(error));
  }
}

function render(instances, definitions) {
  const names = new Map(definitions.map((d) => [d.key, d.name]));
  // Only the SOPs this person may start are offered (docs/who-may-start.md); the API refuses the others.
  const startable = definitions.filter((d) => d.canStart);
  const errors = h('div');
  const sop = h('select', { id: 'start-sop', name: 'definitionKey', required: true },
    startable.map((d) => h('option', { value: d.key }, `${d.name} (v${d.latestVersion})`)));
  const businessKey = h('input', { id: 'start-key', name: 'businessKey', maxlength: '200', placeholder: 'mis. 2025-TW4' });
  const start = async (event) => {
    event.preventDefault();
    replace(errors);
    try {
      const created = await api('/api/instances', { method: 'POST', json: { definitionKey: sop.value, businessKey: businessKey.value.trim() || null } });
      window.location.assign(`/instans/${created.id}`);
    } catch (error) {
      replace(errors, errorBox(error));
    }
  };
  replace(root,
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, 'Proses berjalan'), h('p', null, 'Setiap pelaksanaan SOP di kantor Anda, terbaru di atas.'))),
    startable.length === 0 ? null : h('section', { class: 'card', 'aria-labelledby': 'start-heading' },
      h('h2', { id: 'start-heading' }, 'Mulai pelaksanaan SOP'),
      errors,
      h('form', { class: 'toolbar', onsubmit: start },
        h('label', { for: 'start-sop' }, 'SOP'), sop,
        h('label', { for: 'start-key' }, 'Nomor/keterangan berkas'), businessKey,
        h('button', { type: 'submit', class: 'button-primary' }, 'Mulai'))),
    h('section', { class: 'card' },
      table({ text: 'Daftar proses berjalan', visible: true }, [
        { label: 'SOP', cell: (i) => h('a', { href: `/instans/${i.id}` }, names.get(i.definitionKey) ?? i.definitionKey) },
        { label: 'Nomor/keterangan berkas', cell: (i) => i.businessKey ?? '–' },
        { label: 'Status', cell: (i) => h('span', { class: 'chip no-dot' }, STATUS_LABELS[i.status] ?? i.status, i.hasIncident ? ' · insiden' : '') },
        { label: 'Dimulai', cell: (i) => dateTime(i.startedAt, office.timeZone) },
        { label: 'Oleh', cell: (i) => i.startedByName ?? 'sistem' },
        { label: 'Versi', cell: (i) => i.definitionVersion, numeric: true },
      ], instances, { empty: 'Belum ada proses berjalan.' })));
}

load();
