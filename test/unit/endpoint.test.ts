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

  it.each(["http://console.tim.qq.com", "http://10.0.0.5:9080", "http://192.168.1.2", "http://localhost.evil.com"])(
    "refuses plain http to the non-loopback %s",
    (endpoint) => {
      expect(() => resolveBaseUrl({ endpoint })).toThrow(EndpointError);
      expect(() => resolveBaseUrl({ endpoint })).toThrow(/https/);
    },
  );

  it.each(["not a url", "ftp://example.com", "https://example.com/?x=1", "https://user:pw@example.com"])("refuses %s", (endpoint) => {
    expect(() => resolveBaseUrl({ endpoint })).toThrow(EndpointError);
  });
});
