import { describe, expect, it } from "@jest/globals";
import { testActionOf, testRunnerOf } from "./test-commands.js";

const words = (command: string) => command.split(" ");

describe("testRunnerOf", () => {
  it.each([
    ["npm test", "npm test"],
    ["npm t", "npm t"],
    ["npm run test:unit -- --ci", "npm run test:unit"],
    ["npm --prefix web test", "npm test"],
    ["npm ci", undefined],
    ["npm run lint", undefined],
    ["npm run testing-library-setup", undefined],
    ["yarn test", "yarn test"],
    ["yarn test:e2e", "yarn test:e2e"],
    ["pnpm --filter api test", "pnpm test"],
    ["pnpm run build", undefined],
    ["bun test", "bun test"],
    ["npx jest --ci", "jest"],
    ["npx --yes vitest run", "vitest"],
    ["./node_modules/.bin/mocha", "mocha"],
    ["CI=true FORCE_COLOR=0 jest", "jest"],
    ["npx playwright test", "playwright test"],
    ["npx playwright install --with-deps", undefined],
    ["pytest -q tests/", "pytest"],
    ["python -m pytest", "pytest"],
    ["python3 -m unittest discover", "unittest"],
    ["poetry run pytest", "pytest"],
    ["uv run --frozen pytest", "pytest"],
    ["coverage run -m pytest", "pytest"],
    ["tox -e py312", "tox"],
    ["nox -s tests", "nox"],
    ["go test ./...", "go test"],
    ["go vet ./...", undefined],
    ["cargo test --all", "cargo test"],
    ["cargo nextest run", "cargo nextest"],
    ["cargo build --release", undefined],
    ["mvn -B verify", "mvn verify"],
    ["./mvnw -q test", "mvnw test"],
    ["mvn -B package -DskipTests", undefined],
    ["./gradlew check", "gradlew check"],
    ["./gradlew :app:integrationTest", "gradlew :app:integrationTest"],
    ["./gradlew assemble", undefined],
    ["bundle exec rspec", "rspec"],
    ["bundle exec rake test", "rake test"],
    ["bundle exec rubocop", undefined],
    ["vendor/bin/phpunit", "phpunit"],
    ["php artisan test", "php artisan test"],
    ["dotnet test --no-build", "dotnet test"],
    ["dotnet build", undefined],
    ["make test", "make test"],
    ["make -C backend check", "make check"],
    ["make lint", undefined],
    ["ctest --output-on-failure", "ctest"],
    ["sudo -E xvfb-run -a npm test", "npm test"],
    ["timeout 10m go test ./...", "go test"],
    ["echo npm test", undefined],
    ["", undefined],
  ])("%s runs %p", (command, runner) => {
    expect(testRunnerOf(command === "" ? [] : words(command))).toBe(runner);
  });
});

describe("testActionOf", () => {
  it("names well-known test actions whatever their version or case, and nothing else", () => {
    expect(testActionOf("cypress-io/github-action@v6")).toBe("cypress-io/github-action");
    expect(testActionOf("ReactiveCircus/android-emulator-runner@v2")).toBe(
      "reactivecircus/android-emulator-runner",
    );
    expect(testActionOf("actions/upload-artifact@v4")).toBeUndefined();
  });
});
