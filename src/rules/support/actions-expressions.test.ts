import { describe, expect, it } from "@jest/globals";
import { constantTruth } from "./actions-expressions.js";

describe("constantTruth", () => {
  it.each([
    ["false", false],
    ["true", true],
    [`\${{ false }}`, false],
    [`\${{ true }}`, true],
    ["0 == 1", false],
    [`\${{ 1 == 1 }}`, true],
    ["!true", false],
    [`\${{ !false }}`, true],
    ["'a' == 'A'", true],
    ["'yes' != 'yes'", false],
    ["1 == '1'", true],
    ["(1 > 2) || false", false],
    ["false && true", false],
    ["true && 0", false],
    ["null", false],
    ["''", false],
    ["'it''s'", true],
    ["0", false],
    ["1", true],
  ])("%s is %p", (expression, truth) => {
    expect(constantTruth(expression)).toBe(truth);
  });

  it.each([
    "github.event_name == 'push'",
    `\${{ matrix.experimental }}`,
    "always()",
    "false && github.ref == 'refs/heads/main' || true && env.SKIP",
    `\${{ false }} && \${{ true }}`,
    "success() && false",
    "'unclosed",
    "(true",
    "true false",
    "",
  ])("%s is not constant", (expression) => {
    expect(constantTruth(expression)).toBeUndefined();
  });
});
