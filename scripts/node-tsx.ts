/**
 * How the project's TypeScript services are started as child processes: `node --import tsx <entry>`,
 * not through the tsx CLI. The CLI relays a signal to its child and SIGKILLs it when the child does
 * not acknowledge within 30 ms; on a busy machine a Ctrl-C then killed a worker (or the start
 * script) instead of letting it shut down in order.
 */
export function nodeTsx(entry: string, nodeArgs: readonly string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: [...nodeArgs, '--import', 'tsx', entry] };
}
