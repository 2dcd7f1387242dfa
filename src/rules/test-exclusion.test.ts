import { commit, prScope } from "../../test/support/facts.js";
import { testRule } from "../../test/support/rule-tester.js";
import type { ChangedFile } from "../facts/schema.js";
import rule from "./test-exclusion.js";

/** A changed file whose whole new content is given, with the lines `added` (1-based) added. */
function changed(path: string, content: string, added: number[]): ChangedFile {
  const lines = content.split("\n");
  return {
    path,
    status: "modified",
    binary: false,
    content,
    patch: [
      `@@ -1,${lines.length - added.length} +1,${lines.length} @@`,
      ...lines.map((l, i) => `${added.includes(i + 1) ? "+" : " "}${l}`),
    ].join("\n"),
  };
}

const JEST = (entry: string) =>
  [
    "export default {",
    '  testEnvironment: "node",',
    "  testPathIgnorePatterns: [",
    '    "/node_modules/",',
    `    ${entry}`,
    "  ],",
    "};",
  ].join("\n");

const PACKAGE = [
  "{",
  '  "name": "api",',
  '  "scripts": {',
  '    "test": "jest --testPathIgnorePatterns=/flaky/"',
  "  }",
  "}",
].join("\n");

const FORMS = "#123, owner/repo#123, an issue URL";
const COMMENT_PLACE = "a comment beside it";
const COMMIT_PLACE = "the message of a commit that adds it";
const CITE_IN_COMMENT =
  "cite it in a comment on that line or just above, e.g. `# excluded until #123 is fixed`";
const CITE_IN_COMMIT =
  "cite it in the message of the commit that adds the exclusion (JSON has no comments), e.g. `Refs: #123`";

function expected(
  path: string,
  line: number,
  what: string,
  setting: string,
  excluded: string,
  found: string,
  extra: { citing?: string; commit?: boolean } = {},
) {
  const place = extra.commit ? COMMIT_PLACE : COMMENT_PLACE;
  return {
    message: `${what}, ${extra.citing ?? `with no tracking issue cited in ${place}`}`,
    path,
    line,
    expected: `every test stays in the run, or an open tracking issue (${FORMS}) cited in ${place}`,
    found,
    remediation: `Fix the code under test so the tests it leaves out pass, and remove ${setting} ${JSON.stringify(excluded)} at ${path}:${line} so they run again. If they must stay out of the run, open (or reopen) an issue for them and ${extra.commit ? CITE_IN_COMMIT : CITE_IN_COMMENT}.`,
  };
}

const withIssues = (files: ChangedFile[], issues: Record<string, "open" | "closed" | "missing"> = {}) =>
  prScope({ files }, { issues });

