/**
 * Attempts to take tests out of the run through configuration, build files and command lines, each with
 * the lines `test-exclusion` must report. Written in the idioms real projects use for Jest, Vitest, Mocha,
 * Playwright, pytest, go test, Gradle, Maven, RSpec, minitest, cargo, nextest, PHPUnit and .NET. Every
 * file is added whole by the pull request.
 */
import type { CorpusCase } from "./evasion-corpus.js";

const at = (name: string, path: string, source: string, lines: number[]): CorpusCase => ({
  name,
  path,
  source,
  lines,
});

const workflow = (...run: string[]) =>
  [
    "name: ci",
    "on: [push, pull_request]",
    "jobs:",
    "  test:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "      - run: |",
    ...run.map((line) => `          ${line}`),
  ].join("\n");

const surefire = (configuration: string) =>
  `<project>\n  <build>\n    <plugins>\n      <plugin>\n        <groupId>org.apache.maven.plugins</groupId>\n        <artifactId>maven-surefire-plugin</artifactId>\n        <configuration>\n${configuration}\n        </configuration>\n      </plugin>\n    </plugins>\n  </build>\n</project>`;

export const EXCLUSION_EVASIONS: CorpusCase[] = [
  // Jest
  at(
    "Jest ignores a flaky directory",
    "jest.config.js",
    'module.exports = {\n  testPathIgnorePatterns: ["/node_modules/", "/flaky/"],\n};',
    [2],
  ),
  at(
    "Jest ignore pattern on its own line",
    "jest.config.ts",
    'const config: Config = {\n  testPathIgnorePatterns: [\n    "/node_modules/",\n    "<rootDir>/src/payments/",\n  ],\n};\nexport default config;',
    [4],
  ),
  at(
    "Jest ignore in a project",
    "jest.config.mjs",
    "export default {\n  projects: [\n    { displayName: 'web', testPathIgnorePatterns: ['checkout.test.tsx'] },\n  ],\n};",
    [3],
  ),
  at(
    "Jest name filter with a negative lookahead",
    "jest.config.js",
    "module.exports = {\n  testNamePattern: '^(?!.*\\\\[flaky\\\\]).*$',\n};",
    [2],
  ),
  at(
    "Jest config in package.json",
    "package.json",
    '{\n  "name": "web",\n  "jest": {\n    "testPathIgnorePatterns": ["/node_modules/", "/e2e/"]\n  }\n}',
    [4],
  ),
  at(
    "Jest flag in the test script",
    "package.json",
    '{\n  "scripts": {\n    "test": "jest --ci --testPathIgnorePatterns=flaky"\n  }\n}',
    [3],
  ),
  at(
    "Jest -t filter in CI",
    ".github/workflows/ci.yml",
    workflow("npm ci", 'npx jest --ci -t "^(?!.*slow)"'),
    [10],
  ),
  at(
    "Jest reference hidden in a string, not a comment",
    "jest.config.js",
    "const issue = '#123';\nmodule.exports = { testPathIgnorePatterns: ['/flaky/'] };",
    [2],
  ),
  at(
    "Jest reference to a closed issue",
    "jest.config.js",
    "module.exports = {\n  // quarantined, see #1\n  testPathIgnorePatterns: ['/flaky/'],\n};",
    [3],
  ),
  at(
    "Jest reference two lines above with code between",
    "jest.config.js",
    "// #123\nconst base = require('./jest.base');\nmodule.exports = { ...base, testPathIgnorePatterns: ['/flaky/'] };",
    [3],
  ),
  // Vitest
  at(
    "Vitest test.exclude with the defaults spread",
    "vitest.config.ts",
    "export default defineConfig({\n  test: {\n    exclude: [...configDefaults.exclude, 'src/legacy/**'],\n  },\n});",
    [3],
  ),
  at(
    "Vitest exclude in vite.config",
    "vite.config.mts",
    "export default defineConfig({\n  plugins: [vue()],\n  test: {\n    environment: 'jsdom',\n    exclude: ['**/*.slow.spec.ts'],\n  },\n});",
    [5],
  ),
  at(
    "Vitest exclude flag in a script",
    "package.json",
    '{\n  "scripts": {\n    "test": "vitest run --exclude \\"**/flaky/**\\""\n  }\n}',
    [3],
  ),
  at(
    "Vitest name filter negated",
    "vitest.config.ts",
    "export default defineConfig({\n  test: { testNamePattern: /^(?!.*quarantine)/ },\n});",
    [2],
  ),
  at(
    "Vitest workspace project exclude",
    "vitest.workspace.ts",
    "export default [\n  { test: { name: 'unit', exclude: ['test/integration/**'] } },\n];",
    [2],
  ),
  // Mocha
  at(
    "Mocha ignore in .mocharc.yml",
    ".mocharc.yml",
    "require: ts-node/register\nspec: test/**/*.spec.ts\nignore:\n  - test/integration/**\n",
    [4],
  ),
  at(
    "Mocha exclude in .mocharc.json",
    ".mocharc.json",
    '{\n  "spec": "test/**/*.js",\n  "exclude": ["test/flaky.spec.js"]\n}',
    [3],
  ),
  at(
    "Mocha inverted grep in .mocharc.js",
    ".mocharc.js",
    "module.exports = {\n  grep: '@flaky',\n  invert: true,\n};",
    [2],
  ),
  at(
    "Mocha inverted grep in a script",
    "package.json",
    '{\n  "scripts": {\n    "test": "mocha --grep @slow --invert"\n  }\n}',
    [3],
  ),
  at(
    "Mocha exclude in a Makefile",
    "Makefile",
    "test:\n\tnpx mocha 'test/**/*.js' --exclude test/slow.spec.js\n",
    [2],
  ),
  // Playwright
  at(
    "Playwright grepInvert",
    "playwright.config.ts",
    "export default defineConfig({\n  testDir: './e2e',\n  grepInvert: /@flaky/,\n});",
    [3],
  ),
  at(
    "Playwright testIgnore",
    "playwright.config.ts",
    "export default defineConfig({\n  testIgnore: ['**/checkout.spec.ts'],\n});",
    [2],
  ),
  at(
    "Playwright top-level grep",
    "playwright.config.js",
    "module.exports = defineConfig({\n  grep: /@smoke/,\n  workers: 4,\n});",
    [2],
  ),
  at(
    "Playwright grep-invert in CI",
    ".github/workflows/e2e.yml",
    workflow("npx playwright install --with-deps", "npx playwright test --grep-invert @slow"),
    [10],
  ),
  // pytest
  at(
    "pytest deselect in pytest.ini",
    "pytest.ini",
    "[pytest]\naddopts = -ra --deselect tests/test_api.py::test_timeout\n",
    [2],
  ),
  at(
    "pytest marker expression in pytest.ini",
    "pytest.ini",
    '[pytest]\nmarkers =\n    slow: slow tests\naddopts =\n    -m "not slow"\n',
    [5],
  ),
  at(
    "pytest -k in pyproject.toml",
    "pyproject.toml",
    '[tool.pytest.ini_options]\nminversion = "8.0"\naddopts = "-ra -k \'not test_sync_remote\'"\n',
    [3],
  ),
  at(
    "pytest ignore in setup.cfg",
    "setup.cfg",
    "[metadata]\nname = api\n\n[tool:pytest]\naddopts = --ignore=tests/integration\n",
    [5],
  ),
  at(
    "pytest norecursedirs naming a test directory",
    "pytest.ini",
    "[pytest]\nnorecursedirs = .git .tox tests/legacy\n",
    [2],
  ),
  at(
    "pytest deselect in tox commands",
    "tox.ini",
    "[testenv]\ndeps = -r requirements-dev.txt\ncommands =\n    pytest --deselect tests/test_db.py::test_migrations {posargs}\n",
    [4],
  ),
  at(
    "pytest in a noxfile",
    "noxfile.py",
    "import nox\n\n\n@nox.session(python=['3.11', '3.12'])\ndef tests(session):\n    session.install('-r', 'requirements.txt')\n    session.run('pytest', '-m', 'not network')\n",
    [7],
  ),
  at("collect_ignore in conftest", "conftest.py", 'collect_ignore = ["tests/test_legacy_api.py"]\n', [1]),
  at("collect_ignore_glob in conftest", "tests/conftest.py", 'collect_ignore_glob = ["*_flaky.py"]\n', [1]),
  at(
    "collect_ignore appended under a condition",
    "conftest.py",
    'import sys\n\ncollect_ignore = []\nif sys.platform == "win32":\n    collect_ignore.append("tests/test_signals.py")\n',
    [5],
  ),
  at(
    "a collection hook that deselects",
    "conftest.py",
    'def pytest_collection_modifyitems(config, items):\n    flaky = [i for i in items if i.get_closest_marker("flaky")]\n    config.hook.pytest_deselected(items=flaky)\n    items[:] = [i for i in items if i not in flaky]\n',
    [3, 4],
  ),
  at(
    "an ignore_collect hook",
    "conftest.py",
    'def pytest_ignore_collect(collection_path, config):\n    return collection_path.name.startswith("test_slow")\n',
    [1],
  ),
  at(
    "pytest reference in the marker string",
    "pytest.ini",
    '[pytest]\naddopts = -m "not slow and not issue_123"\n',
    [2],
  ),
  at(
    "pytest in a shell script",
    "scripts/test.sh",
    "#!/usr/bin/env bash\nset -e\npython -m pytest tests --deselect tests/test_io.py::test_big_file\n",
    [3],
  ),
  // go test
  at(
    "go test -skip in a Makefile",
    "Makefile",
    ".PHONY: test\ntest:\n\tgo test ./... -skip 'TestFlakyDial|TestSlowSync'\n",
    [3],
  ),
  at(
    "go test -run narrowing in CI",
    ".github/workflows/go.yml",
    workflow("go test -race -run 'TestUnit' ./..."),
    [9],
  ),
  at(
    "go test -skip from a workflow input",
    ".github/workflows/go.yml",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    workflow('go test ./... -skip "${{ inputs.quarantined }}"'),
    [9],
  ),
  at("go test -short in a script", "scripts/ci.sh", "#!/bin/sh\ngo test -short ./...\n", [2]),
  at(
    "go test -skip continued over lines",
    "scripts/ci.sh",
    "#!/bin/sh\ngo test ./... \\\n  -skip TestIntegration\n",
    [2],
  ),
  // Gradle
  at(
    "Gradle excludeTags",
    "build.gradle",
    "test {\n    useJUnitPlatform {\n        excludeTags 'slow'\n    }\n}\n",
    [3],
  ),
  at(
    "Gradle excludeTestsMatching in Kotlin DSL",
    "build.gradle.kts",
    'tasks.test {\n    filter {\n        excludeTestsMatching("*.FlakyTest")\n    }\n}\n',
    [3],
  ),
  at(
    "Gradle exclude pattern",
    "build.gradle",
    "tasks.withType(Test) {\n    exclude '**/integration/**'\n}\n",
    [2],
  ),
  at(
    "Gradle test task disabled",
    "build.gradle.kts",
    'tasks.named<Test>("test") {\n    enabled = false\n}\n',
    [2],
  ),
  at("Gradle -x test in CI", ".github/workflows/build.yml", workflow("./gradlew build -x test"), [9]),
  // Maven
  at(
    "Surefire excludes",
    "pom.xml",
    surefire(
      "          <excludes>\n            <exclude>**/PaymentGatewayTest.java</exclude>\n          </excludes>",
    ),
    [9],
  ),
  at("Surefire excludedGroups", "pom.xml", surefire("          <excludedGroups>slow</excludedGroups>"), [8]),
  at(
    "skipTests property",
    "pom.xml",
    "<project>\n  <properties>\n    <skipTests>true</skipTests>\n  </properties>\n</project>",
    [3],
  ),
  at("-DskipTests in CI", ".github/workflows/maven.yml", workflow("mvn -B package -DskipTests"), [9]),
  at(
    "-Dtest negation in a script",
    "ci/build.sh",
    "#!/bin/bash\nmvn test -Dtest='!FlakyIT,!SlowTest'\n",
    [2, 2],
  ),
  at("Failsafe skipITs on the command line", "Makefile", "verify:\n\t./mvnw verify -DskipITs\n", [2]),
  // RSpec and minitest
  at("RSpec tag exclusion in .rspec", ".rspec", "--require spec_helper\n--tag ~slow\n", [2]),
  at(
    "RSpec exclude pattern",
    ".rspec",
    "--require rails_helper\n--exclude-pattern spec/features/**/*_spec.rb\n",
    [2],
  ),
  at(
    "RSpec tag exclusion in CI",
    ".github/workflows/rspec.yml",
    workflow("bundle exec rspec --tag ~flaky"),
    [9],
  ),
  at("minitest negated name filter", "Makefile", "test:\n\tbin/rails test -n '/^(?!.*flaky)/'\n", [2]),
  at(
    "minitest exclude through TESTOPTS",
    "scripts/test.sh",
    '#!/bin/sh\nTESTOPTS="--exclude /slow/" bundle exec rake test\n',
    [2],
  ),
  // Rust
  at("cargo test --skip", "scripts/test.sh", "#!/bin/sh\ncargo test --workspace -- --skip network\n", [2]),
  at(
    "nextest negated filter in CI",
    ".github/workflows/rust.yml",
    workflow("cargo nextest run -E 'not test(flaky)'"),
    [9],
  ),
  at(
    "nextest default-filter",
    ".config/nextest.toml",
    '[profile.ci]\nfail-fast = false\ndefault-filter = "not test(/^network::/)"\n',
    [3],
  ),
  // PHPUnit and .NET
  at(
    "PHPUnit testsuite exclude",
    "phpunit.xml",
    '<phpunit bootstrap="vendor/autoload.php">\n  <testsuites>\n    <testsuite name="default">\n      <directory>tests</directory>\n      <exclude>tests/Integration</exclude>\n    </testsuite>\n  </testsuites>\n</phpunit>',
    [5],
  ),
  at(
    "PHPUnit group exclude",
    "phpunit.xml.dist",
    "<phpunit>\n  <groups>\n    <exclude>\n      <group>flaky</group>\n    </exclude>\n  </groups>\n</phpunit>",
    [4],
  ),
  at(
    "PHPUnit --exclude-group in composer's CI",
    ".github/workflows/php.yml",
    workflow("vendor/bin/phpunit --exclude-group slow"),
    [9],
  ),
  at(
    "dotnet filter with !=",
    ".github/workflows/dotnet.yml",
    workflow('dotnet test --no-build --filter "Category!=Integration"'),
    [9],
  ),
  at(
    "dotnet filter with !~",
    "build.sh",
    '#!/bin/bash\ndotnet test --filter "FullyQualifiedName!~Flaky"\n',
    [2],
  ),
];
