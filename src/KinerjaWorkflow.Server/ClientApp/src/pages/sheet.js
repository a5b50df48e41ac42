// The SOP-AP sheet (PermenPAN-RB 35/2012) of one definition version: the identity page, then the procedure
// table with a column per Pelaksana and the flowchart drawn over it. The page lays itself out as A4 landscape
// pages (the same on screen and in print), so the browser's "print to PDF" gives the official layout, and draws
// an off-page connector wherever an arrow runs from one printed page to another. Everything comes from
// GET /api/definitions/{key}/versions/{v}/sheet, which the engine draws from the BPMN it runs.

import '../styles/base.css';
import '../styles/sheet.css';
import { api } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { app, errorBox, initLayout, page, user } from '../lib/page.js';

initLayout();

const root = app();
root.classList.add('app-sheet');
const key = page.params.definitionKey;
const version = page.params.version;
const instanceId = new URLSearchParams(window.location.search).get('instance');

const SVG = 'http://www.w3.org/2000/svg';
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const SYMBOL_NAMES = { Terminator: 'awal atau akhir', Process: 'kegiatan', Decision: 'keputusan' };
// Room kept under the table of each page for the off-page connectors.
const CONNECTOR_ROOM = 34;

async function load() {
  try {
    const [sheet, instance] = await Promise.all([
      api(`/api/definitions/${encodeURIComponent(key)}/versions/${version}/sheet`),
      instanceId ? api(`/api/instances/${encodeURIComponent(instanceId)}`) : null,
    ]);
    render(sheet, instance);
  } catch (error) {
    replace(root, h('p', { class: 'breadcrumb' }, h('a', { href: '/instans' }, '‹ Proses berjalan')), errorBox(error));
  }
}

function render(sheet, instance) {
  const title = sheet.identity?.title ?? sheet.name ?? sheet.key;
  document.title = `Lembar SOP ${title} · KinerjaWorkflow`;
  const active = new Set((instance?.activeSteps ?? []).map((s) => s.stepId));
  const doc = h('div', { class: 'sheet-doc', id: 'sheet' });
  replace(root,
    h('div', { class: 'sheet-toolbar' },
      h('p', { class: 'breadcrumb' },
        instance ? h('a', { href: `/instans/${instance.id}` }, '‹ Proses berjalan') : h('a', { href: '/instans' }, '‹ Proses berjalan')),
      h('div', { class: 'page-head' },
        h('div', null,
          h('h1', null, `Lembar SOP: ${title}`),
          h('p', null, `Versi ${version} · format SOP-AP (PermenPAN-RB 35/2012), digambar dari BPMN yang dijalankan`,
            instance ? h('span', { id: 'sheet-instance' }, ` · langkah aktif instans ${instance.businessKey ?? instance.id} ditandai`) : null)),
        h('div', { class: 'button-row' },
          user.isAdmin ? h('a', { class: 'button-quiet', href: `/desainer?key=${encodeURIComponent(sheet.key)}` }, 'Buka di desainer') : null,
          h('button', { type: 'button', class: 'button-primary', id: 'print-sheet', onclick: () => window.print() }, 'Cetak / simpan PDF'))),
      instance && active.size === 0 ? h('p', { class: 'muted' }, 'Proses ini tidak memiliki langkah aktif.') : null),
    doc);

  doc.append(identityPage(sheet));
  paginate(doc, sheet, active);
  document.body.dataset.sheetReady = 'true';
}

/** Tanggal as the SOP is signed: an ISO date reads "2 Juni 2025"; anything else stays as written. */
function tanggal(value) {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  if (!iso) return value || '–';
  return `${Number(iso[3])} ${MONTHS[Number(iso[2]) - 1]} ${iso[1]}`;
}

function list(items) {
  if (!items || items.length === 0) return h('p', { class: 'muted' }, '–');
  if (items.length === 1) return h('p', null, items[0]);
  return h('ol', null, items.map((item) => h('li', null, item)));
}

