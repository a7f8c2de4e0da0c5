/**
 * What the control endpoints (`/emulator/v1/`) take and give, as plain types: the schemas
 * that check them (control.ts, faults.ts) are kept in step with these by the compiler.
 */
import type {
  AccountIds,
  ApplyJoinDefaults,
  DestroyedGroupIds,
  ErrorTexts,
  GroupInfoMembers,
  MissingProfileAnswer,
  MissingTopicAnswer,
  Plan,
  TextLimits,
  TopicReaders,
  WorkGroupAdmins,
} from "./policy";

/** How a call fails. */
export type FaultAction =
  /** Answer HTTP 200 with this ErrorCode, as the service does for API-level failures. */
  | { kind: "error"; errorCode: number; errorInfo?: string }
  /** Answer with a bare HTTP status (400 to 599), as a gateway does (e.g. 502). */
  | { kind: "http"; status: number }
  /** Close the connection without an answer. */
  | { kind: "drop" }
  /** Hold the answer this long (at most 600000 ms), then serve the call normally. */
  | { kind: "delay"; ms: number }
  /**
   * add_group_member only: serve the call, but answer these accounts (all when omitted) with
   * Result 0 (failed) or 3 (invited, waiting for the invitee), without adding them.
   */
  | { kind: "memberResult"; result: 0 | 3; accounts?: string[] };

/** A fault for the next calls of one command. */
export interface ScriptedFault {
  /** A command name such as `destroy_group`, or `*` for any command. */
  command: string;
  action: FaultAction;
  /** How many matching calls it affects. */
  times: number;
  /** Matching calls to serve normally before the fault starts. */
  skip: number;
  /** Carry out the call first, then answer with the fault: the change is made but the caller does not learn it (a lost answer). */
  afterCommit: boolean;
}

/** A scripted fault as it is asked for: `times` defaults to 1, `skip` to 0, `afterCommit` to false. */
export type FaultInput = Pick<ScriptedFault, "command" | "action"> &
  Partial<Pick<ScriptedFault, "times" | "skip" | "afterCommit">>;

/** A share of calls that fail, picked at random from `actions` with a seedable generator. */
export interface RandomFaults {
  /** Share of calls that fail, 0 to 1. */
  rate: number;
  /** Faults to pick from, uniformly (10002, HTTP 502 and 60018 when not given). */
  actions: FaultAction[];
  /** Limit to these commands (every command when not given). */
  commands?: string[];
  /** Seed of the generator, to repeat a run. */
  seed?: number;
  /**
   * Share of these faults answered after the call was carried out (0 to 1, default 0): the
   * change is made and the caller does not learn it, as when an answer is lost.
   */
  afterCommit?: number;
}

/** The emulator's settings, as `GET /emulator/v1/config` gives them. */
export interface EmulatorConfig {
  /** Calls per second per command; 0 for no limit. */
  rateLimit: number;
  /** Per-command overrides. */
  rateLimits: Record<string, number>;
  latencyMs: number;
  /** Up to this much more, at random, added to each answer's latency. */
  latencyJitterMs: number;
  /** Up to this much, at random, before a call reaches the rate limit. */
  arrivalJitterMs: number;
  /** Whether a dissolved group's custom ID may be created again at once. */
  destroyedGroupIds: DestroyedGroupIds;
  /** The app's plan. */
  plan: Plan;
  /** Whether a Work (Private) group takes admins (see policy.ts). */
  workGroupAdmins: WorkGroupAdmins;
  /** Which byte limits the group texts have. */
  textLimits: TextLimits;
  /** How get_topic answers for a topic that does not exist. */
  missingTopicAnswer: MissingTopicAnswer;
  /** Explained or terse ErrorInfo texts. */
  errorTexts: ErrorTexts;
  /** Which account IDs account_import takes (see policy.ts). */
  accountIds: AccountIds;
  /** How portrait_get answers for an account that does not exist (see policy.ts). */
  missingProfileAnswer: MissingProfileAnswer;
  /** ApplyJoinOption of a group created without one (see policy.ts). */
  applyJoinDefaults: ApplyJoinDefaults;
  /** Whether get_group_info lists every member (see policy.ts). */
  groupInfoMembers: GroupInfoMembers;
  /** Whether get_topic answers a From_Account outside the Community (see policy.ts). */
  topicReaders: TopicReaders;
  /** Net new groups a day before create_group answers 10006; 0 for none (see policy.ts). */
  dailyGroupQuota: number;
}
