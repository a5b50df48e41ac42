// The properties panel's SOP groups: the step's SOP fields (number, Kelengkapan, Waktu with a live preview of
// how the service reads it, Output, Keterangan, outcomes), a lane's role chosen from the office's roles, and the
// process's SOP identity (every field of the SOP-AP header) and Waktu unit.

import { SelectEntry, TextAreaEntry, TextFieldEntry, isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';
import { api } from '../lib/api.js';
import { dateTime } from '../lib/format.js';
import { PROVISIONAL_LABEL } from '../lib/deadline.js';

const HUMAN_TASKS = ['bpmn:UserTask', 'bpmn:ManualTask'];

export function isStep(element) {
  const bo = getBusinessObject(element);
  return HUMAN_TASKS.some((type) => is(element, type)) || bo?.$type === 'bpmn:Task';
}

function extension(bo, type) {
  return bo?.extensionElements?.get('values').find((e) => e.$instanceOf(type));
}

export function stepOf(element) {
  return extension(getBusinessObject(element), 'sop:Step');
}

/** The process an element belongs to: itself, a participant's process, or the process holding it. */
export function processOf(element) {
  let bo = getBusinessObject(element);
  if (is(bo, 'bpmn:Participant')) return bo.processRef;
  while (bo && !is(bo, 'bpmn:Process')) {
    bo = bo.$parent;
    if (is(bo, 'bpmn:Participant')) return bo.processRef;
  }
  return bo;
}

/** Sets properties on an extension element of `owner` (created when missing), as one undoable command. */
function setExtension(injector, element, owner, type, properties) {
  const bpmnFactory = injector.get('bpmnFactory');
  const commandStack = injector.get('commandStack');
  const commands = [];
  let extensionElements = owner.get('extensionElements');
  if (!extensionElements) {
    extensionElements = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    extensionElements.$parent = owner;
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: owner, properties: { extensionElements } } });
  }
  let target = extensionElements.get('values').find((e) => e.$instanceOf(type));
  if (!target) {
    target = bpmnFactory.create(type, {});
    target.$parent = extensionElements;
    commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: extensionElements, properties: { values: [...extensionElements.get('values'), target] } } });
  }
  commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement: target, properties } });
  commandStack.execute('properties-panel.multi-command-executor', commands);
}

function stepField(id, property, label, { area = false, description } = {}) {
  function Component({ element }) {
    const injector = useService('injector');
    const translate = useService('translate');
    const debounce = useService('debounceInput');
    return h(area ? TextAreaEntry : TextFieldEntry, {
      element,
      id,
      label: translate(label),
      description: description ? translate(description) : undefined,
      debounce,
      rows: area ? 2 : undefined,
      autoResize: area ? true : undefined,
      getValue: () => stepOf(element)?.get(property) ?? '',
      setValue: (value) => setExtension(injector, element, getBusinessObject(element), 'sop:Step', { [property]: value || undefined }),
    });
  }
  return { id, component: Component, isEdited: area ? isTextAreaEntryEdited : isTextFieldEntryEdited };
}

function WaktuPreview({ element }) {
  const waktu = stepOf(element)?.get('waktu') ?? '';
  const unit = processOf(element)?.get('sop:waktuSatuan') ?? '';
  const [preview, setPreview] = useState(null);
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(async () => {
      try {
        const answer = await api(`/api/waktu/preview?text=${encodeURIComponent(waktu)}&unit=${encodeURIComponent(unit)}`);
        if (!cancelled) setPreview(answer);
      } catch (error) {
        if (!cancelled) setPreview({ error: error.message });
      }
    }, 150);
    return () => { cancelled = true; clearTimeout(timer); };
  }, [waktu, unit]);

  if (!preview) return h('div', { class: 'waktu-preview', 'aria-live': 'polite' }, 'Membaca Waktu…');
  if (preview.error) {
    return h('div', { class: 'waktu-preview invalid', 'aria-live': 'polite', id: 'waktu-preview' },
      h('strong', null, 'Layanan tidak dapat membaca Waktu ini'), h('p', null, preview.error));
  }
  const example = preview.example;
  return h('div', { class: 'waktu-preview valid', 'aria-live': 'polite', id: 'waktu-preview' },
    h('strong', null, 'Dibaca layanan sebagai'),
    h('dl', null,
      preview.expected ? [h('dt', null, 'Waktu harapan'), h('dd', null, preview.expected.text)] : null,
      h('dt', null, 'Tenggat'), h('dd', { class: 'waktu-deadline' }, preview.deadline.text),
      h('dt', null, 'Contoh'), h('dd', null, `diberikan ${dateTime(example.start, example.timeZone)}`),
      example.expectedAt ? [h('dt', null, 'Harapan selesai'), h('dd', null, dateTime(example.expectedAt, example.timeZone))] : null,
      h('dt', null, 'Tenggat jatuh'), h('dd', { class: 'waktu-due' }, dateTime(example.dueAt, example.timeZone),
        example.provisional ? h('span', { class: 'provisional' }, ` (${PROVISIONAL_LABEL})`) : null),
      h('dt', null, 'Waktu kerja'), h('dd', null, example.workingTimeText)));
}

