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
 */
import { createHash } from "node:crypto";

/** The internal input that carries the seed. */
export const SEED_PROPERTY = "idSeed";

/** Most incarnations `create` tries before giving up. */
export const MAX_INCARNATIONS = 100;

/** Every generated group ID starts with this (after `@TGS#_` for a Community). */
export const GENERATED_GROUP_PREFIX = "pulumi-";

const COMMUNITY_PREFIX = "@TGS#_";

/** `length` characters of [0-9a-z] drawn from the seed's SHA-256. */
export function seedHash(seed: string, length: number): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return BigInt(`0x${hex}`).toString(36).padStart(length, "0").slice(0, length);
}

/** The resource's name (the URN's last part) as lowercase letters, digits and dashes, at most 16. */
function nameSlug(seed: string): string {
  const name = seed.slice(seed.lastIndexOf("::") + 2);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+/, "").slice(0, 16).replace(/-+$/, "");
  return slug || "group";
}

/**
 * The group ID of one incarnation: `pulumi-<name>-<hash>-<n>`, at most 39 bytes (45 with a
 * Community's `@TGS#_`), under Tencent's 48.
 */
export function generatedGroupId(seed: string, type: string, incarnation: number): string {
  const id = generatedName(seed, incarnation);
  return type === "Community" ? `${COMMUNITY_PREFIX}${id}` : id;
}

/** `pulumi-<name>-<hash>-<n>`: a generated group ID, and the custom part of a generated topic ID. */
function generatedName(seed: string, incarnation: number): string {
  return `${GENERATED_GROUP_PREFIX}${nameSlug(seed)}-${seedHash(seed, 10)}-${incarnation}`;
}

/** The custom part of one incarnation's topic ID (`<GroupId>@TOPIC#_<this>`), at most 39 bytes. */
export const generatedTopicSuffix = generatedName;

/** True for an ID this package generates (also the random ones of its first releases). */
export function isGeneratedGroupId(groupId: string): boolean {
  const bare = groupId.startsWith(COMMUNITY_PREFIX) ? groupId.slice(COMMUNITY_PREFIX.length) : groupId;
  return bare.startsWith(GENERATED_GROUP_PREFIX);
}

/** Longest `userIdPrefix`: with the hash and incarnation the ID stays within 32 bytes. */
export const MAX_USER_ID_PREFIX = 16;

/** The account ID of one incarnation: `<prefix><hash>-<n>`. */
export function generatedUserId(prefix: string, seed: string, incarnation: number): string {
  return `${prefix}${seedHash(seed, 8)}-${incarnation}`;
}

/** The shape of IDs generated from `prefix`, for finding leaked accounts. */
export function generatedUserIdPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[-]/g, "\\-")}[0-9a-z]{8}-\\d+$`);
}
