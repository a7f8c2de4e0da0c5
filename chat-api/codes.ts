/**
 * The ErrorCodes this package knows, named once by what they mean, and the sets that decide
 * what a caller does next. The client and the emulator both read them from here. Sources: the
 * common codes of the RESTful API overview (https://www.tencentcloud.com/document/product/1047/34620),
 * each command's own table (create_group: https://www.tencentcloud.com/document/product/1047/34895),
 * and the SDKs' V2TIMErrorCode.h.
 */

export const CODE = {
  // Envelope (REST common errors).
  httpParse: 60002,
  jsonParse: 60003,
  identifierInvalid: 60004,
  sdkAppIdInvalid: 60006,
  restFrequency: 60007,
  serviceTimeout: 60008,
  resourceNotFound: 60009,
  needsAdmin: 60010,
  sdkAppIdFrequency: 60011,
  sdkAppIdMissing: 60012,
  accountExchangeTimeout: 60014,
  tooFrequent: 60018,
  tooFrequentToo: 60019,
  // UserSig.
  sigExpired: 70001,
  sigEmpty: 70002,
  sigMalformed: 70003,
  sigKeyMismatch: 70009,
  sigIdentifierMismatch: 70013,
  sigSdkAppIdMismatch: 70014,
  sdkAppIdNotFound: 70020,
  sigInvalidOrExpired: 70052,
  // Accounts (im_open_login_svc).
  /** account_delete's and account_check's ResultCode for an account never imported, or deleted. */
  accountNotFound: 70107,
  serverTimeout: 70169,
  /**
   * account_import for an ID deleted less than three months ago on a paid plan: "非 IM 体验版应用,
   * 账号被删除后,三个月内不能使用该 UserID 重新导入" (cloud.tencent.com/document/product/454/1608).
   */
  accountDeletedRecently: 70399,
  /** The account commands' "invalid parameter", e.g. a UserID the app does not take. */
  accountInvalidParam: 70402,
  accountInternal: 70500,
  // Groups (group_open_http_svc).
  internal: 10002,
  badCommand: 10003,
  invalidParam: 10004,
  tooManyAccounts: 10005,
  groupFrequency: 10006,
  /** The operator may not do this (docs 1616, 78204); get_topic's reader outside the Community may be answered so. */
  noPermission: 10007,
  groupGone: 10010,
  groupFull: 10014,
  groupIdInvalid: 10015,
  /** "The response packet exceeds the length limit of 1 MB ... reduce the amount of data in a single request": asked again for less, it passes. */
  answerTooLarge: 10018,
  accountMissing: 10019,
  groupIdTaken: 10021,
  groupIdTakenByYou: 10025,
  memberLimit: 10038,
  // Community topics (million_group_open_http_svc).
  /** "This group does not support Community topics": a Community made without SupportTopic, or another type. */
  topicsNotSupported: 11000,
  /** "The topic was already deleted" (destroy_topic). */
  topicGone: 110003,
  // Profiles (portrait_set / portrait_get, docs 34916/34917).
  profileBadRequest: 40001,
  /** portrait_get's "the account does not exist", per item or (as Tencent's page has it) for the whole call. */
  profileAccountNotFound: 40003,
  profileInternal: 40006,
  profileUnknownTag: 40009,
  profileValueTooLong: 40601,
} as const;

/** The largest answer the service sends, in bytes; a larger one is refused with answerTooLarge. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** "The group does not exist or was dissolved" (10010) and "no group with that ID" (10015). */
export const GROUP_GONE_CODES: ReadonlySet<number> = new Set([CODE.groupGone, CODE.groupIdInvalid]);

/** "Group ID already used" (10021) and "... and you are its owner" (10025). */
export const GROUP_ID_TAKEN_CODES: ReadonlySet<number> = new Set([CODE.groupIdTaken, CODE.groupIdTakenByYou]);

/**
 * "Too many requests": the call was refused, not carried out. 60007 REST API frequency,
 * 60011 SDKAppID frequency, 60018/60019 "requests too frequent", 10006 group operation frequency.
 */
export const THROTTLING_CODES: ReadonlySet<number> = new Set([
  CODE.restFrequency,
  CODE.sdkAppIdFrequency,
  CODE.tooFrequent,
  CODE.tooFrequentToo,
  CODE.groupFrequency,
]);

/**
 * Throttling codes that a command also answers once a daily quota is used up, which lasts
 * until the next day: create_group's 10006 past the plan's daily net new groups (Pro 10,000,
 * Enterprise 50,000; doc 9346). Tencent documents no code of its own for it.
 */
export const DAILY_QUOTA_CODES: Readonly<Record<string, number>> = { create_group: CODE.groupFrequency };

/**
 * Passing server faults: 10002 "internal error, please retry", 60008 service timeout,
 * 60014 account exchange timeout, 70169 server timeout, 70500 internal error, and the profile
 * service's 40006 "internal error, try again later".
 */
export const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  CODE.internal,
  CODE.serviceTimeout,
  CODE.accountExchangeTimeout,
  CODE.serverTimeout,
  CODE.accountInternal,
  CODE.profileInternal,
]);

/** "UserSig expired" (70001) and "UserSig invalid or expired, generate a new one" (70052): sign again and try once more. */
export const EXPIRED_SIGNATURE_CODES: ReadonlySet<number> = new Set([CODE.sigExpired, CODE.sigInvalidOrExpired]);
