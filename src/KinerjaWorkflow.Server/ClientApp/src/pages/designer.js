import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import '../styles/base.css';
import '../styles/designer.css';
import '../styles/diagram.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import sopModdle from '../designer/sop-moddle.json';
import { sopPropertiesModule } from '../designer/sop-properties.js';
import { importTableDialog } from '../designer/import-table.js';
import { blankSop, keyFromName } from '../designer/template.js';
import { indonesianTranslate } from '../designer/translate.js';
import { ApiError, api, itemsOf } from '../lib/api.js';
import { sopDiagramModule, textRenderer, zoomControls } from '../lib/diagram.js';
import { h, replace } from '../lib/dom.js';
import { dateTime } from '../lib/format.js';
import { app, errorBox, flash, initLayout, office as pageOffice } from '../lib/page.js';

initLayout();

const root = app();
root.classList.add('app-wide');

const state = { key: null, version: null, dirty: false, problems: [] };
const draftKey = (key) => `kinerja.designer.draft.${pageOffice.id}.${key}`;

const select = h('select', { id: 'sop-select', 'aria-label': 'SOP yang dibuka' });
const status = h('p', { id: 'designer-status', class: 'designer-status', role: 'status' }, 'Memuat…');
const notices = h('div', { class: 'designer-notices' });
const problemsPanel = h('section', { id: 'problems', class: 'problems', 'aria-labelledby': 'problems-heading', hidden: true });
const canvasHost = h('div', { class: 'designer-canvas', id: 'canvas', tabindex: '0', 'aria-label': 'Kanvas diagram SOP' });
const panelHost = h('aside', { class: 'designer-panel', id: 'properties', 'aria-label': 'Properti elemen terpilih' });
const dialog = newSopDialog();
const importDialog = importTableDialog({ onImported: openImportedDraft });
const publishDialog = newPublishDialog();
const versionHistory = h('details', { id: 'version-history', class: 'version-history', hidden: true });

replace(root,
  h('div', { class: 'designer' },
    h('div', { class: 'designer-bar' },
      h('h1', { class: 'visually-hidden' }, 'Desainer SOP'),
      h('div', { class: 'toolbar' },
        h('label', { for: 'sop-select' }, 'SOP'),
        select,
        h('button', { type: 'button', class: 'button-secondary', id: 'open-sop', onclick: () => openDefinition(select.value) }, 'Buka'),
        h('button', { type: 'button', class: 'button-secondary', id: 'new-sop', onclick: () => dialog.showModal() }, 'SOP baru'),
        h('button', { type: 'button', class: 'button-secondary', id: 'import-sop', onclick: () => importDialog.showModal() }, 'Impor tabel SOP')),
      status,
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'button-quiet', id: 'save-draft', onclick: saveDraft }, 'Simpan draf'),
        h('button', { type: 'button', class: 'button-quiet', id: 'download', onclick: download }, 'Unduh .bpmn'),
        h('button', { type: 'button', class: 'button-quiet', id: 'open-sheet', title: 'Lembar SOP-AP versi terbit yang terbuka', onclick: () => (state.version ? window.open(`/sop/${encodeURIComponent(state.key)}/versi/${state.version}`, '_blank') : showStatus('Terbitkan SOP ini dulu; lembar SOP digambar dari versi yang terbit.')) }, 'Lembar SOP'),
        h('button', { type: 'button', class: 'button-secondary', id: 'validate', onclick: validate }, 'Periksa'),
        h('button', { type: 'button', class: 'button-primary', id: 'publish', onclick: () => publishDialog.showModal() }, 'Terbitkan versi baru'))),
    notices,
    versionHistory,
    h('div', { class: 'designer-body' },
      h('div', { class: 'designer-main' }, canvasHost, problemsPanel),
      panelHost)),
  dialog,
  importDialog,
  publishDialog);
root.querySelector('.designer').prepend(h('p', { class: 'narrow-notice alert alert-info' },
  'Desainer SOP paling nyaman di layar lebar (komputer atau tablet mendatar). Di ponsel Anda tetap dapat melihat dan memeriksa SOP.'));

let office;
let modeler;
/** The office's SOPs with their latest version, as the list last answered: what a publish would follow. */
let published = [];

