export default async function globalTeardown() {
  if (globalThis.__HPC_STOP__) await globalThis.__HPC_STOP__();
}
