/**
 * The provider text Pulumi saves in state.
 *
 * `pulumi destroy` and `pulumi refresh` run the `__provider` text saved at the last `up`,
 * not the program. So that text is only this shim: it names one stable entry point,
 * `pulumi-tencent-chat/dynamic`, and loads the implementation from the package installed in
 * the Pulumi project (resolved from its node_modules) at call time. A fix in a new release
 * then reaches existing stacks without an `up`; the text stays small and holds no secret.
 *
 * Pulumi serializes the code of these methods, so they use nothing from outside themselves
 * (anything referenced would be serialized or captured too), and carry no comments, which
 * would be saved in every resource's state.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Version of the contract between saved shims and `pulumi-tencent-chat/dynamic`. */
export const SHIM_CONTRACT = 1;

/** What `pulumi-tencent-chat/dynamic` offers a saved shim. */
export interface ShimEntry {
  resourceProvider(kind: string, contract: number): Required<pulumi.dynamic.ResourceProvider>;
}

type Shim = Required<pulumi.dynamic.ResourceProvider> & {
  kind: string;
  contract: number;
  loaded?: Required<pulumi.dynamic.ResourceProvider>;
  impl(): Required<pulumi.dynamic.ResourceProvider>;
};

/** The serialized provider for one resource kind. */
export function providerShim(kind: string): pulumi.dynamic.ResourceProvider {
  const shim: Shim = {
    kind,
    contract: SHIM_CONTRACT,
    impl() {
      if (!this.loaded) {
        let entry: ShimEntry;
        try {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          entry = require("pulumi-tencent-chat/dynamic");
        } catch (e) {
          throw new Error(`pulumi-tencent-chat cannot be loaded in this Pulumi project (${String(e).split("\n")[0]}): run \`npm ci\` in the project directory, then try again`);
        }
        this.loaded = entry.resourceProvider(this.kind, this.contract);
      }
      return this.loaded;
    },
    configure(req) {
      return this.impl().configure(req);
    },
    check(olds, news) {
      return this.impl().check(olds, news);
    },
    diff(id, olds, news) {
      return this.impl().diff(id, olds, news);
    },
    create(inputs) {
      return this.impl().create(inputs);
    },
    read(id, props) {
      return this.impl().read(id, props);
    },
    update(id, olds, news) {
      return this.impl().update(id, olds, news);
    },
    delete(id, props) {
      return this.impl().delete(id, props);
    },
  };
  return shim;
}
