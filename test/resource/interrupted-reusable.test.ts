/** A host killed during `pulumi up` and the program run again, where destroyed GroupIds are reusable. */
import { killAndRerun } from "./kill-and-rerun";

killAndRerun("reusable");
