/**
 * ErrorCodes that decide what a caller does next: the common codes of the RESTful API
 * overview (https://www.tencentcloud.com/document/product/1047/34620) and each command's own
 * table (create_group: https://www.tencentcloud.com/document/product/1047/34895).
 */

/** "The group does not exist or was dissolved" (10010) and "no group with that ID" (10015). */
export const GROUP_GONE_CODES: ReadonlySet<number> = new Set([10010, 10015]);

/**
 * "The response packet exceeds the length limit of 1 MB ... reduce the amount of data in a
 * single request" (V2TIMErrorCode.h): asked again for less, the same read passes.
 */
export const ANSWER_TOO_LARGE = 10018;

/** The operator may not do this (docs 1616, 78204); get_topic's reader outside the Community may be answered so. */
export const NO_PERMISSION = 10007;

/** The largest answer the service sends, in bytes; a larger one is refused with ANSWER_TOO_LARGE. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** "Group ID already used" (10021) and "... and you are its owner" (10025). */
export const GROUP_ID_TAKEN_CODES: ReadonlySet<number> = new Set([10021, 10025]);

/**
 * "Too many requests": the call was refused, not carried out. 60007 REST API frequency,
 * 60011 SDKAppID frequency, 60018/60019 "requests too frequent", 10006 group operation frequency.
 */
export const THROTTLING_CODES: ReadonlySet<number> = new Set([60007, 60011, 60018, 60019, 10006]);

/**
 * Throttling codes that a command also answers once a daily quota is used up, which lasts
 * until the next day: create_group's 10006 past the plan's daily net new groups (Pro 10,000,
 * Enterprise 50,000; doc 9346). Tencent documents no code of its own for it.
 */
export const DAILY_QUOTA_CODES: Readonly<Record<string, number>> = { create_group: 10006 };

/**
 * Passing server faults: 10002 "internal error, please retry", 60008 service timeout,
 * 60014 account exchange timeout, 70169 server timeout, 70500 internal error, and the profile
 * service's 40006 "internal error, try again later" (V2TIMErrorCode.h).
 */
export const TRANSIENT_CODES: ReadonlySet<number> = new Set([10002, 60008, 60014, 70169, 70500, 40006]);

/**
 * The profile service's codes (portrait_set / portrait_get, docs 34916/34917; V2TIMErrorCode.h):
 * 40001 a request it cannot decode, 40003 no such account, 40006 an internal error to retry,
 * 40009 a tag it does not know, 40601 a value over its 500 bytes.
 */
export const PROFILE_CODES = { badRequest: 40001, accountNotFound: 40003, internal: 40006, unknownTag: 40009, valueTooLong: 40601 } as const;

/** "UserSig expired" (70001) and "UserSig invalid or expired, generate a new one" (70052): sign again and try once more. */
export const EXPIRED_SIGNATURE_CODES: ReadonlySet<number> = new Set([70001, 70052]);

/** account_delete's and account_check's ResultCode for an account that was never imported, or is deleted. */
export const ACCOUNT_NOT_FOUND = 70107;

/** portrait_get's "the account does not exist", per item or (as Tencent's page has it) for the whole call. */
export const PROFILE_ACCOUNT_NOT_FOUND = PROFILE_CODES.accountNotFound;

/** The account commands' "invalid parameter" (im_open_login_svc), e.g. a UserID the app does not take. */
export const ACCOUNT_INVALID_PARAM = 70402;

/**
 * account_import's answer for an ID deleted less than three months ago on a paid plan (Pro,
 * Pro Plus, Enterprise): "非 IM 体验版应用,账号被删除后,三个月内不能使用该 UserID 重新导入"
 * (account_import error table, cloud.tencent.com/document/product/454/1608).
 */
export const ACCOUNT_DELETED_RECENTLY = 70399;
