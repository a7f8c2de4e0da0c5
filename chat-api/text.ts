/** Text as the service measures and carries it: UTF-8. */

/** Limits are in UTF-8 bytes: a CJK character takes 3. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, "utf8");

/** Half of a UTF-16 surrogate pair: a character UTF-8 cannot carry (an encoder drops or replaces it). */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