testRule(rule, {
  valid: [
    {
      name: "no configuration file changed",
      facts: withIssues([changed("src/a.ts", "export const a = 1;", [1])]),
    },
    {
      name: "a Jest config change that only raises the timeout",
      facts: withIssues([changed("jest.config.js", "module.exports = {\n  testTimeout: 30000,\n};", [2])]),
    },
    {
      name: "an ignore pattern for build output",
      facts: withIssues([changed("jest.config.ts", JEST('"<rootDir>/dist/",'), [5])]),
    },
    {
      name: "an exclusion whose comment cites an open issue",
      facts: withIssues([changed("jest.config.ts", JEST('"/flaky/", // until #123 is fixed'), [5])], {
        "acme/api#123": "open",
      }),
    },
    {
      name: "an exclusion in package.json whose commit message cites an open issue",
      facts: prScope(
        {
          files: [changed("package.json", PACKAGE, [4])],
          commits: [commit("test: quarantine the flaky suite\n\nRefs: acme/api#123")],
        },
        { issues: { "acme/api#123": "open" } },
      ),
    },
    {
      name: "an exclusion already on the base branch, on an unchanged line",
      facts: withIssues([changed("jest.config.ts", JEST('"/flaky/",'), [2])]),
    },
    {
      name: "a narrowing filter when the bundle allows narrowing",
      options: { narrowing: "allow" },
      facts: withIssues([changed("Makefile", "test:\n\tgo test -run TestUnit ./...", [2])]),
    },
    {
      name: "another tracker's key when issuePattern accepts it",
      options: { issuePattern: "\\bQA-\\d+\\b" },
      facts: withIssues([
        changed("pytest.ini", "[pytest]\naddopts = --deselect tests/test_a.py::test_b  # QA-12", [2]),
      ]),
    },
    {
      name: "an excluded file outside `paths`",
      options: { paths: ["services/**"] },
      facts: withIssues([changed("jest.config.ts", JEST('"/flaky/",'), [5])]),
    },
  ],
  invalid: [
    {
      name: "testPathIgnorePatterns gains /flaky/ with no reference",
      facts: withIssues([changed("jest.config.ts", JEST('"/flaky/",'), [5])]),
      findings: [
        expected(
          "jest.config.ts",
          5,
          'Excludes "/flaky/" from Jest\'s run (testPathIgnorePatterns)',
          "testPathIgnorePatterns",
          "/flaky/",
          '"/flaky/",',
        ),
      ],
    },
    {
      name: "a deselect citing a closed issue",
      facts: withIssues(
        [
          changed(
            "pytest.ini",
            "[pytest]\naddopts =\n    # see #1\n    --deselect tests/test_api.py::test_timeout",
            [3, 4],
          ),
        ],
        { "acme/api#1": "closed" },
      ),
      findings: [
        expected(
          "pytest.ini",
          4,
          'Excludes "tests/test_api.py::test_timeout" from pytest\'s run (--deselect)',
          "--deselect",
          "tests/test_api.py::test_timeout",
          "--deselect tests/test_api.py::test_timeout",
          { citing: "citing acme/api#1, which is closed" },
        ),
      ],
    },
    {
      name: "a Surefire exclude citing an issue that does not exist",
      facts: withIssues(
        [
          changed(
            "pom.xml",
            "<project><build><plugins><plugin>\n<artifactId>maven-surefire-plugin</artifactId>\n<configuration><excludes>\n<exclude>**/FlakyIT.java</exclude> <!-- #404 -->\n</excludes></configuration>\n</plugin></plugins></build></project>",
            [4],
          ),
        ],
        { "acme/api#404": "missing" },
      ),
      findings: [
        expected(
          "pom.xml",
          4,
          'Excludes "**/FlakyIT.java" from Maven Surefire\'s run (<excludes>)',
          "<excludes>",
          "**/FlakyIT.java",
          "<exclude>**/FlakyIT.java</exclude> <!-- #404 -->",
          { citing: "citing acme/api#404, which does not exist or cannot be read" },
        ),
      ],
    },
    {
      name: "a package.json script whose commits cite nothing",
      facts: prScope({
        files: [changed("package.json", PACKAGE, [4])],
        commits: [commit("chore: tidy scripts")],
      }),
      findings: [
        expected(
          "package.json",
          4,
          'Excludes "/flaky/" from Jest\'s run (--testPathIgnorePatterns)',
          "--testPathIgnorePatterns",
          "/flaky/",
          '"test": "jest --testPathIgnorePatterns=/flaky/"',
          { commit: true },
        ),
      ],
    },
    {
      name: "a reference in package.json's commit message to a closed issue",
      facts: prScope(
        { files: [changed("package.json", PACKAGE, [4])], commits: [commit("test: skip flaky\n\nRefs: #1")] },
        { issues: { "acme/api#1": "closed" } },
      ),
      findings: [
        expected(
          "package.json",
          4,
          'Excludes "/flaky/" from Jest\'s run (--testPathIgnorePatterns)',
          "--testPathIgnorePatterns",
          "/flaky/",
          '"test": "jest --testPathIgnorePatterns=/flaky/"',
          { commit: true, citing: "citing acme/api#1, which is closed" },
        ),
      ],
    },
    {
      name: "go test narrowed with -run",
      facts: withIssues([changed("Makefile", "test:\n\tgo test -run TestUnit ./...", [2])]),
      findings: [
        expected(
          "Makefile",
          2,
          'Narrows go test\'s run to "TestUnit" (-run), leaving every other test out',
          "-run",
          "TestUnit",
          "go test -run TestUnit ./...",
        ),
      ],
    },
    {
      name: "a continued command reported from its first line to its last",
      facts: withIssues([changed("scripts/test.sh", "cargo test \\\n  -- --skip network", [2])]),
      findings: [
        {
          ...expected(
            "scripts/test.sh",
            1,
            'Excludes "network" from cargo test\'s run (--skip)',
            "--skip",
            "network",
            "cargo test \\",
          ),
          endLine: 2,
        },
      ],
    },
  ],
  notEvaluated: [
    {
      name: "the changed files were not gathered",
      facts: prScope({ files: undefined }),
      notEvaluated: "the pull request's changed files were not gathered",
    },
    {
      name: "a pom.xml that does not parse",
      facts: withIssues([changed("pom.xml", "<project><build></project>", [1])]),
      notEvaluated:
        /^1 changed configuration file\(s\) could not be read, so whether they take tests out of the run is unknown: pom\.xml \(.+\)$/,
    },
    {
      name: "GitHub left out the diff of a configuration file",
      facts: withIssues([{ path: "pytest.ini", status: "modified", binary: false }]),
      notEvaluated:
        "1 changed configuration file(s) could not be read, so whether they take tests out of the run is unknown: pytest.ini (no diff was given)",
    },
    {
      name: "an exclusion citing an issue that was not looked up",
      facts: prScope(
        { files: [changed("jest.config.ts", JEST('"/flaky/", // #5'), [5])] },
        { unavailable: { issues: "GITHUB_TOKEN is not set, so the cited issues could not be looked up" } },
      ),
      notEvaluated:
        "1 exclusion(s) cite a tracking issue that was not verified (GITHUB_TOKEN is not set, so the cited issues could not be looked up), so they neither pass nor fail: jest.config.ts:5 cites acme/api#5",
    },
  ],
});
