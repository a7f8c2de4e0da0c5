/**
 * Fault injection: scripted faults per command (the next N calls fail in a given way) and a
 * random fault rate, seeded so that a run can be repeated.
 */
import { z } from "zod";

import type { FaultAction, RandomFaults, ScriptedFault } from "./control-types";

export type { FaultAction, RandomFaults, ScriptedFault } from "./control-types";

export const FaultActionSchema = z.discriminatedUnion("kind", [
  /** Answer HTTP 200 with this ErrorCode, as the service does for API-level failures. */
  z.strictObject({
    kind: z.literal("error"),
    errorCode: z.number().int().positive(),
    errorInfo: z.string().optional(),
  }),
  /** Answer with a bare HTTP status, as a gateway does (e.g. 502). */
  z.strictObject({ kind: z.literal("http"), status: z.number().int().min(400).max(599) }),
  /** Close the connection without an answer. */
  z.strictObject({ kind: z.literal("drop") }),
  /** Hold the answer this long, then serve the call normally. */
  z.strictObject({ kind: z.literal("delay"), ms: z.number().int().min(0).max(600_000) }),
  /**
   * add_group_member only: serve the call, but answer these accounts (all when omitted) with
   * Result 0 (failed) or 3 (invited, waiting for the invitee), without adding them.
   */
  z.strictObject({
    kind: z.literal("memberResult"),
    result: z.union([z.literal(0), z.literal(3)]),
    accounts: z.array(z.string()).min(1).optional(),
  }),
]);

export const ScriptedFaultSchema = z.strictObject({
  /** A command name such as `destroy_group`, or `*` for any command. */
  command: z.string().min(1),
  action: FaultActionSchema,
  /** How many matching calls it affects. @default 1 */
  times: z.number().int().positive().default(1),
  /** Matching calls to serve normally before the fault starts. @default 0 */
  skip: z.number().int().min(0).default(0),
  /**
   * Carry out the call first, then answer with the fault: the change is made but the
   * caller does not learn it (a lost answer). @default false
   */
  afterCommit: z.boolean().default(false),
});

export const RandomFaultsSchema = z.strictObject({
  /** Share of calls that fail, 0 to 1. */
  rate: z.number().min(0).max(1),
  /** Faults to pick from, uniformly. */
  actions: z
    .array(FaultActionSchema)
    .min(1)
    .default([
      { kind: "error", errorCode: 10002 },
      { kind: "http", status: 502 },
      { kind: "error", errorCode: 60018 },
    ]),
  /** Limit to these commands. @default every command */
  commands: z.array(z.string()).optional(),
  /** Seed of the generator, to repeat a run. */
  seed: z.number().int().optional(),
  /** Share of these faults answered after the call was carried out (a lost answer). @default 0 */
  afterCommit: z.number().min(0).max(1).optional(),
});

// The plain types in control-types.ts are what users see; these keep them in step.
const _action: z.ZodType<FaultAction> = FaultActionSchema;
const _scripted: z.ZodType<ScriptedFault> = ScriptedFaultSchema;
const _random: z.ZodType<RandomFaults> = RandomFaultsSchema;
void [_action, _scripted, _random];

export interface FaultDecision {
  action: FaultAction;
  afterCommit: boolean;
}

/** mulberry32: a small, fast, seedable generator. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private scripted: ScriptedFault[] = [];
  private random?: RandomFaults;
  private draw: () => number = Math.random;

  add(fault: ScriptedFault): void {
    this.scripted.push({ ...fault });
  }

  setRandom(random: RandomFaults | undefined): void {
    this.random = random && random.rate > 0 ? random : undefined;
    this.draw = random?.seed !== undefined ? seeded(random.seed) : Math.random;
  }

  list(): { scripted: ScriptedFault[]; random: RandomFaults | null } {
    return { scripted: this.scripted.map((f) => ({ ...f })), random: this.random ?? null };
  }

  clear(): void {
    this.scripted = [];
    this.setRandom(undefined);
  }

  /** The fault for this call, if any; scripted faults come first, in the order added. */
  take(command: string): FaultDecision | undefined {
    const index = this.scripted.findIndex((f) => f.command === command || f.command === "*");
    if (index >= 0) {
      const fault = this.scripted[index];
      if (fault.skip > 0) {
        fault.skip -= 1;
        return undefined;
      }
      fault.times -= 1;
      if (fault.times <= 0) this.scripted.splice(index, 1);
      return { action: fault.action, afterCommit: fault.afterCommit };
    }
    const random = this.random;
    if (!random || (random.commands && !random.commands.includes(command))) return undefined;
    if (this.draw() >= random.rate) return undefined;
    const action = random.actions[Math.floor(this.draw() * random.actions.length)];
    return { action, afterCommit: random.afterCommit !== undefined && this.draw() < random.afterCommit };
  }
}
