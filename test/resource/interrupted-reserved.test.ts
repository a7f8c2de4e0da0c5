/** A host killed during `pulumi up` and the program run again, where destroyed GroupIds are reserved. */
import { killAndRerun } from "./kill-and-rerun";

killAndRerun("reserved");
