/** Types of `layers.js`, which eslint.config.js reads as plain JavaScript. */
export declare const LAYERS: string[][];
export declare const SIMULATORS: { name: string; uses: string[]; usedBy: string[] };
export declare function allowedFrom(folder: string): string[];