function candidateGroupsField() {
  function Component({ element }) {
    const modeling = useService('modeling');
    const debounce = useService('debounceInput');
    return h(TextFieldEntry, {
      element,
      id: 'sop-candidateGroups',
      label: 'Peran pengganti lajur',
      description: 'Kosongkan agar peran = nama lajur. Beberapa peran dipisahkan koma.',
      debounce,
      getValue: () => getBusinessObject(element).get('sop:candidateGroups') ?? '',
      setValue: (value) => modeling.updateProperties(element, { 'sop:candidateGroups': value || undefined }),
    });
  }
  return { id: 'sop-candidateGroups', component: Component, isEdited: isTextFieldEntryEdited };
}

function stepGroup() {
  return {
    id: 'sop-step',
    label: 'Langkah SOP',
    shouldOpen: true,
    entries: [
      stepField('sop-nomor', 'nomor', 'Nomor langkah'),
      stepField('sop-kelengkapan', 'kelengkapan', 'Kelengkapan', { area: true }),
      stepField('sop-waktu', 'waktu', 'Waktu (Mutu Baku)', { description: 'Seperti tertulis di SOP, mis. "1 – 20 Hari Kerja", "15 Menit".' }),
      { id: 'sop-waktu-preview', component: WaktuPreview },
      stepField('sop-output', 'output', 'Output', { area: true }),
      stepField('sop-keterangan', 'keterangan', 'Keterangan', { area: true }),
      stepField('sop-outcomes', 'outcomes', 'Pilihan hasil', { description: 'Dipisahkan koma, mis. "setuju,dikembalikan". Kosong: dibaca dari gerbang sesudahnya.' }),
      candidateGroupsField(),
    ],
  };
}

function laneGroup(office) {
  function Component({ element: lane }) {
    const modeling = useService('modeling');
    const name = getBusinessObject(lane).get('name') ?? '';
    const roles = office.roles.map((r) => r.name);
    return h(SelectEntry, {
      element: lane,
      id: 'sop-lane-role',
      label: 'Peran (Pelaksana)',
      description: 'Lajur = peran kantor yang mengerjakan setiap langkah di dalamnya.',
      getValue: () => name,
      setValue: (value) => modeling.updateProperties(lane, { name: value }),
      getOptions: () => [
        ...(roles.includes(name) ? [] : [{ value: name, label: name ? `${name} (bukan peran kantor)` : '— pilih peran —' }]),
        ...roles.map((role) => ({ value: role, label: role })),
      ],
    });
  }
  return { id: 'sop-lane', label: 'Peran lajur', shouldOpen: true, entries: [{ id: 'sop-lane-role', component: Component, isEdited: isSelectEntryEdited }] };
}

const UNITS = ['', 'menit', 'jam', 'hari', 'hari kerja', 'minggu', 'bulan'];

