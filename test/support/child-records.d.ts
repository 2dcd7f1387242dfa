export declare const PID_DIR_VARIABLE: "RULEBOOK_TEST_PID_DIR";
export declare function recordChild(child: {
  pid: number | undefined;
  command: string;
  name: string;
}): string | undefined;
export declare function forgetChild(file: string | undefined): void;
export declare function killRecordedChildren(dir: string, timeoutMs?: number): Promise<string[]>;
