/**
 * Reading request fields the way the Chat service does: exact, case-sensitive names,
 * a 10004 naming the field when a value has the wrong type or breaks a limit.
 */
import { utf8Bytes } from "../../chat-api/text";
import { invalid } from "../errors";

export type Body = Record<string, unknown>;

export function optionalString(body: Body, field: string, maxBytes?: number): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") invalid(`${field} must be a string`);
  if (maxBytes !== undefined && utf8Bytes(value) > maxBytes) {
    invalid(`${field} is longer than ${maxBytes} bytes`);
  }
  return value;
}

export function requiredString(body: Body, field: string, maxBytes?: number): string {
  const value = optionalString(body, field, maxBytes);
  if (value === undefined || value === "") invalid(`${field} is required`);
  return value;
}

export function optionalInteger(body: Body, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) invalid(`${field} must be an integer`);
  if (value < min || value > max) invalid(`${field} must be between ${min} and ${max}`);
  return value;
}

export function optionalEnum<T extends string>(body: Body, field: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) invalid(`${field} must be one of ${allowed.join(", ")}`);
  return value as T;
}

export function optionalArray(body: Body, field: string): unknown[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) invalid(`${field} must be an array`);
  return value;
}

export function requiredArray(body: Body, field: string): unknown[] {
  const value = optionalArray(body, field);
  if (value === undefined || value.length === 0) invalid(`${field} is required`);
  return value;
}

export function objectItem(item: unknown, field: string): Body {
  if (typeof item !== "object" || item === null || Array.isArray(item)) invalid(`${field} items must be objects`);
  return item as Body;
}

/** Account IDs: up to 32 bytes (Tencent's account_import rule). */
export const MAX_ACCOUNT_BYTES = 32;