async function start() {
  try {
    office = await api('/api/offices/current');
    modeler = new BpmnModeler({
      container: canvasHost,
      propertiesPanel: { parent: panelHost },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, sopPropertiesModule(office), indonesianTranslate, sopDiagramModule],
      moddleExtensions: { sop: sopModdle },
      textRenderer,
    });
    canvasHost.append(zoomControls(modeler));
    modeler.on('commandStack.changed', () => {
      state.dirty = true;
      showStatus();
    });
    const list = await loadList();
    const wanted = new URLSearchParams(window.location.search).get('key');
    const first = list.find((d) => d.key === wanted) ?? list[0];
    if (first) await openDefinition(first.key);
    else await newFromTemplate({ name: 'SOP Baru', key: 'sop-baru', roles: office.roles.map((r) => r.name) });
  } catch (error) {
    replace(notices, errorBox(error));
  }
}

async function loadList(selected) {
  const list = itemsOf(await api('/api/definitions'));
  published = list;
  replace(select, list.map((d) => h('option', { value: d.key }, `${d.name} (v${d.latestVersion})`)));
  if (selected ?? state.key) select.value = selected ?? state.key;
  return list;
}

async function openDefinition(key) {
  if (!key) return;
  if (state.dirty && !window.confirm('Perubahan yang belum disimpan akan hilang. Lanjutkan?')) return;
  const [xml, detail] = await Promise.all([
    api(`/api/definitions/${encodeURIComponent(key)}/bpmn`, { headers: { Accept: 'application/xml' } }),
    api(`/api/definitions/${encodeURIComponent(key)}`),
  ]);
  // The history line goes in before the diagram is fitted, so the fit sees the canvas's final height.
  showHistory(detail.versions);
  await show(xml, { key, version: detail.version });
  const draft = readDraft(key);
  if (draft && draft.xml !== xml) {
    replace(notices, h('div', { class: 'alert alert-info', role: 'status' },
      h('span', null, `Ada draf tersimpan dari ${dateTime(draft.savedAt, pageOffice.timeZone)}. `),
      h('button', { type: 'button', class: 'button-secondary small', onclick: async () => { await show(draft.xml, { key, version: detail.version }); state.dirty = true; showStatus('Draf dipulihkan.'); replace(notices); } }, 'Pulihkan draf'),
      ' ',
      h('button', { type: 'button', class: 'button-quiet small', onclick: () => { localStorage.removeItem(draftKey(key)); replace(notices); } }, 'Buang draf')));
  }
}

async function show(xml, { key, version }) {
  const { warnings } = await modeler.importXML(xml);
  state.key = key;
  state.version = version;
  state.dirty = false;
  select.value = key;
  clearProblems();
  replace(notices);
  fitBesidePalette(modeler.get('canvas'));
  const url = new URL(window.location.href);
  url.searchParams.set('key', key);
  window.history.replaceState(null, '', url);
  showStatus(warnings.length > 0 ? `${warnings.length} bagian berkas tidak dikenali modeler.` : null);
}

/** Fits the diagram into the part of the canvas the palette does not cover. */
function fitBesidePalette(canvas) {
  canvas.zoom('fit-viewport', 'auto');
  const { inner, outer } = canvas.viewbox();
  const left = (canvasHost.querySelector('.djs-palette')?.getBoundingClientRect().width ?? 0) + 32;
  const scale = Math.min((outer.width - left - 24) / inner.width, (outer.height - 48) / inner.height, 1.25);
  canvas.viewbox({
    x: inner.x - left / scale,
    y: inner.y - (outer.height - inner.height * scale) / 2 / scale,
    width: outer.width / scale,
    height: outer.height / scale,
  });
}

function showStatus(extra) {
  const base = state.version ? `${state.key} · versi ${state.version} terbit` : `${state.key} · belum pernah diterbitkan`;
  status.textContent = `${base}${state.dirty ? ' · ada perubahan belum diterbitkan' : ''}${extra ? ` · ${extra}` : ''}`;
  status.title = status.textContent;
}

async function currentXml() {
  const { xml } = await modeler.saveXML({ format: true });
  return xml;
}

function readDraft(key) {
  try {
    return JSON.parse(localStorage.getItem(draftKey(key)) ?? 'null');
  } catch {
    return null;
  }
}

