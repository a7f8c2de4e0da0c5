/**
 * Control endpoints under `/emulator/v1/`, a prefix the real service never uses. They need
 * no signature: the emulator listens on loopback for tests and demos. Started with a control
 * token (for an emulator other machines can reach), they answer 401 to a request without it
 * in the `x-emulator-control-token` header.
 *
 *   POST   /emulator/v1/reset           forget groups, accounts, faults, the log and rate windows
 *   GET    /emulator/v1/state           groups and accounts as the emulator holds them
 *   GET    /emulator/v1/requests        the request log (`?command=destroy_group` to filter)
 *   DELETE /emulator/v1/requests        clear the log
 *   GET    /emulator/v1/faults          scripted faults left and the random fault setting
 *   POST   /emulator/v1/faults          add a scripted fault (see ScriptedFaultSchema)
 *   PUT    /emulator/v1/faults/random   set the random fault rate (see RandomFaultsSchema)
 *   DELETE /emulator/v1/faults          clear every fault
 *   GET    /emulator/v1/config          rate limits and latency in force
 *   PUT    /emulator/v1/config          change them (ConfigSchema)
 */
import { timingSafeEqual } from "node:crypto";
import type * as http from "node:http";

import { z } from "zod";

import type { EmulatorInternals } from "./app";
import { CONTROL_TOKEN_HEADER } from "./control-client";
import { RandomFaultsSchema, ScriptedFaultSchema } from "./faults";
import { COMMANDS } from "./operations";
import {
  ACCOUNT_IDS,
  APPLY_JOIN_DEFAULTS,
  DEFAULT_POLICY,
  DESTROYED_GROUP_IDS,
  ERROR_TEXTS,
  GROUP_INFO_MEMBERS,
  MISSING_PROFILE_ANSWERS,
  MISSING_TOPIC_ANSWERS,
  PLANS,
  type Policy,
  TEXT_LIMITS,
  TOPIC_READERS,
  WORK_GROUP_ADMINS,
} from "./policy";

export type { EmulatorInternals } from "./app";

/** Per-command limits, for commands the emulator serves. */
const commandLimits = z.record(z.string(), z.number().int().min(0)).superRefine((limits, ctx) => {
  for (const command of Object.keys(limits)) {
    if (!COMMANDS.has(command))
      ctx.addIssue({
        code: "custom",
        path: [command],
        message: `unknown command "${command}"; the emulator serves ${[...COMMANDS].join(", ")}`,
      });
  }
});

export const ConfigSchema = z.strictObject({
  /** Calls per second per command; 0 for no limit. */
  rateLimit: z.number().int().min(0).optional(),
  /** Per-command overrides, replacing the previous ones. */
  rateLimits: commandLimits.optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  /** Up to this much more, at random, added to each answer's latency. */
  latencyJitterMs: z.number().int().min(0).max(60_000).optional(),
  /** Up to this much, at random, before a call reaches the rate limit. */
  arrivalJitterMs: z.number().int().min(0).max(60_000).optional(),
  /** Whether a dissolved group's custom ID may be created again at once. */
  destroyedGroupIds: z.enum(DESTROYED_GROUP_IDS).optional(),
  /** The app's plan. */
  plan: z.enum(PLANS).optional(),
  workGroupAdmins: z.enum(WORK_GROUP_ADMINS).optional(),
  textLimits: z.enum(TEXT_LIMITS).optional(),
  missingTopicAnswer: z.enum(MISSING_TOPIC_ANSWERS).optional(),
  errorTexts: z.enum(ERROR_TEXTS).optional(),
  accountIds: z.enum(ACCOUNT_IDS).optional(),
  missingProfileAnswer: z.enum(MISSING_PROFILE_ANSWERS).optional(),
  applyJoinDefaults: z.enum(APPLY_JOIN_DEFAULTS).optional(),
  groupInfoMembers: z.enum(GROUP_INFO_MEMBERS).optional(),
  topicReaders: z.enum(TOPIC_READERS).optional(),
  dailyGroupQuota: z.number().int().min(0).optional(),
});

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function parse<T>(schema: z.ZodType<T>, text: string): { ok: true; value: T } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return { ok: false, error: "body is not valid JSON" };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") };
}

