/**
 * Tests that need a real redis-server: where it is not installed they are reported as not
 * run, with the reason; under CI (CI=true) that is a failure instead.
 */
import { REDIS_SERVER } from "../../harness/redis-process";

export { startRedis, type RunningRedis } from "../../harness/redis-process";

/**
 * `describe` for tests that need redis-server: without it they are skipped with the reason in
 * their name (the run's summary lists them), and under CI they fail instead.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_SERVER) return describe(name, body);
  if (process.env.CI === "true") {
    return describe(name, () => {
      it("needs redis-server, which CI must install (.ci/run does)", () => {
        throw new Error("redis-server is not installed");
      });
    });
  }
  describe.skip(`${name} [not run: redis-server is not installed]`, body);
}