async function saveDraft() {
  const xml = await currentXml();
  localStorage.setItem(draftKey(currentKey(xml)), JSON.stringify({ xml, savedAt: new Date().toISOString() }));
  flash('Draf disimpan di peramban ini.', 'success');
  showStatus('draf disimpan');
}

/** The process id in the XML: what the service deploys it under. */
function currentKey(xml) {
  const process = modeler.getDefinitions().rootElements.find((e) => e.$type === 'bpmn:Process' && e.isExecutable !== false);
  return process?.id ?? state.key ?? keyFromName(xml.slice(0, 40));
}

async function download() {
  const xml = await currentXml();
  const blob = new Blob([xml], { type: 'application/xml' });
  const link = h('a', { href: URL.createObjectURL(blob), download: `${currentKey(xml)}.bpmn` });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(link.href);
}

async function validate() {
  const xml = await currentXml();
  try {
    const result = await api('/api/definitions/validate', { method: 'POST', body: xml, headers: { 'Content-Type': 'application/xml' } });
    showProblems(result.problems);
    if (result.valid) flash(result.problems.length ? `Siap diterbitkan, dengan ${result.problems.length} peringatan.` : 'Tidak ada masalah: siap diterbitkan.', 'success');
    return result.valid;
  } catch (error) {
    replace(notices, errorBox(error));
    return false;
  }
}

/** The publish confirmation: what will change, and the change note kept with the new version. */
function newPublishDialog() {
  const form = h('form', { method: 'dialog', class: 'publish-form' });
  const modal = h('dialog', { id: 'publish-dialog', 'aria-labelledby': 'publish-heading' }, form);
  modal.addEventListener('close', async () => {
    if (modal.returnValue !== 'publish') return;
    await publish(String(new FormData(form).get('changeNote')).trim());
  });
  modal.addEventListener('toggle', async () => {
    if (!modal.open) return;
    const key = currentKey(await currentXml());
    const current = published.find((d) => d.key === key)?.latestVersion ?? null;
    const renamed = state.key && key !== state.key;
    replace(form,
      h('h2', { id: 'publish-heading' }, 'Terbitkan versi baru?'),
      h('dl', { class: 'publish-summary' },
        h('dt', null, 'SOP'), h('dd', { id: 'publish-key' }, key),
        h('dt', null, 'Versi'), h('dd', { id: 'publish-version' }, current ? `versi ${current} → versi ${current + 1}` : 'belum pernah diterbitkan → versi 1')),
      renamed ? h('p', { class: 'alert alert-info' }, `Kunci diubah dari ${state.key} menjadi ${key}: ini menerbitkan SOP lain, bukan versi baru ${state.key}.`) : null,
      h('p', { class: 'hint' }, 'Proses baru memakai versi baru; proses yang sedang berjalan tetap di versinya.'),
      h('div', { class: 'field' },
        h('label', { for: 'change-note' }, 'Catatan perubahan'),
        h('textarea', {
          id: 'change-note',
          name: 'changeNote',
          required: true,
          maxlength: '1000',
          rows: '3',
          'aria-describedby': 'change-note-hint',
          // The browser's own "Please fill out this field" would be the one English sentence on the page.
          oninvalid: (e) => e.target.setCustomValidity('Catatan perubahan wajib diisi sebelum menerbitkan.'),
          oninput: (e) => e.target.setCustomValidity(''),
        }),
        h('span', { class: 'hint', id: 'change-note-hint' }, 'Wajib: apa yang berubah dan mengapa, mis. "Waktu langkah 3 menjadi 2 Jam sesuai revisi SOP". Disimpan bersama versi ini.')),
      h('div', { class: 'button-row dialog-buttons' },
        h('button', { type: 'submit', value: 'cancel', class: 'button-quiet', formnovalidate: true }, 'Batal'),
        h('button', { type: 'submit', value: 'publish', class: 'button-primary' }, 'Terbitkan')));
    form.elements.changeNote.focus();
  });
  return modal;
}

