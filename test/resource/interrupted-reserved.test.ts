/**
 * A host killed during `pulumi up` and the program run again, where destroyed GroupIds are reserved.
 *
 * @slow programs of 46 resources, run and killed again and again
 */
import { killAndRerun } from "./kill-and-rerun";

killAndRerun("reserved");
