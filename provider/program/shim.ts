/**
 * The provider text Pulumi saves in state, and the resource base class that saves it.
 *
 * `pulumi destroy` and `pulumi refresh` run the `__provider` text saved at the last `up`,
 * not the program. So that text is only a shim: it names one stable entry point,
 * `pulumi-tencent-chat/dynamic`, and loads the implementation from the package installed in
 * the Pulumi project (resolved from its node_modules) at call time. A fix in a new release
 * then reaches existing stacks without an `up`, and the text holds no secret.
 *
 * The text is code, run by Pulumi's provider host with the project's folder as its working
 * directory; Node looks for the package in that folder's node_modules, then in every folder
 * above it (a monorepo's hoisted dependencies are found that way). A package found anywhere
 * but the project's own node_modules is named, once per process, on the host's standard error,
 * which Pulumi shows: whatever is installed there is handed the stack's credentials.
 *
 * The text is written here by hand rather than produced by `pulumi.dynamic.Resource`'s
 * closure serializer. The serializer wraps each method in its own scaffolding (3.1 KiB for
 * this shim, saved twice per resource) and its output depends on the Pulumi version and on
 * how the program was compiled; this text is 1.4 KiB, the same for every program and
 * version, and readable in a state file. To the engine and Pulumi's dynamic-provider host it
 * is what a dynamic resource is: a `pulumi-nodejs:dynamic/...` type token and a `__provider`
 * input whose `exports.handler()` returns the provider.
 */
import * as pulumi from "@pulumi/pulumi";

import { LONE_SURROGATE } from "../../chat-api/text";
import { SHIM_CONTRACT } from "../common/contract";
import { identitySeedOf, SEED_PROPERTY } from "../common/identity";
import { OPTIONS_PROPERTY, optionsInput } from "../common/options";

/** What `pulumi-tencent-chat/dynamic` offers a saved shim. */
export interface ShimEntry {
  resourceProvider(kind: string, contract: number): Required<pulumi.dynamic.ResourceProvider>;
}

const METHODS: [string, string][] = [
  ["configure", "r"],
  ["check", "o, n"],
  ["diff", "i, o, n"],
  ["create", "p"],
  ["read", "i, p"],
  ["update", "i, o, n"],
  ["delete", "i, p"],
];

/** The `__provider` text for one resource kind. */
export function shimText(kind: string): string {
  if (!/^[A-Za-z]+$/.test(kind)) throw new Error(`invalid resource kind ${kind}`);
  return [
    "exports.handler = function () {",
    "  var impl;",
    "  function load() {",
    "    if (!impl) {",
    "      var entry;",
    '      try { entry = require("pulumi-tencent-chat/dynamic"); }',
    '      catch (e) { throw new Error("pulumi-tencent-chat cannot be loaded in this Pulumi project (" + String(e).split("\\n")[0] + "): run `npm ci` in the project directory, then try again"); }',
    '      var path = require("path"), seen = Symbol.for("pulumi-tencent-chat.loadedFrom");',
    '      if (!globalThis[seen] && !require("fs").existsSync(path.join(process.cwd(), "node_modules", "pulumi-tencent-chat"))) {',
    "        globalThis[seen] = true;",
    '        console.error("pulumi-tencent-chat: the provider code in this stack\'s state loaded the package from " + require.resolve("pulumi-tencent-chat/dynamic") + ", not from this project\'s own node_modules (" + process.cwd() + "); it runs whatever is installed there, with the stack\'s credentials");',
    "      }",
    `      impl = entry.resourceProvider("${kind}", ${SHIM_CONTRACT});`,
    "    }",
    "    return impl;",
    "  }",
    "  return {",
    METHODS.map(([name, args]) => `    ${name}: function (${args}) { return load().${name}(${args}); }`).join(",\n"),
    "  };",
    "};",
    "",
  ].join("\n");
}

/**
 * Refuses text holding half a character. Pulumi sends inputs to the provider as protobuf,
 * whose encoder silently drops a lone surrogate, so the provider's `check` would never see
 * it: the program is the last place that can say so.
 */
function wholeCharacters(kind: string, name: string, property: string, value: unknown): void {
  if (typeof value === "string" && LONE_SURROGATE.test(value)) {
    throw new Error(
      `${kind} ${name}: ${property} holds a lone UTF-16 surrogate (half of a character), which cannot be sent as UTF-8`,
    );
  }
  if (Array.isArray(value)) value.forEach((v, i) => wholeCharacters(kind, name, `${property}[${i}]`, v));
  else if (value && typeof value === "object" && !pulumi.Output.isInstance(value) && !(value instanceof Promise)) {
    for (const [k, v] of Object.entries(value)) wholeCharacters(kind, name, `${property}.${k}`, v);
  }
}

