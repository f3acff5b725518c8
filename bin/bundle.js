// The CLI as one ES module in node_modules/.cache/netbaron, named by a digest of every source file's
// path, size and modification time: a changed source makes a new bundle, an unchanged one is reused.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SOURCES = ['bin', 'src', 'simulators', 'package.json', 'package-lock.json', 'tsconfig.json'];
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'netbaron');

function digestOf(entry) {
  const hash = createHash('sha256').update(entry);
  const visit = (rel) => {
    const stat = statSync(path.join(ROOT, rel), { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of readdirSync(path.join(ROOT, rel)).sort()) visit(path.join(rel, name));
      return;
    }
    hash.update(`${rel}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  for (const rel of SOURCES) visit(rel);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Each module keeps its own `import.meta.url` (assets, package.json and `createRequire` are found from
 * it), as if it ran from its source file.
 */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        /\bimport\.meta\.url\b/g,
        JSON.stringify(pathToFileURL(args.path).href),
      ),
      loader: 'ts',
    }));
  },
};

async function build(entry, outfile) {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(CACHE, { recursive: true });
  // Several processes may start at once: each writes its own file and renames it into place.
  const result = await esbuild({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'error',
    plugins: [ownUrl],
  });
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    // The bundle last: a process that finds it finds its source map too.
    if (file.path !== outfile) renameSync(temporary, file.path);
  }
  renameSync(`${outfile}.${process.pid}.tmp`, outfile);
  // Bundles of sources that are gone: one per entry stays.
  const prefix = `${path.basename(entry, '.ts')}-`;
  for (const name of readdirSync(CACHE))
    if (name.startsWith(prefix) && !name.startsWith(path.basename(outfile)))
      rmSync(path.join(CACHE, name), { force: true });
}

/** Runs the bundle of `entry`, made first if needed; false when it could not be made. */
export async function runBundle(entry) {
  const outfile = path.join(CACHE, `${path.basename(entry, '.ts')}-${digestOf(entry)}.mjs`);
  if (!statSync(outfile, { throwIfNoEntry: false })) {
    try {
      await build(entry, outfile);
    } catch (err) {
      if (['EACCES', 'EPERM', 'EROFS', 'ENOSPC'].includes(err?.code)) return false;
      throw err;
    }
  }
  // Stack traces name the TypeScript sources.
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(outfile).href);
  return true;
}