function identityPage(sheet) {
  const identity = sheet.identity ?? {};
  const field = (label, value, id) => h('tr', null, h('th', { scope: 'row' }, label), h('td', { id }, value));
  const block = (label, items, id) => h('td', { class: 'sheet-block', id }, h('h3', null, label), list(items));
  return h('section', { class: 'sheet-page sheet-identity', 'aria-label': 'Identitas SOP' },
    h('table', { class: 'sheet-identity-table' },
      h('tbody', null,
        h('tr', null,
          h('td', { class: 'sheet-office', rowspan: 6 },
            h('div', { class: 'sheet-logo', 'aria-hidden': 'true' }, (identity.office ?? sheet.name ?? 'SOP').split(/\s+/).filter((w) => /^[A-Z]/.test(w)).slice(0, 3).map((w) => w[0]).join('')),
            h('p', { class: 'sheet-office-name', id: 'sheet-office' }, identity.office ?? '–')),
          h('th', { scope: 'row' }, 'Nomor SOP'), h('td', { id: 'sheet-number' }, identity.number ?? '–')),
        field('Tanggal Pembuatan', tanggal(identity.madeDate), 'sheet-made'),
        field('Tanggal Revisi', tanggal(identity.revisionDate), 'sheet-revised'),
        field('Tanggal Efektif', tanggal(identity.effectiveDate), 'sheet-effective'),
        field('Disahkan oleh', identity.approvedBy ?? '–', 'sheet-approved'),
        field('Nama SOP', identity.title ?? sheet.name ?? sheet.key, 'sheet-title'))),
    h('table', { class: 'sheet-blocks' },
      h('tbody', null,
        h('tr', null, block('Dasar Hukum', identity.legalBasis, 'sheet-legal'), block('Kualifikasi Pelaksana', identity.qualifications, 'sheet-qualifications')),
        h('tr', null, block('Keterkaitan', identity.relatedProcedures, 'sheet-related'), block('Peralatan/Perlengkapan', identity.equipment, 'sheet-equipment')),
        h('tr', null, block('Peringatan', identity.warnings, 'sheet-warnings'), block('Pencatatan dan Pendataan', identity.recordKeeping, 'sheet-records')))));
}

function tableHead(sheet) {
  return h('thead', null,
    h('tr', null,
      h('th', { rowspan: 2, class: 'col-no', scope: 'col' }, 'No'),
      h('th', { rowspan: 2, class: 'col-kegiatan', scope: 'col' }, 'Kegiatan'),
      h('th', { colspan: sheet.pelaksana.length, scope: 'colgroup' }, 'Pelaksana'),
      h('th', { colspan: 3, scope: 'colgroup' }, 'Mutu Baku'),
      h('th', { rowspan: 2, class: 'col-ket', scope: 'col' }, 'Keterangan')),
    h('tr', null,
      sheet.pelaksana.map((role) => h('th', { scope: 'col', class: 'col-role' }, role)),
      h('th', { scope: 'col', class: 'col-kelengkapan' }, 'Kelengkapan'),
      h('th', { scope: 'col', class: 'col-waktu' }, 'Waktu'),
      h('th', { scope: 'col', class: 'col-output' }, 'Output')));
}

/** What the arrows say in words, for the Keterangan column and for anyone who cannot see the drawing. */
function waysText(row) {
  if (row.symbol !== 'Decision') return null;
  return row.next.map((n) => `${n.label ?? 'Lanjut'}: ${n.toEnd ? 'selesai' : `ke langkah ${n.toNo}`}`).join('; ');
}

