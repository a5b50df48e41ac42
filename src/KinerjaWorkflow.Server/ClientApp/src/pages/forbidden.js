import '../styles/base.css';
import { h, replace } from '../lib/dom.js';
import { app, initLayout, page } from '../lib/page.js';

initLayout();
replace(app(),
  h('section', { class: 'card' },
    h('h1', null, 'Tidak diizinkan'),
    h('p', null, page.params.message ?? 'Halaman ini bukan untuk akun Anda.'),
    h('a', { class: 'button-secondary', href: '/tugas' }, 'Ke Kotak Tugas')));
