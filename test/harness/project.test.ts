/**
 * The harness that stands in for `pulumi up`'s program run: what it records must not depend
 * on how much the program registers.
 */
import { createProject, type PulumiProject } from "../../harness/project";

let project: PulumiProject;
beforeAll(() => (project = createProject()));
afterAll(() => project?.remove());

it("records every registration of a program whose registrations are many megabytes", async () => {
  // 1,000 resources with 4 KiB of input each: four times what a pipe buffered for a child's stdout.
  const registered = await project.run(`
    const pulumi = require("@pulumi/pulumi");
    for (let i = 0; i < 1000; i++) new pulumi.CustomResource("test:index:Blob", "blob" + i, { data: String(i).padEnd(4096, ".") });
  `);
  expect(registered).toHaveLength(1000);
  expect(new Set(registered.map((r) => r.name)).size).toBe(1000);
  expect(registered[999].inputs.data).toBe("999".padEnd(4096, "."));
});

it("says what failed when the program throws", async () => {
  await expect(project.run(`throw new Error("the program's own mistake")`)).rejects.toThrow(
    /the program's own mistake/,
  );
});
