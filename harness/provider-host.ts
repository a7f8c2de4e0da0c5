/**
 * Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, the process
 * `pulumi up` starts for dynamic resources), spawned in a project folder and driven over
 * gRPC exactly as the engine drives it. Every call names its resource by URN, as the
 * engine's do; nothing here knows what resources the host serves.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";

import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

import { cleanEnv } from "./project";

export type Props = Record<string, unknown>;

/** A value wrapped the way Pulumi marks a secret on the wire (its secret signature). */
export const pulumiSecret = (value: string) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

/** How the engine sends a value not known yet (a property of a resource still to be made) over gRPC. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A failed call: the message, and for a half-made create, what the host packed. */
export class HostCallError extends Error {
  constructor(
    message: string,
    readonly grpcCode: number,
    readonly initFailed?: { id: string; properties: Props; reasons: string[] },
  ) {
    super(message);
  }
}

function unary<Res>(invoke: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((err, res) => {
      if (!err) return resolve(res);
      reject(new HostCallError(err.details || err.message, err.code, initFailure(err)));
    });
  });
}

function initFailure(err: grpc.ServiceError): HostCallError["initFailed"] {
  const bin = err.metadata?.get("grpc-status-details-bin")[0];
  if (!bin) return undefined;
  const status = Status.deserializeBinary(bin as Buffer);
  for (const any of status.getDetailsList()) {
    if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
    const detail = proto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    return {
      id: detail.getId(),
      properties: (detail.getProperties()?.toJavaScript() ?? {}) as Props,
      reasons: detail.getReasonsList(),
    };
  }
  return undefined;
}

/** Without undefined values, which Pulumi's serializer leaves out. */
function defined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(defined);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, defined(v)]),
  );
}

const struct = (value: Props) => Struct.fromJavaScript(defined(value) as Parameters<typeof Struct.fromJavaScript>[0]);

/** What Diff answered: DIFF_SOME, DIFF_NONE, or DIFF_UNKNOWN (the engine then compares the inputs itself). */
export interface DiffAnswer {
  changes: "some" | "none" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** The changed keys, when the provider names them (Pulumi's Node dynamic host never does). */
  changedKeys: string[];
}

function requireUrn(urn: string): string {
  if (!urn.startsWith("urn:pulumi:"))
    throw new Error(`${urn} is not a URN: the engine names every resource by its URN`);
  return urn;
}

export class ProviderHost {
  private constructor(
    readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    private readonly output: { text: string },
  ) {}

  /** Everything the host printed (stdout and stderr). */
  get printed(): string {
    return this.output.text;
  }

  /**
   * Starts the host from the project's own @pulumi/pulumi, with the project folder as its
   * working directory, as the engine does.
   */
  static async start(projectDir: string, env: Record<string, string> = {}): Promise<ProviderHost> {
    const entry = path.join(projectDir, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
    const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
      cwd: projectDir,
      env: cleanEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = { text: "" };
    child.stderr?.on("data", (d: Buffer) => (output.text += d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      let first = "";
      child.stdout?.on("data", (d: Buffer) => {
        output.text += d.toString();
        first += d.toString();
        const match = /^(\d+)\s*$/m.exec(first);
        if (match) resolve(match[1]);
      });
      child.on("exit", (code) =>
        reject(new Error(`provider host exited with ${code} before listening:\n${output.text}`)),
      );
    });
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, output);
  }

  async stop(): Promise<void> {
    await this.end("SIGTERM");
  }

  /** Kills the host at once, as a cancelled CI job or a crashed runner does. */
  async kill(): Promise<void> {
    await this.end("SIGKILL");
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill(signal);
    await exited;
  }

  /** Configure with stack config; a value wrapped by `secret()` travels as a Pulumi secret. */
  async configure(config: Record<string, unknown>): Promise<void> {
    const req = new proto.ConfigureRequest();
    req.setArgs(struct(config));
    req.setAcceptsecrets(true);
    await unary<proto.ConfigureResponse>((cb) => this.client.configure(req, cb));
  }

  async check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new proto.CheckRequest();
    req.setUrn(requireUrn(urn));
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await unary<proto.CheckResponse>((cb) => this.client.check(req, cb));
    return {
      inputs: (res.getInputs()?.toJavaScript() ?? {}) as Props,
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: Props, news: Props, oldInputs: Props = {}): Promise<DiffAnswer> {
    const req = new proto.DiffRequest();
    req.setUrn(requireUrn(urn));
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    req.setOldInputs(struct(oldInputs));
    const res = await unary<proto.DiffResponse>((cb) => this.client.diff(req, cb));
    const kind = res.getChanges();
    return {
      changes:
        kind === proto.DiffResponse.DiffChanges.DIFF_SOME
          ? "some"
          : kind === proto.DiffResponse.DiffChanges.DIFF_NONE
            ? "none"
            : "unknown",
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
      changedKeys: res.getDiffsList(),
    };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; outputs: Props }> {
    const req = new proto.CreateRequest();
    req.setUrn(requireUrn(urn));
    req.setProperties(struct(properties));
    const res = await unary<proto.CreateResponse>((cb) => this.client.create(req, cb));
    return { id: res.getId(), outputs: (res.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  /** Read; `inputs` in the answer are the inputs the provider refreshed, when it returned any (host 3.216+). */
  async read(
    urn: string,
    id: string,
    properties: Props,
    inputs: Props,
  ): Promise<{ id: string; outputs: Props; inputs?: Props }> {
    const req = new proto.ReadRequest();
    req.setUrn(requireUrn(urn));
    req.setId(id);
    req.setProperties(struct(properties));
    req.setInputs(struct(inputs));
    const res = await unary<proto.ReadResponse>((cb) => this.client.read(req, cb));
    const refreshed = res.getInputs()?.toJavaScript() as Props | undefined;
    return {
      id: res.getId(),
      outputs: (res.getProperties()?.toJavaScript() ?? {}) as Props,
      ...(refreshed && { inputs: refreshed }),
    };
  }

  async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
    const req = new proto.UpdateRequest();
    req.setUrn(requireUrn(urn));
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await unary<proto.UpdateResponse>((cb) => this.client.update(req, cb));
    return (res.getProperties()?.toJavaScript() ?? {}) as Props;
  }

  async delete(urn: string, id: string, properties: Props): Promise<void> {
    const req = new proto.DeleteRequest();
    req.setUrn(requireUrn(urn));
    req.setId(id);
    req.setProperties(struct(properties));
    await unary<unknown>((cb) => this.client.delete(req, cb));
  }
}