function rowElement(sheet, row, index, active) {
  const ways = waysText(row);
  return h('tr', {
    class: active.has(row.stepId) ? 'row-active' : '',
    'data-step-id': row.stepId,
    'data-row': index,
    'data-symbol': row.symbol,
  },
  h('td', { class: 'col-no' }, String(row.no)),
  h('td', { class: 'col-kegiatan' }, row.kegiatan,
    active.has(row.stepId) ? h('span', { class: 'active-note' }, ' (sedang berjalan)') : null),
  sheet.pelaksana.map((role, column) => h('td', {
    class: 'col-role',
    'data-column': column,
    'aria-label': row.columns[0] === column ? `${role}: ${SYMBOL_NAMES[row.symbol]}` : row.columns.includes(column) ? `${role}: ikut serta` : undefined,
  })),
  h('td', { class: 'col-kelengkapan' }, row.kelengkapan ?? ''),
  h('td', { class: 'col-waktu' }, row.waktu ?? ''),
  h('td', { class: 'col-output' }, row.output ?? ''),
  h('td', { class: 'col-ket' },
    row.keterangan ?? '',
    row.forEach ? h('span', { class: 'ket-note' }, `Satu tugas untuk setiap ${row.forEach}.`) : null,
    ways ? h('span', { class: 'ket-note' }, ways) : null));
}

function procedurePage(sheet) {
  const body = h('tbody');
  const table = h('table', { class: 'sop-table' }, colgroup(sheet), tableHead(sheet), body);
  const section = h('section', { class: 'sheet-page sheet-procedure', 'aria-label': 'Prosedur' }, h('div', { class: 'sheet-table-host' }, table));
  return { section, table, body };
}

function colgroup(sheet) {
  // Kegiatan and Mutu Baku keep their widths; the Pelaksana columns share what is left.
  const fixed = { no: 3, kegiatan: 21, kelengkapan: 11, waktu: 7, output: 11, ket: 9.5 };
  const rest = 100 - Object.values(fixed).reduce((a, b) => a + b, 0);
  const role = rest / sheet.pelaksana.length;
  return h('colgroup', null,
    h('col', { style: `width:${fixed.no}%` }),
    h('col', { style: `width:${fixed.kegiatan}%` }),
    sheet.pelaksana.map(() => h('col', { style: `width:${role}%` })),
    h('col', { style: `width:${fixed.kelengkapan}%` }),
    h('col', { style: `width:${fixed.waktu}%` }),
    h('col', { style: `width:${fixed.output}%` }),
    h('col', { style: `width:${fixed.ket}%` }));
}

/** Splits the rows over A4 pages by measuring them, then draws the flowchart of each page. */
function paginate(doc, sheet, active) {
  const pages = [];
  let current = null;
  sheet.rows.forEach((row, index) => {
    if (!current) {
      current = procedurePage(sheet);
      doc.append(current.section);
      pages.push({ ...current, rows: [] });
    }
    const tr = rowElement(sheet, row, index, active);
    current.body.append(tr);
    const room = current.section.clientHeight - CONNECTOR_ROOM;
    if (current.table.offsetHeight > room && current.body.children.length > 1) {
      tr.remove();
      current = procedurePage(sheet);
      doc.append(current.section);
      pages.push({ ...current, rows: [] });
      current.body.append(tr);
    }
    pages[pages.length - 1].rows.push(index);
  });

  const pageOf = new Map();
  pages.forEach((p, number) => p.rows.forEach((r) => pageOf.set(r, number)));
  const connectors = offPageConnectors(sheet, pageOf);
  pages.forEach((p, number) => {
    p.section.append(h('p', { class: 'sheet-page-number' }, `Halaman ${number + 2} dari ${pages.length + 1}`));
    drawFlow(sheet, p, pageOf, number, connectors, active);
  });
  doc.firstChild.append(h('p', { class: 'sheet-page-number' }, `Halaman 1 dari ${pages.length + 1}`));
}

