import { describe, expect, it } from "@jest/globals";
import { canonicalDifference, copyFromBundle } from "./canonical-diff.js";

describe("copyFromBundle", () => {
  it("says which bundle file to copy where", () => {
    expect(copyFromBundle("templates/pr.md", ".github/pull_request_template.md")).toBe(
      "Copy `templates/pr.md` from the standards bundle to `.github/pull_request_template.md` unchanged, and commit it.",
    );
  });
});

describe("canonicalDifference", () => {
  const canonical = "# Title\n\n## Summary\n\n## Tests\n";

  it("finds nothing when the file equals its canonical copy within the whitespace tolerance", () => {
    expect(canonicalDifference("a.md", canonical, "c.md", canonical, "line-endings")).toBeUndefined();
    expect(
      canonicalDifference("a.md", canonical.replaceAll("\n", "\r\n"), "c.md", canonical, "line-endings"),
    ).toBeUndefined();
    expect(
      canonicalDifference("a.md", canonical.replace("# Title", "# Title  "), "c.md", canonical, "trailing"),
    ).toBeUndefined();
  });

  it("locates the first difference and gives the diff that restores the canonical copy", () => {
    const content = canonical.replace("## Tests", "## Testing");
    const finding = canonicalDifference("a.md", content, "c.md", canonical, "line-endings");
    expect(finding).toMatchObject({ path: "a.md", line: 5, expected: "## Tests", found: "## Testing" });
    expect(finding?.message).toMatch(/^`a\.md` differs from the canonical `c\.md`: /);
    expect(finding?.remediation).toContain("```diff\n--- a/a.md\n+++ b/a.md (bundle: c.md)\n");
    expect(finding?.remediation).toContain("\n-## Testing\n+## Tests\n");
    expect(finding?.remediation).toContain("line endings aside, it must be identical");
  });
});