function processGroup() {
  function unitEntry({ element: el }) {
    const injector = useService('injector');
    const process = processOf(el);
    return h(SelectEntry, {
      element: el,
      id: 'sop-waktuSatuan',
      label: 'Satuan Waktu angka saja',
      description: 'Bila kolom Waktu SOP hanya berisi angka (mis. "Waktu (Menit)").',
      getValue: () => process.get('sop:waktuSatuan') ?? '',
      setValue: (value) => injector.get('commandStack').execute('element.updateModdleProperties', { element: el, moddleElement: process, properties: { 'sop:waktuSatuan': value || undefined } }),
      getOptions: () => UNITS.map((u) => ({ value: u, label: u || '— tidak ada —' })),
    });
  }
  const identity = (property, label) => {
    function Component({ element: el }) {
      const injector = useService('injector');
      const debounce = useService('debounceInput');
      const process = processOf(el);
      return h(TextFieldEntry, {
        element: el,
        id: `sop-identity-${property}`,
        label,
        debounce,
        getValue: () => extension(process, 'sop:Identity')?.get(property) ?? '',
        setValue: (value) => setExtension(injector, el, process, 'sop:Identity', { [property]: value || undefined }),
      });
    }
    return { id: `sop-identity-${property}`, component: Component, isEdited: isTextFieldEntryEdited };
  };
  // A header list (Dasar Hukum, …) is one child element of sop:identity holding one item per line.
  const headerList = (property, type, label) => {
    function Component({ element: el }) {
      const injector = useService('injector');
      const debounce = useService('debounceInput');
      const process = processOf(el);
      return h(TextAreaEntry, {
        element: el,
        id: `sop-identity-${property}`,
        label,
        description: 'Satu butir per baris, tanpa nomor.',
        debounce,
        rows: 3,
        autoResize: true,
        getValue: () => (extension(process, 'sop:Identity')?.get(property)?.get('text') ?? '')
          .split('\n').map((line) => line.trim()).filter(Boolean).join('\n'),
        setValue: (value) => {
          const items = (value ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
          const list = items.length === 0 ? undefined : injector.get('bpmnFactory').create(type, { text: items.join('\n') });
          setExtension(injector, el, process, 'sop:Identity', { [property]: list });
        },
      });
    }
    return { id: `sop-identity-${property}`, component: Component, isEdited: isTextAreaEntryEdited };
  };
  return {
    id: 'sop-process',
    label: 'Identitas SOP (kepala SOP-AP)',
    shouldOpen: true,
    entries: [
      identity('nomor', 'Nomor SOP'),
      identity('judul', 'Nama SOP'),
      identity('kantor', 'Kantor'),
      identity('tanggalPembuatan', 'Tanggal pembuatan'),
      identity('tanggalRevisi', 'Tanggal revisi'),
      identity('tanggalEfektif', 'Tanggal efektif'),
      identity('disahkanOleh', 'Disahkan oleh'),
      headerList('dasarHukum', 'sop:DasarHukum', 'Dasar Hukum'),
      headerList('kualifikasiPelaksana', 'sop:KualifikasiPelaksana', 'Kualifikasi Pelaksana'),
      headerList('keterkaitan', 'sop:Keterkaitan', 'Keterkaitan'),
      headerList('peralatanPerlengkapan', 'sop:PeralatanPerlengkapan', 'Peralatan/Perlengkapan'),
      headerList('peringatan', 'sop:Peringatan', 'Peringatan'),
      headerList('pencatatanPendataan', 'sop:PencatatanPendataan', 'Pencatatan dan Pendataan'),
      identity('jumlahWaktu', 'Jumlah waktu yang dinyatakan SOP'),
      { id: 'sop-waktuSatuan', component: unitEntry, isEdited: isSelectEntryEdited },
    ],
  };
}

/** Registers the SOP groups; `office` is GET /api/offices/current. */
export function sopPropertiesModule(office) {
  function SopPropertiesProvider(propertiesPanel) {
    propertiesPanel.registerProvider(500, this);
  }
  SopPropertiesProvider.$inject = ['propertiesPanel'];
  // Made once: a group made anew at every render gives its entries new component types, so Preact remounts every
  // field whenever one commits, and what was being typed into the next field is lost.
  const step = stepGroup();
  const lane = laneGroup(office);
  const process = processGroup();
  SopPropertiesProvider.prototype.getGroups = (element) => (groups) => {
    const sopGroups = [];
    if (isStep(element)) sopGroups.push(step);
    if (is(element, 'bpmn:Lane')) sopGroups.push(lane);
    if (is(element, 'bpmn:Process') || is(element, 'bpmn:Participant')) sopGroups.push(process);
    groups.splice(1, 0, ...sopGroups);
    return groups;
  };
  return { __init__: ['sopPropertiesProvider'], sopPropertiesProvider: ['type', SopPropertiesProvider] };
}
