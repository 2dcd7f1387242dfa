import { describe, expect, it } from "@jest/globals";
import { exclusionsInCommandLine, negates } from "./command-line.js";

/** [command line, [runner, setting, excluded, effect]…] */
const CASES: Array<[string, Array<[string, string, string, "exclude" | "narrow"]>]> = [
  ["jest --testPathIgnorePatterns /flaky/", [["Jest", "--testPathIgnorePatterns", "/flaky/", "exclude"]]],
  ["npx jest --testPathIgnorePatterns=e2e", [["Jest", "--testPathIgnorePatterns", "e2e", "exclude"]]],
  ['yarn jest -t "^(?!.*slow)"', [["Jest", "-t", "^(?!.*slow)", "exclude"]]],
  ["pnpm exec jest -t login", [["Jest", "-t", "login", "narrow"]]],
  ["vitest run --exclude '**/legacy/**'", [["Vitest", "--exclude", "**/legacy/**", "exclude"]]],
  ["mocha --grep @flaky --invert", [["Mocha", "--grep", "@flaky", "exclude"]]],
  ["mocha -g smoke", [["Mocha", "-g", "smoke", "narrow"]]],
  ["npx playwright test --grep-invert @slow", [["Playwright", "--grep-invert", "@slow", "exclude"]]],
  ["playwright show-report --grep x", []],
  [
    "python -m pytest --deselect tests/test_a.py::test_b",
    [["pytest", "--deselect", "tests/test_a.py::test_b", "exclude"]],
  ],
  ["poetry run pytest --ignore=tests/integration", [["pytest", "--ignore", "tests/integration", "exclude"]]],
  ['pytest -m "not slow and not network"', [["pytest", "-m", "not slow and not network", "exclude"]]],
  ["pytest -k login", [["pytest", "-k", "login", "narrow"]]],
  ["go test ./... -skip 'TestA|TestB'", [["go test", "-skip", "TestA|TestB", "exclude"]]],
  ["go test -run=TestUnit ./pkg", [["go test", "-run", "TestUnit", "narrow"]]],
  ["go test -short ./...", [["go test", "-short", "tests that call testing.Short()", "exclude"]]],
  ["go vet ./... -run x", []],
  ["mvn -B verify -DskipTests", [["Maven Surefire", "-DskipTests", "every test", "exclude"]]],
  ["./mvnw test -Dmaven.test.skip=true", [["Maven Surefire", "-Dmaven.test.skip", "every test", "exclude"]]],
  ["mvn verify -DskipTests=false", []],
  ["mvn test '-Dtest=!FlakyTest'", [["Maven Surefire", "-Dtest", "FlakyTest", "exclude"]]],
  ["mvn verify -DexcludedGroups=slow", [["Maven Surefire", "-DexcludedGroups", "slow", "exclude"]]],
  ["./gradlew build -x test", [["Gradle", "-x", "the test task", "exclude"]]],
  ["./gradlew build -x javadoc", []],
  ["gradle test --tests '*UnitTest'", [["Gradle", "--tests", "*UnitTest", "narrow"]]],
  ["bundle exec rspec --tag ~slow", [["RSpec", "--tag", "~slow", "exclude"]]],
  ["rspec --exclude-pattern 'spec/legacy/**'", [["RSpec", "--exclude-pattern", "spec/legacy/**", "exclude"]]],
  ["bin/rails test -n '/^(?!.*flaky)/'", [["minitest", "-n", "/^(?!.*flaky)/", "exclude"]]],
  ['TESTOPTS="--exclude /slow/" rake test', [["minitest", "--exclude", "/slow/", "exclude"]]],
  ["cargo test -- --skip network", [["cargo test", "--skip", "network", "exclude"]]],
  ["cargo nextest run -E 'not test(flaky)'", [["cargo-nextest", "-E", "not test(flaky)", "exclude"]]],
  ["cargo build --release", []],
  [
    'dotnet test --filter "Category!=Integration"',
    [[".NET test", "--filter", "Category!=Integration", "exclude"]],
  ],
  [
    'dotnet test --filter "FullyQualifiedName~Unit"',
    [[".NET test", "--filter", "FullyQualifiedName~Unit", "narrow"]],
  ],
  ["vendor/bin/phpunit --exclude-group slow", [["PHPUnit", "--exclude-group", "slow", "exclude"]]],
  [
    "npm ci && npx jest --testPathIgnorePatterns x # see #1",
    [["Jest", "--testPathIgnorePatterns", "x", "exclude"]],
  ],
  ["echo 'jest --testPathIgnorePatterns x'", []],
  ["jest --coverage --maxWorkers=2 --ci", []],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
  ["go test -run ${{ matrix.pattern }} ./...", [["go test", "-run", "${{ matrix.pattern }}", "narrow"]]],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
  ['go test ./... -skip "${{ inputs.skip }}"', [["go test", "-skip", "${{ inputs.skip }}", "exclude"]]],
];

describe("command lines", () => {
  it.each(CASES)("%s", (line, expected) => {
    expect(exclusionsInCommandLine(line).map((f) => [f.runner, f.setting, f.excluded, f.effect])).toEqual(
      expected,
    );
  });
});

describe("negating expressions", () => {
  it.each([
    ["not slow", true],
    ["unit and not (db or network)", true],
    ["Category!=Slow", true],
    ["Name!~Flaky", true],
    ["^(?!.*flaky)", true],
    ["~slow", true],
    ["all() - test(flaky)", true],
    ["slow", false],
    ["notify", false],
    ["Category=Unit", false],
  ])("%s: %s", (expression, negated) => {
    expect(negates(expression)).toBe(negated);
  });
});
