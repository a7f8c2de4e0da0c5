/**
 * Generated IDs that a rerun recognises.
 *
 * Pulumi forgets a create that was interrupted (a cancelled CI job, a killed host): the next
 * `pulumi up` checks the resource again with no old inputs and creates it anew. A random ID
 * would then make a second object and leak the first. So a generated ID is derived from what
 * the program knows and every run agrees on, the resource's identity (organization, project,
 * stack, parents, type and name: its URN), plus an incarnation number. `create` tries
 * incarnation 1, 2, … and takes over an object it finds under one of them that the stack's
 * state does not hold (its own half-made object), so a rerun finishes what was interrupted.
 * A replacement gets the next free incarnation, since the object it replaces is still live.
 *
 * The seed is computed by the resource class in the program (dynamic-provider methods are
 * never told a resource's URN) and passed as the internal input `idSeed`.
 *
 * A resource made with `retainOnDelete` draws its IDs from a seed of its own. Pulumi never
 * tells the provider that it let a retained resource go, so the group it leaves behind looks
 * to a later create exactly like an interrupted run's half-made one; with seeds apart, a
 * resource of the same name declared again without the option never meets it.
 */
import { createHash } from "node:crypto";

import { COMMUNITY_ID_PREFIX } from "../../chat-api/groups";

/** The internal input that carries the seed. */
export const SEED_PROPERTY = "idSeed";

/** What starts the seed of a resource made with `retainOnDelete`. */
const RETAINED_SEED_PREFIX = "retained:";

/** The seed of the resource `urn` in organization `org`; `retained` when it has `retainOnDelete`. */
export function identitySeedOf(org: string, urn: string, retained: boolean): string {
  return `${retained ? RETAINED_SEED_PREFIX : ""}${org}/${urn}`;
}

/** Most incarnations `create` tries before giving up. */
export const MAX_INCARNATIONS = 100;

/** Every generated group ID starts with this (after `@TGS#_` for a Community). */
export const GENERATED_GROUP_PREFIX = "pulumi-";

/** `length` characters of [0-9a-z] drawn from the seed's SHA-256. */
export function seedHash(seed: string, length: number): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return BigInt(`0x${hex}`).toString(36).padStart(length, "0").slice(0, length);
}

/** The resource's name (the URN's last part) as lowercase letters, digits and dashes, at most 16. */
function nameSlug(seed: string): string {
  const name = seed.slice(seed.lastIndexOf("::") + 2);
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 16)
    .replace(/-+$/, "");
  return slug || "group";
}

/**
 * The group ID of one incarnation: `pulumi-<name>-<hash>-<n>`, at most 39 bytes (45 with a
 * Community's `@TGS#_`), under Tencent's 48.
 */
export function generatedGroupId(seed: string, type: string, incarnation: number): string {
  const id = generatedName(seed, incarnation);
  return type === "Community" ? `${COMMUNITY_ID_PREFIX}${id}` : id;
}

/** `pulumi-<name>-<hash>-<n>`: a generated group ID, and the custom part of a generated topic ID. */
function generatedName(seed: string, incarnation: number): string {
  return `${GENERATED_GROUP_PREFIX}${nameSlug(seed)}-${seedHash(seed, 10)}-${incarnation}`;
}

/** The custom part of one incarnation's topic ID (`<GroupId>@TOPIC#_<this>`), at most 39 bytes. */
export const generatedTopicSuffix = generatedName;

/** The parts of a generated group ID: `(@TGS#_)pulumi-<name>-<hash>-<n>`. */
const GENERATED_GROUP_ID = /^(@TGS#_)?pulumi-[a-z0-9-]{1,16}-([0-9a-z]{10})-([1-9][0-9]{0,2})$/;

/** The hash a generated group or topic ID carries for `seed`. */
export const groupSeedHash = (seed: string): string => seedHash(seed, 10);

/**
 * The seed among `seeds` that `groupId` was generated from, if any: the ID must be exactly
 * one of its incarnations, not just look like one. (This package's first releases drew
 * `pulumi-<12 random characters>` instead; such an ID belongs to no seed.)
 */
export function seedOfGroupId(
  groupId: string,
  seedsByHash: ReadonlyMap<string, readonly string[]>,
): string | undefined {
  const match = GENERATED_GROUP_ID.exec(groupId);
  if (!match) return undefined;
  const [, community, hash, n] = match;
  const incarnation = Number(n);
  if (incarnation > MAX_INCARNATIONS) return undefined;
  return seedsByHash
    .get(hash)
    ?.find((seed) => generatedGroupId(seed, community ? "Community" : "Public", incarnation) === groupId);
}

/** Longest `userIdPrefix`: with the hash and incarnation the ID stays within 32 bytes. */
export const MAX_USER_ID_PREFIX = 16;

/** The account ID of one incarnation: `<prefix><hash>-<n>`. */
export function generatedUserId(prefix: string, seed: string, incarnation: number): string {
  return `${prefix}${seedHash(seed, 8)}-${incarnation}`;
}

/** The incarnation `userId` is of `prefix` and `seed`, or undefined when it is not one of them. */
export function incarnationOfUserId(userId: string, prefix: string, seed: string): number | undefined {
  const stem = `${prefix}${seedHash(seed, 8)}-`;
  if (!userId.startsWith(stem)) return undefined;
  const n = userId.slice(stem.length);
  return /^[1-9][0-9]{0,2}$/.test(n) && Number(n) <= MAX_INCARNATIONS ? Number(n) : undefined;
}