/** A letter for every arrow that leaves one printed page for another, in reading order. */
function offPageConnectors(sheet, pageOf) {
  const letters = new Map();
  sheet.rows.forEach((row, from) => row.next.forEach((way, wayIndex) => {
    if (!way.toEnd && pageOf.get(from) !== pageOf.get(way.toRow)) {
      letters.set(`${from}:${wayIndex}`, String.fromCharCode(65 + letters.size % 26) + (letters.size >= 26 ? Math.floor(letters.size / 26) : ''));
    }
  }));
  return letters;
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

function symbolShape(kind, box, extra = {}) {
  const { x, y, w, hgt } = box;
  if (kind === 'Decision') {
    return svg('polygon', { points: `${x + w / 2},${y} ${x + w},${y + hgt / 2} ${x + w / 2},${y + hgt} ${x},${y + hgt / 2}`, ...extra });
  }
  return svg('rect', { x, y, width: w, height: hgt, rx: kind === 'Terminator' ? hgt / 2 : 0, ...extra });
}

function offPageShape(x, y, letter, caption, align) {
  return svg('g', { class: 'off-page', 'data-letter': letter },
    svg('polygon', { points: `${x - 9},${y - 9} ${x + 9},${y - 9} ${x + 9},${y + 4} ${x},${y + 10} ${x - 9},${y + 4}` }),
    svg('text', { x, y: y + 2, 'text-anchor': 'middle', class: 'off-page-letter' }, letter),
    caption ? svg('text', { x: align === 'left' ? x - 12 : x + 12, y: y + 3, 'text-anchor': align === 'left' ? 'end' : 'start', class: 'flow-label' }, caption) : null);
}

function drawFlow(sheet, p, pageOf, pageNumber, connectors, active) {
  const host = p.section.querySelector('.sheet-table-host');
  const origin = host.getBoundingClientRect();
  const width = origin.width;
  const tableHeight = p.table.getBoundingClientRect().height;
  const height = tableHeight + CONNECTOR_ROOM;
  const layer = svg('svg', { class: 'sheet-flow', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true' },
    svg('defs', null,
      svg('marker', { id: `arrow-${pageNumber}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }))));
  const marker = `url(#arrow-${pageNumber})`;

  const cells = new Map();
  const boxes = new Map();
  for (const index of p.rows) {
    const row = sheet.rows[index];
    const tr = p.body.querySelector(`tr[data-row="${index}"]`);
    const cellRect = (column) => {
      const r = tr.querySelector(`td[data-column="${column}"]`).getBoundingClientRect();
      return { left: r.left - origin.left, top: r.top - origin.top, width: r.width, height: r.height };
    };
    cells.set(index, cellRect);
    const box = (column) => {
      const c = cellRect(column);
      const w = row.symbol === 'Decision' ? Math.min(c.width * 0.55, 64) : Math.min(c.width * 0.55, 76);
      const hgt = row.symbol === 'Decision' ? Math.min(34, c.height - 8) : Math.min(26, c.height - 10);
      return { x: c.left + (c.width - w) / 2, y: c.top + (c.height - hgt) / 2, w, hgt, cx: c.left + c.width / 2, cy: c.top + c.height / 2 };
    };
    boxes.set(index, box(row.columns[0]));
    const isActive = active.has(row.stepId);
    const primary = boxes.get(index);
    for (const column of row.columns.slice(1)) {
      const other = box(column);
      layer.append(svg('line', { x1: primary.cx, y1: primary.cy, x2: other.cx, y2: other.cy, class: 'joint' }));
      layer.append(symbolShape(row.symbol, other, { class: `symbol symbol-joint ${isActive ? 'symbol-active' : ''}` }));
    }
    layer.append(symbolShape(row.symbol, primary, { class: `symbol symbol-${row.symbol.toLowerCase()} ${isActive ? 'symbol-active' : ''}`, 'data-step-id': row.stepId }));
  }

  // The Pelaksana block, whose left and right margins carry the arrows that skip rows or loop back.
  const firstCell = cells.get(p.rows[0])(0);
  const lastCell = cells.get(p.rows[0])(sheet.pelaksana.length - 1);
  const laneLeft = firstCell.left;
  const laneRight = lastCell.left + lastCell.width;
  let leftChannels = 0;
  let rightChannels = 0;
  const path = (points, extra = {}) => svg('polyline', { points: points.map((pt) => pt.join(',')).join(' '), class: 'flow', 'marker-end': marker, ...extra });
  const label = (x, y, text, anchor = 'start') => (text ? svg('text', { x, y, 'text-anchor': anchor, class: 'flow-label' }, text) : null);
  // A label written up a margin line, so that it never covers the Kegiatan or Mutu Baku text beside the block.
  const alongLabel = (x, y, text, before = false) => (text
    ? svg('text', { x, y, 'text-anchor': 'middle', class: 'flow-label', transform: `rotate(-90 ${x} ${y})`, dy: before ? '-0.2em' : '0.8em' }, text)
    : null);

  for (const from of p.rows) {
    const row = sheet.rows[from];
    const a = boxes.get(from);
    const isLastRow = from === sheet.rows.length - 1;
    row.next.forEach((way, wayIndex) => {
      const showLabel = row.next.length > 1 ? way.label : null;
      if (way.toEnd) {
        if (isLastRow && row.next.length === 1) return;
        const x = a.x + a.w;
        layer.append(path([[x, a.cy], [x + 16, a.cy]]));
        layer.append(svg('circle', { cx: x + 21, cy: a.cy, r: 4.5, class: 'end-mark' }));
        layer.append(label(x + 28, a.cy + 3, `${showLabel ? `${showLabel}: ` : ''}selesai`));
        return;
      }

      const letter = connectors.get(`${from}:${wayIndex}`);
      if (letter) {
        const lastOnPage = from === p.rows[p.rows.length - 1] && way.toRow > from;
        if (lastOnPage) {
          const y = tableHeight + 16;
          layer.append(path([[a.cx, a.y + a.hgt], [a.cx, y - 10]]));
          layer.append(offPageShape(a.cx, y, letter, `ke langkah ${way.toNo}${showLabel ? ` (${showLabel})` : ''}`, 'right'));
        } else {
          const x = a.x + a.w + 16;
          layer.append(path([[a.x + a.w, a.cy], [x - 9, a.cy]]));
          layer.append(offPageShape(x, a.cy, letter, null, 'right'));
          layer.append(label(a.x + a.w + 2, a.cy - 12, `${showLabel ? `${showLabel}: ` : ''}ke langkah ${way.toNo}`));
        }
        return;
      }

      const b = boxes.get(way.toRow);
      if (way.back) {
        // A loop runs up the left margin of the Pelaksana block, its label along it.
        const x = laneLeft + 5 + 6 * leftChannels++;
        layer.append(path([[a.x, a.cy], [x, a.cy], [x, b.cy], [b.x, b.cy]], { class: 'flow flow-back' }));
        layer.append(alongLabel(x + 3, (a.cy + b.cy) / 2, showLabel));
      } else if (way.toRow === from + 1) {
        // To the next row: straight down, or down to just above the row's lower edge, across, and down.
        const bottom = cells.get(from)(row.columns[0]);
        const y = bottom.top + bottom.height - Math.min(6, (bottom.top + bottom.height - a.y - a.hgt) / 2);
        const points = Math.abs(a.cx - b.cx) < 1
          ? [[a.cx, a.y + a.hgt], [b.cx, b.y]]
          : [[a.cx, a.y + a.hgt], [a.cx, y], [b.cx, y], [b.cx, b.y]];
        layer.append(path(points));
        layer.append(label(a.cx + (b.cx < a.cx ? -4 : 4), a.y + a.hgt + 7, showLabel, b.cx < a.cx ? 'end' : 'start'));
      } else {
        // A step further down: along the right margin of the Pelaksana block.
        const x = laneRight - 5 - 6 * rightChannels++;
        layer.append(path([[a.x + a.w, a.cy], [x, a.cy], [x, b.cy], [b.x + b.w, b.cy]]));
        layer.append(alongLabel(x - 3, (a.cy + b.cy) / 2, showLabel, true));
      }
    });
  }

  // The arrows arriving from another page start at their connector, left of the step they reach.
  sheet.rows.forEach((row, from) => row.next.forEach((way, wayIndex) => {
    const letter = connectors.get(`${from}:${wayIndex}`);
    if (!letter || pageOf.get(way.toRow) !== pageNumber) return;
    const b = boxes.get(way.toRow);
    const x = b.x - 18;
    layer.append(offPageShape(x, b.cy, letter, null, 'left'));
    layer.append(path([[x + 9, b.cy], [b.x, b.cy]]));
    layer.append(label(x - 11, b.cy - 12, `dari langkah ${row.no}`, 'end'));
  }));

  host.append(layer);
}

load();
