import '../styles/base.css';
import { api } from '../lib/api.js';
import { dateTime } from '../lib/format.js';
import { h, replace, table } from '../lib/dom.js';
import { app, errorBox, flash, initLayout, page } from '../lib/page.js';

initLayout();

const root = app();
const zone = page.office?.timeZone ?? 'Asia/Jakarta';

function size(bytes) {
  if (bytes === null || bytes === undefined) return '–';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString('id-ID', { maximumFractionDigits: 1 })} KB`;
  return `${(bytes / (1024 * 1024)).toLocaleString('id-ID', { maximumFractionDigits: 1 })} MB`;
}

let polling = null;

async function load() {
  try {
    render(await api('/api/admin/backups'));
  } catch (error) {
    replace(root, errorBox(error));
  }
}

// A backup runs in the background (an office's documents can take minutes): ask after it every second until it ends.
function follow(run) {
  clearTimeout(polling);
  polling = setTimeout(async () => {
    try {
      const now = await api(`/api/admin/backups/runs/${run.id}`);
      if (now.running) {
        follow(now);
        return;
      }

      flash(now.succeeded ? `Cadangan ${now.folder} selesai.` : `Pencadangan gagal: ${now.error}`, now.succeeded ? 'success' : 'error');
    } catch (error) {
      flash(`Hasil pencadangan belum dapat dibaca: ${error.message}`, 'error');
    }

    await load();
  }, 1000);
}

function running(run) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(run.startedAt)) / 1000));
  return h('div', { class: 'alert alert-info', id: 'backup-running', role: 'status' },
    h('p', null, `Pencadangan sedang berjalan sejak ${dateTime(run.startedAt, zone)} (${run.trigger === 'jadwal' ? 'terjadwal' : run.trigger}), ${seconds.toLocaleString('id-ID')} detik. Halaman ini memperbarui sendiri; boleh ditinggalkan, pencadangan tetap berjalan.`));
}

function lastRun(run) {
  if (!run) return h('p', { id: 'backup-last' }, 'Belum pernah ada pencadangan dari layanan ini.');
  const when = `${dateTime(run.startedAt, zone)} (${run.trigger === 'jadwal' ? 'terjadwal' : run.trigger})`;
  return run.succeeded
    ? h('div', { class: 'alert alert-success', id: 'backup-last', role: 'status' },
      h('p', null, `Pencadangan terakhir berhasil: ${when}, ${run.folder}, ${size(run.sizeBytes)}, ${(run.durationMilliseconds / 1000).toLocaleString('id-ID', { maximumFractionDigits: 1 })} detik.`))
    : h('div', { class: 'alert alert-error', id: 'backup-last', role: 'status' },
      h('p', null, `Pencadangan terakhir GAGAL: ${when}. Alasan: ${run.error}`),
      h('p', null, 'Semua admin sudah diberi tahu. Perbaiki penyebabnya, lalu cadangkan sekarang.'));
}

function render(status) {
  const errors = h('div');
  const button = h('button', { type: 'button', class: 'button-primary', id: 'backup-now', disabled: status.running ? true : null },
    status.running ? 'Mencadangkan…' : 'Cadangkan sekarang');
  button.addEventListener('click', async () => {
    replace(errors);
    button.disabled = true;
    button.textContent = 'Mencadangkan…';
    try {
      follow(await api('/api/admin/backups', { method: 'POST' }));
      await load();
    } catch (error) {
      button.disabled = false;
      button.textContent = 'Cadangkan sekarang';
      replace(errors, errorBox(error));
    }
  });
  if (status.running) follow(status.running);

  replace(root,
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, 'Cadangan Data'),
        h('p', null, 'Setiap cadangan memuat basis data pada satu saat, antrean jadwal (Hangfire), semua dokumen yang dirujuk basis data itu, dan manifes berisi versi, versi skema, jumlah baris per tabel, dan checksum setiap berkas. Pencadangan berjalan selagi layanan melayani pengguna.'))),
    status.running ? running(status.running) : null,
    lastRun(status.lastRun),
    errors,
    h('section', { class: 'card', 'aria-labelledby': 'schedule-heading' },
      h('h2', { id: 'schedule-heading' }, 'Jadwal dan folder'),
      h('dl', { class: 'facts' },
        h('dt', null, 'Folder cadangan'), h('dd', { id: 'backup-folder' }, status.folder),
        h('dt', null, 'Jadwal (cron, zona waktu server)'), h('dd', null, status.schedule ?? 'mati'),
        h('dt', null, 'Berikutnya'), h('dd', null, status.nextRunAt ? dateTime(status.nextRunAt, zone) : '–'),
        h('dt', null, 'Disimpan'), h('dd', null, `${status.keep} cadangan terbaru`)),
      h('p', null, button)),
    h('section', { class: 'card' },
      table({ text: 'Cadangan yang disimpan, terbaru dulu', visible: true }, [
        { label: 'Nama', cell: (b) => b.name },
        { label: 'Waktu', cell: (b) => dateTime(b.createdAt, zone) },
        { label: 'Ukuran', cell: (b) => size(b.sizeBytes), numeric: true },
        { label: 'Baris', cell: (b) => b.rows.toLocaleString('id-ID'), numeric: true },
        { label: 'Dokumen', cell: (b) => b.documents.toLocaleString('id-ID'), numeric: true },
        { label: 'Versi skema', cell: (b) => b.schemaVersion },
      ], status.backups, { empty: 'Belum ada cadangan di folder ini.' })),
    h('section', { class: 'card', 'aria-labelledby': 'restore-heading' },
      h('h2', { id: 'restore-heading' }, 'Memulihkan'),
      h('p', null, 'Pemulihan dilakukan di server dengan layanan dihentikan: dotnet KinerjaWorkflow.Server.dll restore <folder cadangan>. Setiap checksum diperiksa dulu; cadangan yang rusak atau dari skema yang lebih baru ditolak tanpa mengubah apa pun. Lihat deploy/README.md.')));
}

load();