/** Every version of the open SOP: when, from where or by whom, and its change note. */
function showHistory(versions) {
  versionHistory.hidden = versions.length === 0;
  replace(versionHistory,
    h('summary', null, `Riwayat versi (${versions.length})`),
    h('ol', { class: 'version-list', reversed: true }, [...versions].reverse().map((v) => h('li', { class: 'version-item' },
      h('span', { class: 'version-number' }, `Versi ${v.version}`),
      h('span', { class: 'muted' }, `${dateTime(v.publishedAt, pageOffice.timeZone)} · ${v.source === 'file' ? `dari berkas ${v.sourcePath}` : `diterbitkan ${v.publishedByName ?? v.publishedBy ?? 'admin'}`}`),
      h('span', { class: 'version-note' }, v.changeNote ?? 'Tanpa catatan perubahan')))));
}

async function publish(changeNote) {
  const xml = await currentXml();
  const publishButton = document.getElementById('publish');
  publishButton.disabled = true;
  try {
    const upload = new FormData();
    upload.append('file', new Blob([xml], { type: 'application/xml' }), `${currentKey(xml)}.bpmn`);
    upload.append('changeNote', changeNote);
    const result = await api('/api/definitions', { method: 'POST', body: upload });
    showProblems(result.warnings ?? []);
    localStorage.removeItem(draftKey(result.key));
    state.key = result.key;
    state.version = result.version;
    state.dirty = false;
    await loadList(result.key);
    showHistory((await api(`/api/definitions/${encodeURIComponent(result.key)}`)).versions);
    const warned = result.warnings?.length ? ` Ada ${result.warnings.length} peringatan; lihat daftar di bawah diagram.` : '';
    if (result.created) {
      showStatus(`Versi ${result.version} diterbitkan`);
      flash(`Versi ${result.version} diterbitkan. Proses yang dimulai sesudah ini memakai versi ini; yang sedang berjalan tetap di versinya.${warned}`, 'success');
    } else {
      showStatus(`sama dengan versi ${result.version}; tidak ada versi baru`);
    }
  } catch (error) {
    if (error instanceof ApiError && error.problem.problems) {
      showProblems(error.problem.problems);
      replace(notices, h('div', { class: 'alert alert-error', role: 'alert' }, `Belum dapat diterbitkan: ${error.message} Lihat daftar masalah di bawah diagram.`));
    } else {
      replace(notices, errorBox(error));
    }
  } finally {
    publishButton.disabled = false;
  }
}

function clearProblems() {
  const canvas = modeler.get('canvas');
  const overlays = modeler.get('overlays');
  for (const problem of state.problems) {
    if (problem.elementId && modeler.get('elementRegistry').get(problem.elementId)) {
      canvas.removeMarker(problem.elementId, 'problem-error');
      canvas.removeMarker(problem.elementId, 'problem-warning');
    }
  }
  overlays.remove({ type: 'problem' });
  state.problems = [];
  problemsPanel.hidden = true;
}

function showProblems(problems) {
  clearProblems();
  state.problems = problems;
  const registry = modeler.get('elementRegistry');
  const canvas = modeler.get('canvas');
  const overlays = modeler.get('overlays');
  const byElement = new Map();
  for (const problem of problems) {
    if (problem.elementId && registry.get(problem.elementId)) {
      byElement.set(problem.elementId, [...(byElement.get(problem.elementId) ?? []), problem]);
    }
  }
  for (const [id, list] of byElement) {
    const error = list.some((p) => p.severity === 'error');
    canvas.addMarker(id, error ? 'problem-error' : 'problem-warning');
    overlays.add(id, 'problem', {
      position: { top: -12, right: 12 },
      html: h('button', {
        type: 'button',
        class: `problem-badge ${error ? 'error' : 'warning'}`,
        title: list.map((p) => p.message).join('\n'),
        'aria-label': `${list.length} masalah pada ${id}`,
        onclick: () => focusElement(id),
      }, String(list.length)),
    });
  }

  if (problems.length === 0) return;
  const errors = problems.filter((p) => p.severity === 'error').length;
  replace(problemsPanel,
    h('div', { class: 'problems-head' },
      h('h2', { id: 'problems-heading' }, `Hasil pemeriksaan: ${errors} kesalahan, ${problems.length - errors} peringatan`),
      h('button', { type: 'button', class: 'button-quiet small', onclick: () => { problemsPanel.hidden = true; } }, 'Sembunyikan')),
    h('ul', { class: 'problem-list' }, problems.map((problem) => h('li', { class: `problem ${problem.severity}` },
      h('span', { class: `chip no-dot ${problem.severity === 'error' ? 'state-overdue' : 'state-near'}` }, problem.severity === 'error' ? 'Kesalahan' : 'Peringatan'),
      problem.elementId && registry.get(problem.elementId)
        ? h('button', { type: 'button', class: 'link-button', onclick: () => focusElement(problem.elementId) }, elementName(problem.elementId))
        : h('span', { class: 'muted' }, problem.elementId ?? (problem.line ? `baris ${problem.line}` : 'berkas')),
      h('span', null, problem.message)))));
  problemsPanel.hidden = false;
}

