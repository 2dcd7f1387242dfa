import { exclusionTable } from "../../../../test/support/exclusion-table.js";

exclusionTable("cargo-nextest configuration", [
  {
    name: "a negating default-filter",
    path: ".config/nextest.toml",
    source: '[profile.default]\nretries = 2\n\n[profile.ci]\ndefault-filter = "not test(flaky)"\n',
    found: [[5, "cargo-nextest", "default-filter", "not test(flaky)"]],
  },
  {
    name: "a filter that names a package only is not reported",
    path: ".config/nextest.toml",
    source: '[profile.ci]\ndefault-filter = "package(api)"\nslow-timeout = "60s"\n',
    found: [],
  },
]);
