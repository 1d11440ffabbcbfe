// The debugger's runtime in the simulation worker (both builds): debug-channel messages
// (src/core/debug/wire.ts) go to one DebugHost per worker; the adapter in the extension
// host spawns a worker of its own per debug session, so Run's workers never see them.
import { DebugHost } from '../../core/debug/host';
import type { FromHost, ToHost } from '../../core/debug/wire';

export function debugServer(post: (m: FromHost) => void, yieldNow?: () => Promise<void>): (m: ToHost) => void {
  let host: DebugHost | undefined;
  return (m) => (host ??= new DebugHost(post, yieldNow)).receive(m);
}
