// A small element builder: text always goes in as text, never as HTML, so nothing a user typed can run.

export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'style' && typeof value === 'object') Object.assign(element.style, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/**
 * A table with a caption, headers and rows; `columns` are [{ label, cell(row) -> node|text, numeric? }]. Each cell
 * carries its column's label, which a phone shows beside the value when the rows become cards.
 */
export function table(caption, columns, rows, { empty = 'Tidak ada data.', className = '' } = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: `data-table ${className}` },
      h('caption', { class: caption.visible ? '' : 'visually-hidden' }, caption.text ?? caption),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : '' }, c.label)))),
      h('tbody', null, rows.length === 0
        ? h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, empty))
        : rows.map((row) => h('tr', null, columns.map((c) => h('td', { class: c.numeric ? 'num' : '', 'data-label': c.label }, c.cell(row))))))));
}
