import { exclusionTable } from "../../../../test/support/exclusion-table.js";

exclusionTable("Gradle build scripts", [
  {
    name: "Groovy test task: tags, matching and file patterns",
    path: "build.gradle",
    source:
      "test {\n    useJUnitPlatform {\n        excludeTags 'slow'\n    }\n    filter {\n        excludeTestsMatching \"*.FlakyTest\"\n    }\n    exclude '**/legacy/**'\n}\n",
    found: [
      [3, "Gradle", "excludeTags", "slow"],
      [6, "Gradle", "excludeTestsMatching", "*.FlakyTest"],
      [8, "Gradle", "exclude", "**/legacy/**"],
    ],
  },
  {
    name: "Kotlin DSL and a disabled test task",
    path: "app/build.gradle.kts",
    source:
      'tasks.test {\n    useJUnitPlatform {\n        excludeTags("integration")\n    }\n}\ntasks.named<Test>("integrationTest") {\n    enabled = false\n}\n',
    found: [
      [3, "Gradle", "excludeTags", "integration"],
      [7, "Gradle", "enabled = false", "every test of the task"],
    ],
  },
  {
    name: "dependency exclusions are not test exclusions",
    path: "build.gradle",
    source:
      'dependencies {\n    testImplementation("junit:junit:4.13.2") {\n        exclude group: "org.hamcrest"\n    }\n}\nconfigurations.all {\n    exclude(group = "commons-logging")\n}\n',
    found: [],
  },
]);
