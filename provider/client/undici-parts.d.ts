/**
 * The two parts of undici the transport uses, required by path: undici's index also loads
 * fetch, WebSocket, caches and mocks (62 ms to require on the benchmark machine, where these
 * two take 21), and a provider host's first operation pays for every module it loads. Their
 * types are undici's own. The paths are undici 7's; package.json pins the minor version.
 */
declare module "undici/lib/dispatcher/agent.js" {
  import { Agent } from "undici";

  export = Agent;
}

declare module "undici/lib/api/api-request.js" {
  import type { Dispatcher } from "undici";

  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  export = request;
}
