import { ChatClient } from "../../provider/client/client";
import { EndpointError, REGION_DOMAINS, regionDomain, resolveBaseUrl } from "../../provider/client/endpoint";

describe("regions", () => {
  it.each([
    ["china", "console.tim.qq.com"],
    ["singapore", "adminapisgp.im.qcloud.com"],
    ["seoul", "adminapikr.im.qcloud.com"],
    ["tokyo", "adminapijpn.im.qcloud.com"],
    ["frankfurt", "adminapiger.im.qcloud.com"],
    ["mumbai", "adminapiind.im.qcloud.com"],
    ["silicon-valley", "adminapiusa.im.qcloud.com"],
    ["jakarta", "adminapiidn.im.qcloud.com"],
    ["riyadh", "adminapiksa.im.qcloud.com"],
  ])("maps %s to %s", (region, domain) => {
    expect(regionDomain(region)).toBe(domain);
    expect(resolveBaseUrl({ region })).toBe(`https://${domain}`);
  });

  it.each([
    ["SGP", "singapore"],
    ["Silicon Valley", "silicon-valley"],
    ["silicon_valley", "silicon-valley"],
    ["ger", "frankfurt"],
    ["usa", "silicon-valley"],
  ])("accepts the spelling %s for %s", (alias, region) => {
    expect(regionDomain(alias)).toBe(REGION_DOMAINS[region as keyof typeof REGION_DOMAINS]);
  });

  it("defaults to China", () => {
    expect(resolveBaseUrl({})).toBe("https://console.tim.qq.com");
  });

  it("names the valid regions when given an unknown one", () => {
    expect(() => regionDomain("atlantis")).toThrow(/atlantis.*china, singapore/);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])(
    "looks regions up as own names only: %s is not one",
    (region) => {
      expect(() => regionDomain(region)).toThrow(EndpointError);
    },
  );

  it("does not repeat a value that could be a secret pasted into the region", () => {
    const key = "0123456789abcdef0123456789abcdef";
    expect(() => regionDomain(key)).toThrow(/a value of 32 characters \(not repeated here/);
    expect(() => regionDomain(key)).not.toThrow(new RegExp(key));
  });
});

describe("explicit endpoints", () => {
  it.each([
    ["http://127.0.0.1:9080", "http://127.0.0.1:9080"],
    ["http://127.8.9.10:1/", "http://127.8.9.10:1"],
    ["http://localhost:9080/", "http://localhost:9080"],
    ["http://[::1]:9080", "http://[::1]:9080"],
    ["https://proxy.example.com/chat/", "https://proxy.example.com/chat"],
  ])("accepts %s", (endpoint, base) => {
    expect(resolveBaseUrl({ endpoint, region: "singapore" })).toBe(base);
  });

  it.each([
    "http://console.tim.qq.com",
    "http://10.0.0.5:9080",
    "http://192.168.1.2",
    "http://localhost.evil.com",
    "http://evil.localhost",
    "http://a.b.localhost:9080",
    "http://emulator:9080",
    "http://0.0.0.0:9080",
  ])("refuses plain http to %s, which is not a literal loopback address or localhost", (endpoint) => {
    expect(() => resolveBaseUrl({ endpoint })).toThrow(EndpointError);
    expect(() => resolveBaseUrl({ endpoint })).toThrow(/https/);
  });

  it.each(["not a url", "ftp://example.com", "https://example.com/?x=1", "https://user:pw@example.com"])(
    "refuses %s",
    (endpoint) => {
      expect(() => resolveBaseUrl({ endpoint })).toThrow(EndpointError);
    },
  );

  it("takes plain http elsewhere (an emulator in docker compose) only when told to", () => {
    expect(() => resolveBaseUrl({ endpoint: "http://emulator:9080" })).toThrow(/allowInsecureEndpoint/);
    expect(resolveBaseUrl({ endpoint: "http://emulator:9080", allowInsecureEndpoint: true })).toBe(
      "http://emulator:9080",
    );
  });

  it("does not repeat an endpoint that could be a secret", () => {
    const key = "0123456789abcdef0123456789abcdef";
    expect(() => resolveBaseUrl({ endpoint: key })).toThrow(/endpoint a value of 32 characters/);
  });
});

describe("an insecure endpoint, when allowed", () => {
  it("is used, with one warning per endpoint and process that signatures cross the network in the clear", () => {
    const warnings: string[] = [];
    const spy = jest.spyOn(console, "warn").mockImplementation((text: string) => void warnings.push(text));
    try {
      for (let i = 0; i < 3; i++)
        new ChatClient({ sdkAppId: 1, secretKey: "k", endpoint: "http://emulator:9080", allowInsecureEndpoint: true });
      new ChatClient({ sdkAppId: 1, secretKey: "k", endpoint: "http://127.0.0.1:9080", allowInsecureEndpoint: true });
    } finally {
      spy.mockRestore();
    }
    expect(warnings).toEqual([
      "pulumi-tencent-chat: warning: signed admin requests go to http://emulator:9080 over plain http (allowInsecureEndpoint is set)",
    ]);
  });
});
