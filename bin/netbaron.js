#!/usr/bin/env node
// Runs the connector from its TypeScript sources on a fresh clone, without a build step of its own:
// the sources are bundled once into node_modules/.cache (again whenever one of them changes) and the
// bundle runs. Bundled, a process starts sooner and holds about 70 MB less than with the TypeScript
// loader compiling each module as it is imported. NETBARON_TSX=1 runs the sources through tsx instead.
import { runBundle } from './bundle.js';

async function runSources() {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

if (process.env.NETBARON_TSX === '1') await runSources();
// A bundle that cannot be made (node_modules read-only, say): the sources run as they are.
else if (!(await runBundle('src/cli/main.ts'))) await runSources();
