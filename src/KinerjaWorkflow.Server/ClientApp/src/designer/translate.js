// The modeler and properties panel in Bahasa Indonesia, for the labels people meet most; the rest stays English.

const WORDS = {
  General: 'Umum',
  Name: 'Nama',
  ID: 'ID',
  Documentation: 'Dokumentasi',
  'Element documentation': 'Dokumentasi elemen',
  'Process documentation': 'Dokumentasi proses',
  'Multi-instance': 'Multi-instans',
  'Loop cardinality': 'Jumlah perulangan',
  'Completion condition': 'Syarat selesai',
  'Process name': 'Nama proses',
  'Process ID': 'ID proses',
  Executable: 'Dapat dijalankan',
  Condition: 'Kondisi',
  'Condition expression': 'Ekspresi kondisi',
  Timer: 'Timer',
  Type: 'Jenis',
  Value: 'Nilai',
  'Create start event': 'Buat peristiwa mulai',
  'Create end event': 'Buat peristiwa selesai',
  'Create intermediate/boundary event': 'Buat peristiwa antara',
  'Create gateway': 'Buat gerbang',
  'Create task': 'Buat tugas',
  'Create expanded sub-process': 'Buat sub-proses',
  'Create pool/participant': 'Buat kolam/peserta',
  'Create data object reference': 'Buat objek data',
  'Create data store reference': 'Buat penyimpanan data',
  'Create group': 'Buat grup',
  'Activate hand tool': 'Alat geser',
  'Activate lasso tool': 'Alat laso',
  'Activate create/remove space tool': 'Alat ruang',
  'Activate global connect tool': 'Alat sambung',
  'Append task': 'Tambah tugas',
  'Append end event': 'Tambah peristiwa selesai',
  'Append gateway': 'Tambah gerbang',
  'Append intermediate/boundary event': 'Tambah peristiwa antara',
  'Append text annotation': 'Tambah catatan',
  'Add lane above': 'Tambah lajur di atas',
  'Add lane below': 'Tambah lajur di bawah',
  'Divide into two lanes': 'Bagi dua lajur',
  'Divide into three lanes': 'Bagi tiga lajur',
  'Change element': 'Ubah jenis',
  'Connect to other element': 'Sambungkan',
  Delete: 'Hapus',
  'Edit label': 'Ubah label',
};

function translate(template, replacements = {}) {
  return (WORDS[template] ?? template).replace(/{([^}]+)}/g, (_, key) => replacements[key] ?? `{${key}}`);
}

export const indonesianTranslate = { translate: ['value', translate] };