/** The inputs, with every value checked for whole characters once it is known. */
function checkedInputs(kind: string, name: string, props: pulumi.Inputs): pulumi.Inputs {
  return Object.fromEntries(
    Object.entries(props).map(([property, value]) => {
      if (pulumi.Output.isInstance(value) || value instanceof Promise) {
        return [property, pulumi.output(value).apply((v) => (wholeCharacters(kind, name, property, v), v))];
      }
      wholeCharacters(kind, name, property, value);
      return [property, value];
    }),
  );
}

/** The organization, when the Pulumi version and backend name one. */
function organization(): string {
  try {
    return typeof pulumi.getOrganization === "function" ? pulumi.getOrganization() : "";
  } catch {
    return "";
  }
}

/**
 * What a generated ID is derived from: the organization and the resource's URN (project,
 * stack, parents, type, name), and whether it is retained on delete. The same on every run
 * of the program, different for every resource; see identity.ts.
 */
function identitySeed(type: string, name: string, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const org = organization();
  return pulumi
    .createUrn(name, type, opts?.parent)
    .apply((urn) => identitySeedOf(org, urn, opts?.retainOnDelete === true));
}

/**
 * `import` cannot work for a dynamic resource: the engine reads the object with no inputs,
 * and the provider host then has no provider code to load (pulumi/pulumi#16175). Said here,
 * before anything runs, with what to do instead.
 */
function refuseImport(kind: string, name: string, opts: pulumi.CustomResourceOptions | undefined): void {
  if (opts?.import === undefined) return;
  throw new Error(
    `${kind} ${name}: the import option cannot work for a dynamic resource (pulumi/pulumi#16175: Pulumi reads the object with no inputs, and ` +
      `the provider host has no code to read it with). To manage an object that exists, declare it with its ID and adoptExisting: true; ` +
      `to use one without managing it, read it with ${kind}.get(name, id).`,
  );
}

/**
 * A replacementTrigger replaces the resource without asking its provider (the engine skips
 * Diff), so the provider cannot say that a fixed ID must be freed first: with one, the
 * replacement is made after the old object is deleted, unless the program says otherwise.
 */
function withTriggerOrder(
  opts: pulumi.CustomResourceOptions | undefined,
  props: pulumi.Inputs,
  fixedIdProperty?: string,
): pulumi.CustomResourceOptions | undefined {
  if (
    opts?.replacementTrigger === undefined ||
    opts.deleteBeforeReplace !== undefined ||
    !fixedIdProperty ||
    props[fixedIdProperty] === undefined
  )
    return opts;
  return { ...opts, deleteBeforeReplace: true };
}

/**
 * A dynamic resource whose provider is the shim: the same type token and `__provider`
 * input `pulumi.dynamic.Resource` would register, with the shim's text, the seed of its
 * generated IDs, and the options its provider applies itself (see options.ts).
 * `fixedIdProperty` names the input that fixes the object's ID, when the program sets one.
 */
export abstract class ShimResource extends pulumi.CustomResource {
  /**
   * An existing object, read by its ID and not managed: this stack never changes or deletes
   * it, and `pulumi refresh` reads it again. One that does not exist fails the update.
   *
   * @example
   * const lobby = ChatGroup.get("lobby", "@TGS#_lobby");
   * const support = ChatAccount.get("support", "support-bot");
   * new ChatGroup("help", { type: "Public", name: "Help", members: [support.userId] });
   * export const lobbyMembers = lobby.memberCount;
   */
  static get<T extends ShimResource>(
    this: new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => T,
    name: string,
    id: pulumi.Input<string>,
    opts?: pulumi.CustomResourceOptions,
  ): T {
    return new this(name, {} as never, { ...opts, id });
  }

  constructor(
    kind: string,
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
    fixedIdProperty?: string,
  ) {
    refuseImport(kind, name, opts);
    const type = `pulumi-nodejs:dynamic/tencent-chat:${kind}`;
    const options = optionsInput(opts);
    super(
      type,
      name,
      {
        ...checkedInputs(kind, name, props),
        [SEED_PROPERTY]: identitySeed(type, name, opts),
        ...(options && { [OPTIONS_PROPERTY]: options }),
        __provider: shimText(kind),
      },
      withTriggerOrder(opts, props, fixedIdProperty),
    );
  }
}
