/**
 * Version of the contract between shims saved in state and `pulumi-tencent-chat/dynamic`.
 * Raised only with a new shim text; the entry point keeps serving every older one.
 */
export const SHIM_CONTRACT = 1;
