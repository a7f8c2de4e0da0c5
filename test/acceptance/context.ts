/**
 * Where the acceptance scenarios run: a Pulumi project with the package installed, Pulumi's
 * provider host configured for a Chat service (the emulator, or a real Tencent app), the
 * engine's side of up/refresh/destroy, and a client of the same app for what the scenarios
 * do by hand (changes made outside Pulumi) and check.
 *
 * Every object a scenario makes is named with the run's prefix, and `close` removes every
 * group (a Community's after its `@TGS#_`) and account with that prefix, whatever happened: a real app holds real groups, and
 * nothing without the prefix is touched.
 */
import { COMMUNITY_ID_PREFIX } from "../../chat-api/groups";
import { MiniEngine } from "../../harness/engine";
import { createProject, type PulumiProject } from "../../harness/project";
import { type Props, ProviderHost } from "../../harness/provider-host";
import type { ChatClient } from "../../provider/client/client";
import {
  CHAT_ACCOUNT_TYPE,
  CHAT_GROUP_MEMBER_TYPE,
  CHAT_GROUP_TYPE,
  CHAT_TOPIC_TYPE,
  providerText,
} from "../helpers/stack";

export class AcceptanceContext {
  private readonly accounts = new Set<string>();
  private closed = false;

  private constructor(
    readonly prefix: string,
    readonly client: ChatClient,
    readonly project: PulumiProject,
    readonly host: ProviderHost,
    readonly engine: MiniEngine,
    private readonly texts: { group: string; account: string; topic: string; member: string },
  ) {}

  /** `config` is the stack config the host is given; `client` talks to the same app. */
  static async start(prefix: string, config: Record<string, unknown>, client: ChatClient): Promise<AcceptanceContext> {
    const project = createProject();
    const texts = {
      group: await providerText(project, "ChatGroup"),
      account: await providerText(project, "ChatAccount"),
      topic: await providerText(project, "ChatTopic"),
      member: await providerText(project, "ChatGroupMember"),
    };
    const host = await ProviderHost.start(project.dir);
    await host.configure(config);
    return new AcceptanceContext(prefix, client, project, host, new MiniEngine(host), texts);
  }

  /** A name for an object of this run: the prefix and `suffix`. */
  id(suffix: string): string {
    return `${this.prefix}${suffix}`;
  }

  /** `pulumi up` of one ChatGroup, as its own deployment. */
  async group(name: string, args: Props, options: { replace?: boolean } = {}) {
    const state = await this.engine.apply(
      {
        name,
        type: CHAT_GROUP_TYPE,
        inputs: { ...args, idSeed: `organization/${name}`, __provider: this.texts.group },
      },
      options,
    );
    await this.engine.deleteReplaced();
    return state;
  }

  /** `pulumi up` of one ChatTopic of the group resource `group`, which Pulumi then destroys after it. */
  async topic(name: string, group: string, args: Props) {
    const state = await this.engine.apply({
      name,
      type: CHAT_TOPIC_TYPE,
      inputs: { ...args, idSeed: `organization/${name}`, __provider: this.texts.topic },
      dependsOn: [group],
    });
    await this.engine.deleteReplaced();
    return state;
  }

  /** `pulumi up` of one ChatGroupMember; `group` names the group resource it depends on, if the stack has one. */
  async member(name: string, args: Props, group?: string) {
    const state = await this.engine.apply({
      name,
      type: CHAT_GROUP_MEMBER_TYPE,
      inputs: { ...args, __provider: this.texts.member },
      dependsOn: group ? [group] : [],
    });
    await this.engine.deleteReplaced();
    return state;
  }

  /** `pulumi up` of one ChatAccount. */
  async account(name: string, args: Props) {
    if (typeof args.userId === "string") this.accounts.add(args.userId);
    const state = await this.engine.apply({
      name,
      type: CHAT_ACCOUNT_TYPE,
      inputs: { ...args, idSeed: `organization/${name}`, __provider: this.texts.account },
    });
    await this.engine.deleteReplaced();
    return state;
  }

  /** Imports accounts outside Pulumi, for scenarios that need members; removed by `close`. */
  async importAccounts(...userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      this.accounts.add(userId);
      await this.client.importAccount({ userId });
    }
  }

  /** Removes everything with this run's prefix, then stops the host. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.engine.destroy().catch(() => undefined);
      const ours = (id: string) => id.startsWith(this.prefix) || id.startsWith(`${COMMUNITY_ID_PREFIX}${this.prefix}`);
      const groups = (await this.client.allGroupIds()).filter(ours);
      for (const id of groups) await this.client.destroyGroup(id);
      const accounts = [...this.accounts].filter((id) => id.startsWith(this.prefix));
      if (accounts.length) await this.client.deleteAccounts(accounts);
    } finally {
      await this.host.stop();
      this.project.remove();
    }
  }
}
