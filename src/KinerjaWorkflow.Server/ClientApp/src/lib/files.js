import { h } from './dom.js';

/** The file input behind an Indonesian button, with the chosen files' names beside it (browsers label the native one in their own language). */
export function fileChooser(input, label) {
  input.classList.add('visually-hidden');
  input.setAttribute('aria-label', label);
  const names = h('span', { class: 'file-names muted small', id: `${input.id}-names`, 'aria-live': 'polite' }, 'Belum ada berkas dipilih');
  input.addEventListener('change', () => {
    const chosen = [...input.files].map((f) => f.name);
    names.textContent = chosen.length === 0 ? 'Belum ada berkas dipilih' : chosen.join(', ');
  });
  return h('div', { class: 'file-chooser' },
    input,
    h('label', { for: input.id, class: 'button-secondary', id: `${input.id}-button` }, input.multiple ? 'Pilih berkas…' : 'Pilih berkas'),
    names);
}
