// The package version, written into the bundle by scripts/build.mjs (esbuild `define`),
// so an installed `mmu-lab --version` needs no package.json at run time.
declare const __MMU_LAB_VERSION__: string | undefined;

export const VERSION: string = typeof __MMU_LAB_VERSION__ === 'string' ? __MMU_LAB_VERSION__ : '0.0.0-unbundled';
