/**
 * `pulumi-tencent-chat/dynamic`: the one entry point the shim in state loads. Its contract
 * is the `resourceProvider(kind, contract)` function; it must keep working for every shim
 * ever saved, so kinds and contract versions are only ever added.
 *
 * It sits above the resources it assembles; they are built on host/ (what runs in the provider
 * process) and common/ (what the program and the host share).
 *
 * The package ships it as one file with undici, zod and lossless-json inside
 * (dist/provider/entry.bundle.js, `npm run bundle`): a provider host's first operation then
 * reads one file instead of some 240 modules, which is most of a cold start where file
 * system calls are slow (`npm run bench -- cold-start` prints the breakdown).
 */
import type * as pulumi from "@pulumi/pulumi";

import { ChatAccountProvider } from "./chat-account/provider";
import { ChatGroupProvider } from "./chat-group/provider";
import { ChatGroupMemberProvider } from "./chat-group-member/provider";
import { ChatTopicProvider } from "./chat-topic/provider";
import { SHIM_CONTRACT } from "./common/contract";

const KINDS: Record<string, () => Required<pulumi.dynamic.ResourceProvider>> = {
  ChatGroup: () => new ChatGroupProvider(),
  ChatAccount: () => new ChatAccountProvider(),
  ChatTopic: () => new ChatTopicProvider(),
  ChatGroupMember: () => new ChatGroupMemberProvider(),
};

export function resourceProvider(kind: string, contract: number): Required<pulumi.dynamic.ResourceProvider> {
  if (contract > SHIM_CONTRACT) {
    throw new Error(
      `the state was written by a newer pulumi-tencent-chat (contract ${contract}); upgrade the package in this project`,
    );
  }
  const make = KINDS[kind];
  if (!make) throw new Error(`pulumi-tencent-chat has no resource kind ${kind}; upgrade the package in this project`);
  return make();
}
