/** Tencent's official UserSig package, used by the tests as an oracle. It ships no types, and its package.json names two "main" files (Node takes the last, jest the first), so tests import the file itself. */
declare module "tls-sig-api-v2/TLSSigAPIv2" {
  export class Api {
    constructor(sdkappid: number, key: string);
    genUserSig(userid: string, expire: number): string;
  }
}
