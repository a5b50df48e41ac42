// What every bpmn-js diagram of the pages shares (instance, task and designer): the SOP step number on each
// task, task labels laid out below the task's type icon, flow labels as wide as their longest word (a file's
// label box may be narrower than "Dikembalikan"), and zoom buttons. The renderer runs before bpmn-js's own and
// changes only the picture, never the BPMN a designer saves.

import BaseRenderer from 'diagram-js/lib/draw/BaseRenderer';
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';
import { append as svgAppend, attr as svgAttr, classes as svgClasses, create as svgCreate, remove as svgRemove } from 'tiny-svg';
import { h } from './dom.js';

const PRIORITY = 1500;
// The type icon of a task sits in its top-left corner, about 24 px down.
const LABEL_TOP = 24;
const LABEL_SIDE = 6;

/** The sop:step number of a task, or null. */
export function stepNumberOf(element) {
  const values = getBusinessObject(element)?.extensionElements?.get('values') ?? [];
  const step = values.find((e) => e.$instanceOf?.('sop:Step'));
  const nomor = step?.get('nomor');
  return nomor ? String(nomor) : null;
}

class SopDiagramRenderer extends BaseRenderer {
  constructor(eventBus, bpmnRenderer, textRenderer) {
    super(eventBus, PRIORITY);
    this.bpmnRenderer = bpmnRenderer;
    this.textRenderer = textRenderer;
  }

  canRender(element) {
    return element.type === 'label' || (is(element, 'bpmn:Task') && !element.labelTarget);
  }

  drawShape(parentGfx, element, attrs) {
    const shape = this.bpmnRenderer.drawShape(parentGfx, element, attrs);
    if (element.type === 'label') this.widenLabel(parentGfx, element);
    else this.layOutTask(parentGfx, element);
    return shape;
  }

  getShapePath(element) {
    return this.bpmnRenderer.getShapePath(element);
  }

  /** Lays the task's name out below its icon, shrinking the font a step or two when the name is long. */
  layOutTask(parentGfx, element) {
    const name = getBusinessObject(element).name;
    const old = parentGfx.querySelector('text.djs-label');
    if (!name || !old) {
      this.badge(parentGfx, element);
      return;
    }
    const loop = getBusinessObject(element).loopCharacteristics;
    const bottom = element.height - (loop ? 18 : 5);
    const area = bottom - LABEL_TOP;
    const base = parseInt(this.textRenderer.getDefaultStyle().fontSize, 10) || 12;
    let size = base;
    let height = this.measure(name, element.width, size).height;
    while (height > area && size > base - 2) {
      size -= 1;
      height = this.measure(name, element.width, size).height;
    }
    const top = height > area ? Math.max(LABEL_TOP - (height - area), 4) : LABEL_TOP + (area - height) / 2;
    const text = this.textRenderer.createText(name, {
      box: { width: element.width, height: element.height },
      align: 'center-top',
      padding: { top, left: LABEL_SIDE, right: LABEL_SIDE, bottom: 0 },
      style: { fill: old.style.fill || svgAttr(old, 'fill') || undefined, fontSize: size },
    });
    svgClasses(text).add('djs-label');
    old.replaceWith(text);
    this.badge(parentGfx, element);
  }

  measure(text, width, fontSize) {
    return this.textRenderer.getDimensions(text, {
      box: { width, height: 1000 },
      align: 'center-top',
      padding: { top: 0, left: LABEL_SIDE, right: LABEL_SIDE, bottom: 0 },
      style: { fontSize },
    });
  }

  badge(parentGfx, element) {
    const number = stepNumberOf(element);
    if (!number) return;
    const group = svgCreate('g', { class: 'step-badge', 'data-step-number': number });
    svgAppend(group, svgCreate('circle', { cx: element.width - 11, cy: 11, r: 9 }));
    const text = svgCreate('text', { x: element.width - 11, y: 15, 'text-anchor': 'middle' });
    text.textContent = number;
    svgAppend(group, text);
    svgAppend(parentGfx, group);
  }

  /** Gives an external label the width of its longest word, centred where the file placed it. */
  widenLabel(parentGfx, element) {
    const name = getBusinessObject(element).name;
    const old = parentGfx.querySelector('text.djs-label');
    if (!name || !old) return;
    const style = this.textRenderer.getExternalStyle();
    const longest = Math.max(...name.split(/\s+/).map((word) => this.textRenderer.getDimensions(word, { box: { width: 1000, height: 100 }, style, padding: 0 }).width));
    if (longest <= element.width) return;
    const width = Math.ceil(longest) + 2;
    const text = this.textRenderer.createText(name, {
      box: { width, height: element.height },
      align: 'center-top',
      padding: 0,
      style: { ...style, fill: old.style.fill || svgAttr(old, 'fill') || undefined },
    });
    svgClasses(text).add('djs-label');
    svgAttr(text, { transform: `translate(${(element.width - width) / 2}, 0)` });
    svgRemove(old);
    svgAppend(parentGfx, text);
  }
}

SopDiagramRenderer.$inject = ['eventBus', 'bpmnRenderer', 'textRenderer'];

/** The bpmn-js module; add it to a viewer's or modeler's additionalModules. */
export const sopDiagramModule = {
  __init__: ['sopDiagramRenderer'],
  sopDiagramRenderer: ['type', SopDiagramRenderer],
};

/** bpmn-js's text settings for every diagram: a font that keeps Indonesian words whole at the default zoom. */
export const textRenderer = {
  defaultStyle: { fontFamily: '"Liberation Sans", Arial, sans-serif', fontSize: 12 },
  externalStyle: { fontSize: 11 },
};

/** +, − and "fit" buttons over a diagram's canvas. */
export function zoomControls(viewer) {
  const canvas = () => viewer.get('canvas');
  const step = (factor) => {
    const current = canvas().zoom();
    canvas().zoom(Math.min(4, Math.max(0.2, current * factor)));
  };
  return h('div', { class: 'diagram-zoom', role: 'group', 'aria-label': 'Perbesaran diagram' },
    h('button', { type: 'button', class: 'zoom-in', title: 'Perbesar', 'aria-label': 'Perbesar', onclick: () => step(1.25) }, '+'),
    h('button', { type: 'button', class: 'zoom-out', title: 'Perkecil', 'aria-label': 'Perkecil', onclick: () => step(0.8) }, '−'),
    h('button', { type: 'button', class: 'zoom-fit', title: 'Sesuaikan ke layar', 'aria-label': 'Sesuaikan ke layar', onclick: () => canvas().zoom('fit-viewport', 'auto') }, 'Sesuaikan'));
}
