// "Impor tabel SOP": an SOP table (a .csv, .tsv or .xlsx file, or a table pasted from a word processor) becomes a
// draft definition the designer opens unsaved. The rules of the table are in docs/sop-table-import.md.
import { ApiError, api } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';

export function importTableDialog({ onImported }) {
  const errors = h('div', { class: 'import-errors', id: 'import-errors', role: 'alert' });
  const form = h('form', { method: 'dialog', class: 'new-sop-form import-form' });
  const modal = h('dialog', { id: 'import-sop-dialog', 'aria-labelledby': 'import-sop-heading' }, form);

  replace(form,
    h('h2', { id: 'import-sop-heading' }, 'Impor tabel SOP'),
    h('p', { class: 'hint' }, 'Kolom: No, Kegiatan, satu kolom per Pelaksana (tandai x), Kelengkapan, Waktu, Output, Keterangan. Keputusan ditulis di Keterangan: "Ya: ke langkah 5 / Tidak: ke langkah 3".'),
    h('div', { class: 'field' }, h('label', { for: 'import-file' }, 'Berkas tabel (.csv, .tsv, .xlsx)'),
      h('input', { id: 'import-file', name: 'file', type: 'file', accept: '.csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values' })),
    h('div', { class: 'field' }, h('label', { for: 'import-text' }, 'Atau tempel tabel dari pengolah kata'),
      h('textarea', { id: 'import-text', name: 'text', rows: 6, spellcheck: 'false' })),
    h('div', { class: 'field' }, h('label', { for: 'import-name' }, 'Nama SOP (bila tabel tidak memuat baris "Nama SOP")'),
      h('input', { id: 'import-name', name: 'name' })),
    errors,
    h('div', { class: 'button-row dialog-buttons' },
      h('button', { type: 'button', class: 'button-quiet', onclick: () => modal.close() }, 'Batal'),
      h('button', { type: 'submit', class: 'button-primary', id: 'import-submit' }, 'Impor')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) data.delete('file');
    if (!data.has('file') && !String(data.get('text') ?? '').trim()) {
      replace(errors, h('p', null, 'Pilih berkas tabel atau tempel tabelnya.'));
      return;
    }
    const submit = form.querySelector('#import-submit');
    submit.disabled = true;
    replace(errors);
    try {
      const draft = await api('/api/definitions/import', { method: 'POST', body: data });
      modal.close();
      form.reset();
      await onImported(draft);
    } catch (error) {
      const problems = error instanceof ApiError ? error.problem.problems : null;
      replace(errors, problems?.length
        ? h('ul', null, problems.map((p) => h('li', null, p.message)))
        : h('p', null, error.message));
    } finally {
      submit.disabled = false;
    }
  });
  return modal;
}
