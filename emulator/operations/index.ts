/** Every command the emulator serves, by service. */
import { TOPIC_SERVICE } from "../../chat-api/topics";
import { accountOperations } from "./accounts";
import type { Operation } from "./context";
import { groupReadOperations } from "./group-reads";
import { groupOperations } from "./groups";
import { memberOperations } from "./members";
import { profileOperations } from "./profile";
import { topicOperations } from "./topics";

export const SERVICES: Readonly<Record<string, Readonly<Record<string, Operation>>>> = {
  group_open_http_svc: { ...groupOperations, ...groupReadOperations, ...memberOperations },
  im_open_login_svc: accountOperations,
  profile: profileOperations,
  [TOPIC_SERVICE]: topicOperations,
};

/** Every command name, for checking names given to the control endpoints and the CLI. */
export const COMMANDS: ReadonlySet<string> = new Set(Object.values(SERVICES).flatMap((ops) => Object.keys(ops)));
