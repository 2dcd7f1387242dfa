/**
 * Configuration changes that leave every test in the run (timeouts, reporters, coverage, parallelism,
 * verbosity, caching, ignore patterns for build output, new jobs) and exclusions tracked by an open issue:
 * `test-exclusion` must report none of them. Every file is added whole by the pull request.
 */
import type { CorpusCase } from "./evasion-corpus.js";

const ok = (name: string, path: string, source: string): CorpusCase => ({ name, path, source, lines: [] });

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

export const EXCLUSION_LEGITIMATE: CorpusCase[] = [
  // Jest
  ok("Jest timeout", "jest.config.js", "module.exports = {\n  testTimeout: 20000,\n};"),
  ok(
    "Jest reporters",
    "jest.config.js",
    "module.exports = {\n  reporters: ['default', ['jest-junit', { outputDirectory: 'reports' }]],\n};",
  ),
  ok(
    "Jest coverage settings",
    "jest.config.ts",
    "export default {\n  collectCoverage: true,\n  coveragePathIgnorePatterns: ['/node_modules/', '/src/generated/'],\n  coverageThreshold: { global: { lines: 80 } },\n};",
  ),
  ok(
    "Jest ignores build output",
    "jest.config.js",
    "module.exports = {\n  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/.next/'],\n};",
  ),
  ok(
    "Jest workers and cache",
    "jest.config.js",
    "module.exports = {\n  maxWorkers: '50%',\n  cacheDirectory: '.jest-cache',\n};",
  ),
  ok(
    "Jest testMatch narrowed to the same files",
    "jest.config.js",
    "module.exports = {\n  testMatch: ['**/?(*.)+(spec|test).[jt]s?(x)'],\n};",
  ),
  ok("Jest verbose and bail", "jest.config.js", "module.exports = { verbose: true, bail: 1 };"),
  ok(
    "Jest watchPathIgnorePatterns",
    "jest.config.js",
    "module.exports = {\n  watchPathIgnorePatterns: ['/fixtures/'],\n};",
  ),
  ok(
    "Jest exclusion tracked by an open issue",
    "jest.config.js",
    "module.exports = {\n  // Quarantined until #123 is fixed: the sandbox drops connections.\n  testPathIgnorePatterns: ['/node_modules/', '/payments/'],\n};",
  ),
  ok(
    "Jest exclusion citing another repository's open issue",
    "jest.config.js",
    "module.exports = {\n  testPathIgnorePatterns: ['/e2e/'], // acme/web#77\n};",
  ),
  ok(
    "a CI script running jest with coverage",
    "package.json",
    '{\n  "scripts": {\n    "test": "jest --ci --coverage --maxWorkers=2",\n    "test:watch": "jest --watch"\n  }\n}',
  ),
  ok("a sharded jest run", ".github/workflows/ci.yml", workflow("npx jest --shard=1/4 --ci")),
  // Vitest
  ok(
    "Vitest coverage exclude",
    "vitest.config.ts",
    "export default defineConfig({\n  test: {\n    coverage: { provider: 'v8', exclude: ['src/generated/**'] },\n  },\n});",
  ),
  ok(
    "Vitest pool and threads",
    "vitest.config.ts",
    "export default defineConfig({\n  test: { pool: 'threads', poolOptions: { threads: { singleThread: true } } },\n});",
  ),
  ok(
    "Vitest include narrowed to the same files",
    "vitest.config.ts",
    "export default defineConfig({\n  test: { include: ['src/**/*.test.ts'] },\n});",
  ),
  ok(
    "Vitest exclude of node_modules and dist only",
    "vitest.config.ts",
    "export default defineConfig({\n  test: { exclude: ['**/node_modules/**', '**/dist/**'] },\n});",
  ),
  ok(
    "Vite server watch ignore",
    "vite.config.ts",
    "export default defineConfig({\n  server: { watch: { ignored: ['**/coverage/**'] } },\n  build: { rollupOptions: { external: ['fsevents'] } },\n});",
  ),
  ok(
    "Vitest reporters",
    "package.json",
    '{\n  "scripts": {\n    "test": "vitest run --reporter=verbose --coverage"\n  }\n}',
  ),
  // Mocha
  ok("Mocha timeout and reporter", ".mocharc.yml", "timeout: 10000\nreporter: spec\nrecursive: true\n"),
  ok(
    "Mocha require and spec",
    ".mocharc.json",
    '{\n  "require": "ts-node/register",\n  "spec": "test/**/*.spec.ts"\n}',
  ),
  ok("Mocha parallel", ".mocharc.js", "module.exports = { parallel: true, jobs: 4 };"),
  ok(
    "Mocha retries in a script",
    "package.json",
    '{\n  "scripts": {\n    "test": "mocha --retries 2 --reporter dot"\n  }\n}',
  ),
  ok(
    "Mocha ignore tracked in the comment above",
    ".mocharc.yml",
    "spec: test/**/*.js\n# Until #123 is fixed.\nignore:\n  - test/legacy/**\n",
  ),
  // Playwright
  ok(
    "Playwright retries and workers",
    "playwright.config.ts",
    "export default defineConfig({\n  retries: process.env.CI ? 2 : 0,\n  workers: process.env.CI ? 1 : undefined,\n});",
  ),
  ok(
    "Playwright projects each with a grep",
    "playwright.config.ts",
    "export default defineConfig({\n  projects: [\n    { name: 'smoke', grep: /@smoke/ },\n    { name: 'full', use: { viewport: null } },\n  ],\n});",
  ),
  ok(
    "Playwright reporter and trace",
    "playwright.config.ts",
    "export default defineConfig({\n  reporter: [['html', { open: 'never' }]],\n  use: { trace: 'on-first-retry' },\n});",
  ),
  ok(
    "Playwright install step",
    ".github/workflows/e2e.yml",
    workflow("npx playwright install --with-deps", "npx playwright test --reporter=line"),
  ),
  // pytest
  ok("pytest verbosity and durations", "pytest.ini", "[pytest]\naddopts = -ra -q --durations=10\n"),
  ok("pytest xdist", "pytest.ini", "[pytest]\naddopts = -n auto --dist loadscope\n"),
  ok(
    "pytest markers declared",
    "pytest.ini",
    "[pytest]\nmarkers =\n    slow: marks tests as slow\n    network: needs the network\n",
  ),
  ok(
    "pytest timeout and filterwarnings",
    "pyproject.toml",
    '[tool.pytest.ini_options]\ntimeout = 60\nfilterwarnings = ["error", "ignore::DeprecationWarning"]\n',
  ),
  ok(
    "pytest testpaths",
    "pyproject.toml",
    '[tool.pytest.ini_options]\ntestpaths = ["tests"]\naddopts = "--strict-markers"\n',
  ),
  ok(
    "pytest norecursedirs of build output",
    "setup.cfg",
    "[tool:pytest]\nnorecursedirs = .git .tox build dist *.egg node_modules\n",
  ),
  ok(
    "pytest coverage options",
    "setup.cfg",
    "[tool:pytest]\naddopts = --cov=api --cov-report=xml\n\n[coverage:run]\nomit = api/migrations/*\n",
  ),
  ok(
    "flake8 excludes in setup.cfg",
    "setup.cfg",
    "[flake8]\nexclude = .git,__pycache__,tests/fixtures\nmax-line-length = 100\n",
  ),
  ok(
    "tox envs running the whole suite",
    "tox.ini",
    "[tox]\nenvlist = py311,py312\n\n[testenv]\ndeps = pytest\ncommands = pytest {posargs}\n",
  ),
  ok(
    "a noxfile that installs and runs everything",
    "noxfile.py",
    "import nox\n\n@nox.session\ndef tests(session):\n    session.install('-e', '.[test]')\n    session.run('pytest', '--cov', '-n', 'auto')\n",
  ),
  ok(
    "a conftest with fixtures only",
    "conftest.py",
    "import pytest\n\n@pytest.fixture\ndef client(app):\n    return app.test_client()\n",
  ),
  ok(
    "a conftest hook that only adds markers",
    "conftest.py",
    'def pytest_collection_modifyitems(config, items):\n    for item in items:\n        if "db" in item.fixturenames:\n            item.add_marker("db")\n',
  ),
  ok(
    "a conftest hook that reorders",
    "conftest.py",
    "def pytest_collection_modifyitems(items):\n    items.sort(key=lambda item: item.name)\n",
  ),
  ok(
    "pytest deselect tracked by an issue URL",
    "pytest.ini",
    "[pytest]\naddopts =\n    # https://github.com/acme/api/issues/123\n    --deselect tests/test_api.py::test_timeout\n",
  ),
  ok(
    "collect_ignore of a setup script",
    "conftest.py",
    '# setup.py is not a test module, and #123 tracks moving it.\ncollect_ignore = ["setup.py"]\n',
  ),
  // go
  ok(
    "go test with race and coverage",
    "Makefile",
    "test:\n\tgo test -race -coverprofile=coverage.out ./...\n",
  ),
  ok("go test verbose with a timeout", ".github/workflows/go.yml", workflow("go test -v -timeout 10m ./...")),
  ok(
    "a matrix of Go versions",
    ".github/workflows/go.yml",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    workflow("go test -race ./... # go ${{ matrix.go }}", "go build ${{ matrix.flags }} ./..."),
  ),
  ok("go vet and build", "Makefile", "lint:\n\tgo vet ./...\nbuild:\n\tgo build -o bin/api ./cmd/api\n"),
  ok("go test count and parallelism", "scripts/test.sh", "#!/bin/sh\ngo test -count=1 -p 4 ./...\n"),
  // Gradle and Maven
  ok(
    "Gradle test logging and forks",
    "build.gradle",
    "test {\n    useJUnitPlatform()\n    maxParallelForks = 4\n    testLogging { events 'failed' }\n}\n",
  ),
  ok(
    "Gradle dependency exclusion",
    "build.gradle.kts",
    'dependencies {\n    testImplementation("org.springframework.boot:spring-boot-starter-test") {\n        exclude(group = "org.junit.vintage")\n    }\n}\n',
  ),
  ok(
    "Gradle build with parallel and cache",
    ".github/workflows/gradle.yml",
    workflow("./gradlew build --parallel --build-cache"),
  ),
  ok("Gradle skips javadoc only", "Makefile", "build:\n\t./gradlew build -x javadoc\n"),
  ok(
    "Surefire forks and reports",
    "pom.xml",
    "<project><build><plugins><plugin>\n<artifactId>maven-surefire-plugin</artifactId>\n<configuration>\n<forkCount>2</forkCount>\n<reuseForks>true</reuseForks>\n<redirectTestOutputToFile>true</redirectTestOutputToFile>\n</configuration>\n</plugin></plugins></build></project>",
  ),
  ok(
    "jar plugin excludes",
    "pom.xml",
    "<project><build><plugins><plugin>\n<artifactId>maven-jar-plugin</artifactId>\n<configuration><excludes><exclude>**/logback-test.xml</exclude></excludes></configuration>\n</plugin></plugins></build></project>",
  ),
  ok("Maven batch mode in CI", ".github/workflows/maven.yml", workflow("mvn -B -ntp verify")),
  ok("Maven skipTests false", "Makefile", "ci:\n\tmvn verify -DskipTests=false\n"),
  // Ruby, Rust, PHP, .NET
  ok(
    ".rspec formatter and order",
    ".rspec",
    "--require spec_helper\n--format documentation\n--order random\n",
  ),
  ok(
    "rspec with a JUnit formatter",
    ".github/workflows/rspec.yml",
    workflow("bundle exec rspec --format RspecJunitFormatter --out rspec.xml"),
  ),
  ok("cargo test all features", "scripts/test.sh", "#!/bin/sh\ncargo test --workspace --all-features\n"),
  ok(
    "nextest retries and slow timeout",
    ".config/nextest.toml",
    '[profile.ci]\nretries = 2\nslow-timeout = { period = "60s", terminate-after = 3 }\n',
  ),
  ok(
    "PHPUnit coverage source",
    "phpunit.xml",
    "<phpunit>\n  <source>\n    <include><directory>src</directory></include>\n    <exclude><directory>src/Legacy</directory></exclude>\n  </source>\n</phpunit>",
  ),
  ok(
    "dotnet test with a logger",
    ".github/workflows/dotnet.yml",
    workflow('dotnet test --logger "trx;LogFileName=results.trx"'),
  ),
  ok("a new lint job", ".github/workflows/lint.yml", workflow("npm ci", "npx eslint .", "npx tsc --noEmit")),
];
