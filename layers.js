// @ts-check
/**
 * The folders of `src/` from the bottom up: a folder may import from the tiers below its own and from
 * itself, never from its own tier's other folders nor from above. `npm run lint` enforces it
 * (eslint-plugin-boundaries, `eslint.config.js`); `test/unit/layers.test.ts` proves the planted wrong
 * import fails and that no runtime import cycle runs between folders. The README's folder map follows
 * this list.
 */
export const LAYERS = [
  ['util'],
  ['domain'],
  ['observability'],
  ['http', 'security'],
  // The remote clients: one request path each.
  ['mycashflow', 'netbaron'],
  ['config'],
  // The use cases: they own the repository interfaces the database implements.
  ['orders'],
  ['catalog'],
  // Persistence, behind the use cases' interfaces.
  ['db'],
  ['reports'],
  ['connections'],
  ['notifications'],
  ['jobs'],
  // The composition roots.
  ['server'],
  ['cli'],
];

/** The simulators stand beside the product: built on its domain and client schemas, started by the CLI. */
export const SIMULATORS = {
  name: 'simulators',
  uses: ['util', 'domain', 'mycashflow', 'netbaron'],
  usedBy: ['cli'],
};

/** The folders `folder` may import from, its own included. */
export function allowedFrom(folder) {
  const tier = LAYERS.findIndex((t) => t.includes(folder));
  if (tier < 0) throw new Error(`src/${folder} is in no layer of layers.js`);
  return [
    folder,
    ...LAYERS.slice(0, tier).flat(),
    ...(SIMULATORS.usedBy.includes(folder) ? [SIMULATORS.name] : []),
  ];
}
