// Bundles the pages into ../wwwroot/dist: one entry per page, shared code split into chunks, CSS and the
// bpmn font beside them, all with content-hashed names listed in manifest.json (bundle.mjs). Run by the Server
// project's build (KinerjaWorkflow.Server.csproj, target BuildClientApp).
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';

await bundle({
  entryPoints: {
    inbox: 'src/pages/inbox.js',
    task: 'src/pages/task.js',
    instances: 'src/pages/instances.js',
    instance: 'src/pages/instance.js',
    sheet: 'src/pages/sheet.js',
    designer: 'src/pages/designer.js',
    dashboard: 'src/pages/dashboard.js',
    calendars: 'src/pages/calendars.js',
    backups: 'src/pages/backups.js',
    signin: 'src/pages/signin.js',
    forbidden: 'src/pages/forbidden.js',
  },
  outdir: fileURLToPath(new URL('../wwwroot/dist/', import.meta.url)),
  workingDir: fileURLToPath(new URL('.', import.meta.url)),
});