function elementName(id) {
  const element = modeler.get('elementRegistry').get(id);
  const name = element?.businessObject?.name;
  return name ? `${name} (${id})` : id;
}

function focusElement(id) {
  const element = modeler.get('elementRegistry').get(id);
  if (!element) return;
  modeler.get('canvas').scrollToElement(element);
  modeler.get('selection').select(element);
  canvasHost.focus();
}

function newSopDialog() {
  const form = h('form', { method: 'dialog', class: 'new-sop-form' });
  const modal = h('dialog', { id: 'new-sop-dialog', 'aria-labelledby': 'new-sop-heading' }, form);
  modal.addEventListener('close', async () => {
    if (modal.returnValue !== 'create') return;
    const data = new FormData(form);
    const roles = data.getAll('roles');
    const name = String(data.get('name')).trim() || 'SOP Baru';
    await newFromTemplate({ name, key: String(data.get('key')).trim() || keyFromName(name), roles });
  });
  modal.addEventListener('toggle', () => {
    if (!modal.open) return;
    replace(form,
      h('h2', { id: 'new-sop-heading' }, 'SOP baru dari templat kosong'),
      h('div', { class: 'field' }, h('label', { for: 'new-name' }, 'Nama SOP'),
        h('input', { id: 'new-name', name: 'name', required: true, oninput: (e) => { form.elements.key.value = keyFromName(e.target.value); } })),
      h('div', { class: 'field' }, h('label', { for: 'new-key' }, 'Kunci (ID proses)'),
        h('input', { id: 'new-key', name: 'key', pattern: '[A-Za-z_][A-Za-z0-9_.\\-]*', 'aria-describedby': 'new-key-hint' }),
        h('span', { class: 'hint', id: 'new-key-hint' }, 'Huruf kecil dan tanda hubung; tetap sama di setiap versi.')),
      h('fieldset', { class: 'role-choices' },
        h('legend', null, 'Lajur (peran kantor)'),
        (office?.roles ?? []).map((role, index) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', name: 'roles', value: role.name, checked: true, id: `role-${index}` }), ` ${role.name}`))),
      h('div', { class: 'button-row dialog-buttons' },
        h('button', { type: 'submit', value: 'cancel', class: 'button-quiet', formnovalidate: true }, 'Batal'),
        h('button', { type: 'submit', value: 'create', class: 'button-primary' }, 'Buat')));
  });
  return modal;
}

async function newFromTemplate({ name, key, roles }) {
  if (state.dirty && !window.confirm('Perubahan yang belum disimpan akan hilang. Lanjutkan?')) return;
  const lanes = roles.length > 0 ? roles : [office.headRole];
  showHistory([]);
  await show(blankSop({ key, name, officeName: office.name, roles: lanes }), { key, version: null });
  flash(`SOP "${name}" dibuat dari templat; terbitkan bila siap.`, 'info');
}

/** An imported table opens as an unsaved draft; publishing it is the admin's own step. */
async function openImportedDraft(draft) {
  if (state.dirty && !window.confirm('Perubahan yang belum disimpan akan hilang. Lanjutkan?')) return;
  showHistory([]);
  await show(draft.bpmn, { key: draft.key, version: null });
  state.dirty = true;
  showProblems(draft.warnings ?? []);
  showStatus(`impor tabel: ${draft.steps} langkah, belum disimpan`);
  flash(`Tabel "${draft.name}" diimpor sebagai draf; periksa lalu terbitkan bila siap.`, 'info');
}

window.addEventListener('beforeunload', (event) => {
  if (state.dirty) event.preventDefault();
});

start();
