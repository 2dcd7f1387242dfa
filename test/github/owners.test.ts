import { describe, expect, it } from "@jest/globals";
import { catchAllOwners, ownersOfPath } from "../../src/github/owners.js";

const CODEOWNERS = [
  "# Owners of acme/api",
  "*                 @acme/maintainers @carol",
  "*.md              @acme/writers",
  "/build/logs/      @dave",
  "docs/             @erin # any docs directory",
  "apps/api          @frank",
  "/.github/         @acme/platform ops@acme.example",
  "src/**/*.sql      @acme/dba",
  "scripts/",
  "",
].join("\n");

describe("ownersOfPath", () => {
  it.each([
    ["src/login.ts", ["@acme/maintainers", "@carol"]],
    ["README.md", ["@acme/writers"]],
    ["build/logs/today.log", ["@dave"]],
    ["app/build/logs/today.log", ["@acme/maintainers", "@carol"]],
    ["docs/setup.txt", ["@erin"]],
    ["packages/web/docs/setup.txt", ["@erin"]],
    ["apps/api/server.ts", ["@frank"]],
    ["other/apps/api/server.ts", ["@acme/maintainers", "@carol"]],
    [".github/workflows/ci.yml", ["@acme/platform"]],
    ["src/db/migrations/001.sql", ["@acme/dba"]],
    ["scripts/release.sh", []],
  ])("%s is owned by %j, the last matching rule winning", (path, owners) => {
    expect(ownersOfPath(CODEOWNERS, path)).toEqual(owners);
  });
});

describe("catchAllOwners", () => {
  it("reads the last `*` rule's users and team slugs", () => {
    expect(catchAllOwners(`${CODEOWNERS}* @zed @acme/oncall\n`)).toEqual({
      users: ["zed"],
      teams: ["oncall"],
    });
    expect(catchAllOwners("docs/ @erin\n")).toEqual({ users: [], teams: [] });
  });
});