function currentConfig(internals: EmulatorInternals) {
  return {
    ...internals.limiter.settings,
    latencyMs: internals.latencyMs,
    latencyJitterMs: internals.latencyJitterMs,
    arrivalJitterMs: internals.arrivalJitterMs,
    ...internals.policy,
  };
}

function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function handleControl(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  body: string,
  internals: EmulatorInternals,
): Promise<void> {
  if (
    internals.controlToken !== undefined &&
    !tokenMatches(req.headers[CONTROL_TOKEN_HEADER], internals.controlToken)
  ) {
    return send(res, 401, {
      error: `this emulator's control endpoints need its control token in the ${CONTROL_TOKEN_HEADER} header`,
    });
  }
  const route = `${req.method} ${url.pathname.replace(/\/+$/, "")}`;
  switch (route) {
    case "POST /emulator/v1/reset":
      internals.generation++;
      internals.store.reset();
      internals.faults.clear();
      internals.log.clear();
      internals.limiter.reset();
      await internals.store.commit();
      return send(res, 200, { ok: true });
    case "GET /emulator/v1/state": {
      const { groups, accounts } = internals.store.snapshot();
      return send(res, 200, { groups, accounts });
    }
    case "GET /emulator/v1/requests":
      return send(res, 200, { requests: internals.log.list(url.searchParams.get("command") ?? undefined) });
    case "DELETE /emulator/v1/requests":
      internals.log.clear();
      return send(res, 200, { ok: true });
    case "GET /emulator/v1/faults":
      return send(res, 200, internals.faults.list());
    case "POST /emulator/v1/faults": {
      const parsed = parse(
        ScriptedFaultSchema.refine((f) => f.command === "*" || COMMANDS.has(f.command), {
          path: ["command"],
          error: (i) =>
            `unknown command ${JSON.stringify((i.input as { command?: unknown }).command)}: use a command the emulator serves, or *`,
        }),
        body,
      );
      if (!parsed.ok) return send(res, 400, { error: parsed.error });
      internals.faults.add(parsed.value);
      return send(res, 200, { ok: true });
    }
    case "PUT /emulator/v1/faults/random": {
      const parsed = parse(
        RandomFaultsSchema.refine((r) => (r.commands ?? []).every((c) => COMMANDS.has(c)), {
          path: ["commands"],
          error: "commands must name commands the emulator serves",
        }),
        body,
      );
      if (!parsed.ok) return send(res, 400, { error: parsed.error });
      internals.faults.setRandom(parsed.value);
      return send(res, 200, { ok: true });
    }
    case "DELETE /emulator/v1/faults":
      internals.faults.clear();
      return send(res, 200, { ok: true });
    case "GET /emulator/v1/config":
      return send(res, 200, currentConfig(internals));
    case "PUT /emulator/v1/config": {
      const parsed = parse(ConfigSchema, body);
      if (!parsed.ok) return send(res, 400, { error: parsed.error });
      const current = currentConfig(internals);
      internals.limiter.configure({
        rateLimit: parsed.value.rateLimit ?? current.rateLimit,
        rateLimits: parsed.value.rateLimits ?? current.rateLimits,
      });
      internals.latencyMs = parsed.value.latencyMs ?? internals.latencyMs;
      internals.latencyJitterMs = parsed.value.latencyJitterMs ?? internals.latencyJitterMs;
      internals.arrivalJitterMs = parsed.value.arrivalJitterMs ?? internals.arrivalJitterMs;
      // Every policy switch the request sets; one it leaves out keeps its value.
      const policy = Object.fromEntries(
        Object.keys(DEFAULT_POLICY).map((key) => [key, parsed.value[key as keyof Policy]]),
      );
      Object.assign(internals.policy, Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined)));
      return send(res, 200, currentConfig(internals));
    }
    default:
      return send(res, 404, { error: `no control endpoint ${route}` });
  }
}
