// Bundles pages for the web: every file named by a hash of its content (so a browser may keep it for a year and
// still never mix an old file with a new page), a manifest that tells the server which file is which page's,
// and a brotli and a gzip copy of each text file beside it, compressed once here instead of on every request.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export const MANIFEST = 'manifest.json';

// Fonts in woff/woff2 and images in png are compressed already; maps are only fetched by developer tools.
const COMPRESSIBLE = new Set(['.js', '.css', '.svg', '.eot', '.ttf', '.txt']);

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * @param {{ entryPoints: Record<string, string>, outdir: string, workingDir?: string, minify?: boolean }} options
 *   entryPoints: page name → source file; outdir is emptied first.
 * @returns {Promise<object>} the manifest written to outdir/manifest.json.
 */
export async function bundle({ entryPoints, outdir: out, workingDir = process.cwd(), minify = true }) {
  const outdir = resolve(workingDir, out);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });

  const { metafile } = await build({
    absWorkingDir: workingDir,
    entryPoints,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022'],
    minify,
    sourcemap: 'linked',
    outdir,
    entryNames: '[name].[hash]',
    chunkNames: 'chunks/[name].[hash]',
    assetNames: 'assets/[name].[hash]',
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });

  await compressAll(outdir);
  // Written last: the build takes the manifest as the sign that the bundle is complete.
  const manifest = manifestOf(metafile, entryPoints, outdir, workingDir);
  await writeFile(join(outdir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Page name → its script, its style and the chunks its script imports at once, as paths under outdir. */
function manifestOf(metafile, entryPoints, outdir, workingDir) {
  const entryOf = new Map(Object.entries(entryPoints).map(([name, source]) => [resolve(workingDir, source), name]));
  const underOut = (output) => relative(outdir, resolve(workingDir, output)).split('\\').join('/');
  const pages = {};
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    const name = meta.entryPoint && entryOf.get(resolve(workingDir, meta.entryPoint));
    if (!name || !output.endsWith('.js')) continue;
    pages[name] = {
      script: underOut(output),
      style: meta.cssBundle ? underOut(meta.cssBundle) : null,
      imports: meta.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => underOut(i.path)),
    };
  }
  const sorted = Object.fromEntries(Object.entries(pages).sort(([a], [b]) => a.localeCompare(b)));
  const buildId = createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 12);
  return { buildId, pages: sorted };
}

async function compressAll(outdir) {
  const names = (await readdir(outdir, { recursive: true })).filter((name) => COMPRESSIBLE.has(extname(name)));
  await Promise.all(names.map(async (name) => {
    const content = await readFile(join(outdir, name));
    const [br, gz] = await Promise.all([
      brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
      gzipped(content, { level: 9 }),
    ]);
    // A tiny file can grow when compressed; then the server sends it as it is.
    if (br.length < content.length) await writeFile(join(outdir, `${name}.br`), br);
    if (gz.length < content.length) await writeFile(join(outdir, `${name}.gz`), gz);
  }));
}
