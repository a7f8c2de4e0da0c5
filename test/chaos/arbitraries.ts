/**
 * fast-check generators of the soak's plans: the edits a user makes, when hosts are killed,
 * and how many stacks share the app. fast-check shrinks a failing plan to a short one and
 * prints the seed that repeats it.
 */
import fc from "fast-check";

import { type Edit, GROUP_TYPES } from "./programs";
import type { JobPlan, Kill, StepPlan } from "./soak";

const index = fc.nat({ max: 15 });

export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant("addAccount" as const), fixed: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("addGroup" as const),
      type: fc.constantFrom(...GROUP_TYPES),
      fixed: fc.boolean(),
      owner: fc.option(index, { nil: null }),
      members: fc.array(index, { maxLength: 3 }),
      admins: fc.nat({ max: 2 }),
      data: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("addTopic" as const),
      community: index,
      fixed: fc.boolean(),
      deletedWith: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("remove" as const), target: index }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("update" as const), target: index }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("replace" as const), target: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("rename" as const), target: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("retain" as const), target: index }) },
);

/** Edits that add: a program's first version is made of them. */
const addArb = editArb.filter((e) => e.op.startsWith("add"));

/** A kill in one of three runs: after a few provider calls, a little later still, so that calls are in flight. */
export const killArb: fc.Arbitrary<Kill | null> = fc.option(
  fc.record({ after: fc.integer({ min: 1, max: 24 }), delayMs: fc.integer({ min: 0, max: 150 }) }),
  { nil: null, freq: 2 },
);

const stepOf = (edits: fc.Arbitrary<Edit>, length: { minLength: number; maxLength: number }): fc.Arbitrary<StepPlan> =>
  fc.record({ edits: fc.array(edits, length), kill: killArb });

/** A stack's life: a first version of a few resources, then versions of a few edits each. */
export const jobArb = (steps: { minLength: number; maxLength: number }): fc.Arbitrary<JobPlan> =>
  fc.record({
    steps: fc
      .tuple(
        stepOf(addArb, { minLength: 3, maxLength: 8 }),
        fc.array(stepOf(editArb, { minLength: 1, maxLength: 4 }), {
          minLength: steps.minLength - 1,
          maxLength: steps.maxLength - 1,
        }),
      )
      .map(([first, rest]) => [first, ...rest]),
    destroyKill: killArb,
  });
