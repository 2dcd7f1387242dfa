import { exclusionTable } from "../../../../test/support/exclusion-table.js";

const POM = (configuration: string) =>
  `<project>\n  <build>\n    <plugins>\n      <plugin>\n        <artifactId>maven-surefire-plugin</artifactId>\n        <configuration>\n${configuration}\n        </configuration>\n      </plugin>\n    </plugins>\n  </build>\n</project>`;

exclusionTable("pom.xml and phpunit.xml", [
  {
    name: "Surefire excludes, excludedGroups and a negated test",
    path: "pom.xml",
    source: POM(
      "          <excludes>\n            <exclude>**/FlakyTest.java</exclude>\n          </excludes>\n          <excludedGroups>slow</excludedGroups>\n          <test>!LegacyTest</test>",
    ),
    found: [
      [8, "Maven Surefire", "<excludes>", "**/FlakyTest.java"],
      [10, "Maven Surefire", "<excludedGroups>", "slow"],
      [11, "Maven Surefire", "<test>", "LegacyTest"],
    ],
  },
  {
    name: "skip properties and Failsafe's skipITs",
    path: "modules/api/pom.xml",
    source:
      "<project>\n  <properties>\n    <skipTests>true</skipTests>\n    <java.version>21</java.version>\n  </properties>\n  <build><plugins><plugin>\n    <artifactId>maven-failsafe-plugin</artifactId>\n    <configuration><skipITs>true</skipITs></configuration>\n  </plugin></plugins></build>\n</project>",
    found: [
      [3, "Maven Surefire", "<skipTests>", "every test"],
      [8, "Maven Failsafe", "<skipITs>", "every test"],
    ],
  },
  {
    name: "other plugins' excludes are not test exclusions",
    path: "pom.xml",
    source:
      "<project><build><plugins><plugin>\n<artifactId>maven-jar-plugin</artifactId>\n<configuration><excludes><exclude>**/*.properties</exclude></excludes></configuration>\n</plugin></plugins></build></project>",
    found: [],
  },
  {
    name: "a pom.xml that does not parse",
    path: "pom.xml",
    source: "<project><build></project>",
    found: { unparsed: "" },
  },
  {
    name: "PHPUnit testsuite and group exclusions",
    path: "phpunit.xml.dist",
    source:
      '<phpunit>\n  <testsuites>\n    <testsuite name="unit">\n      <directory>tests</directory>\n      <exclude>tests/Legacy</exclude>\n    </testsuite>\n  </testsuites>\n  <groups>\n    <exclude>\n      <group>slow</group>\n    </exclude>\n  </groups>\n</phpunit>',
    found: [
      [5, "PHPUnit", "<testsuite><exclude>", "tests/Legacy"],
      [10, "PHPUnit", "<groups><exclude>", "slow"],
    ],
  },
]);
