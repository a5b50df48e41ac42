// Bundles the pages into ../wwwroot/dist: one entry per page, shared code split into chunks, CSS and the
// bpmn font beside them. Run by the Server project's build (KinerjaWorkflow.Server.csproj, target BuildClientApp).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const outdir = new URL('../wwwroot/dist/', import.meta.url).pathname;

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

await build({
  entryPoints: {
    inbox: 'src/pages/inbox.js',
    task: 'src/pages/task.js',
    instances: 'src/pages/instances.js',
    instance: 'src/pages/instance.js',
    sheet: 'src/pages/sheet.js',
    designer: 'src/pages/designer.js',
    dashboard: 'src/pages/dashboard.js',
    calendars: 'src/pages/calendars.js',
    signin: 'src/pages/signin.js',
    forbidden: 'src/pages/forbidden.js',
  },
  bundle: true,
  splitting: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  legalComments: 'linked',
  logLevel: 'warning',
});

// A version for the pages' URLs, so a browser never mixes an old bundle with a new page.
const hash = createHash('sha256');
for (const name of (await readdir(outdir, { recursive: true })).sort()) {
  if (name.endsWith('.js') || name.endsWith('.css')) {
    hash.update(name).update(await readFile(join(outdir, name)));
  }
}
await writeFile(join(outdir, 'build-id.txt'), hash.digest('hex').slice(0, 12));
