/**
 * Exclusions in XML build and runner configuration: Maven's `pom.xml` (Surefire and Failsafe) and
 * PHPUnit's `phpunit.xml`. Read with @xmldom/xmldom, whose nodes carry their line numbers. Pure.
 */
import { DOMParser, type Element, type Node } from "@xmldom/xmldom";
import type { DetectedExclusion, Found } from "./types.js";

const COMMENT_NODE = 8;
const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

function parseXml(source: string): { root: Element } | { unparsed: string } {
  let problem: string | undefined;
  try {
    const doc = new DOMParser({
      onError: (level, message) => {
        if (level !== "warning") problem ??= message;
      },
    }).parseFromString(source, "text/xml");
    if (problem !== undefined || !doc.documentElement) return { unparsed: problem ?? "no root element" };
    return { root: doc.documentElement };
  } catch (error) {
    return { unparsed: problem ?? (error as Error).message };
  }
}

function elements(parent: Node, name?: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling)
    if (node.nodeType === ELEMENT_NODE && (name === undefined || (node as Element).localName === name))
      found.push(node as Element);
  return found;
}

function descendants(parent: Element, name: string): Element[] {
  return [...parent.getElementsByTagName(name)];
}

const textOf = (element: Element) => (element.textContent ?? "").trim();

/** The comments just before an element (only blanks between) and on its line after it. */
function commentsBeside(element: Element): string[] {
  const comments: string[] = [];
  for (let node = element.previousSibling; node; node = node.previousSibling) {
    if (node.nodeType === COMMENT_NODE) comments.unshift((node as unknown as { data: string }).data);
    else if (node.nodeType !== TEXT_NODE || (node.textContent ?? "").trim() !== "") break;
  }
  for (let node = element.nextSibling; node; node = node.nextSibling) {
    if (node.nodeType === COMMENT_NODE && node.lineNumber === element.lineNumber)
      comments.push((node as unknown as { data: string }).data);
    else if (node.nodeType !== TEXT_NODE || (node.textContent ?? "").includes("\n")) break;
  }
  return comments;
}

const at = (element: Element, found: Found): DetectedExclusion => ({
  ...found,
  line: element.lineNumber ?? 1,
  comments: commentsBeside(element),
});

const SKIPPING = new Set(["skipTests", "skip", "skipITs", "skipExec", "maven.test.skip", "skipUTs"]);

/** Surefire's and Failsafe's `<excludes>`, `<excludedGroups>`, `<skipTests>`, `<test>!…</test>`, and the
 * properties that skip them. */
export function mavenExclusions(source: string): DetectedExclusion[] | { unparsed: string } {
  const parsed = parseXml(source);
  if ("unparsed" in parsed) return parsed;
  const found: DetectedExclusion[] = [];
  for (const properties of descendants(parsed.root, "properties")) {
    for (const property of elements(properties)) {
      const name = property.localName ?? "";
      if (SKIPPING.has(name) && textOf(property) === "true")
        found.push(
          at(property, {
            runner: /IT/.test(name) ? "Maven Failsafe" : "Maven Surefire",
            setting: `<${name}>`,
            excluded: "every test",
            effect: "exclude",
          }),
        );
      if (name === "surefire.excludedGroups" || name === "excludedGroups")
        found.push(
          at(property, {
            runner: "Maven Surefire",
            setting: `<${name}>`,
            excluded: textOf(property),
            effect: "exclude",
          }),
        );
    }
  }
  for (const plugin of descendants(parsed.root, "plugin")) {
    const artifact = elements(plugin, "artifactId").map(textOf)[0] ?? "";
    const runner =
      artifact === "maven-surefire-plugin"
        ? "Maven Surefire"
        : artifact === "maven-failsafe-plugin"
          ? "Maven Failsafe"
          : undefined;
    if (!runner) continue;
    for (const configuration of descendants(plugin, "configuration")) {
      for (const setting of elements(configuration)) {
        const name = setting.localName ?? "";
        const value = textOf(setting);
        if (SKIPPING.has(name) && value === "true")
          found.push(
            at(setting, { runner, setting: `<${name}>`, excluded: "every test", effect: "exclude" }),
          );
        else if (name === "excludes")
          for (const exclude of elements(setting, "exclude"))
            found.push(
              at(exclude, { runner, setting: "<excludes>", excluded: textOf(exclude), effect: "exclude" }),
            );
        else if (name === "excludedGroups" || name === "excludesFile")
          found.push(at(setting, { runner, setting: `<${name}>`, excluded: value, effect: "exclude" }));
        else if (name === "test")
          for (const pattern of value
            .split(",")
            .map((p) => p.trim())
            .filter((p) => p.startsWith("!")))
            found.push(
              at(setting, { runner, setting: "<test>", excluded: pattern.slice(1), effect: "exclude" }),
            );
      }
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** PHPUnit's `<testsuite><exclude>` and `<groups><exclude><group>`. */
export function phpunitExclusions(source: string): DetectedExclusion[] | { unparsed: string } {
  const parsed = parseXml(source);
  if ("unparsed" in parsed) return parsed;
  const found: DetectedExclusion[] = [];
  for (const suite of descendants(parsed.root, "testsuite"))
    for (const exclude of elements(suite, "exclude"))
      found.push(
        at(exclude, {
          runner: "PHPUnit",
          setting: "<testsuite><exclude>",
          excluded: textOf(exclude),
          effect: "exclude",
        }),
      );
  for (const groups of descendants(parsed.root, "groups"))
    for (const exclude of elements(groups, "exclude"))
      for (const group of elements(exclude, "group"))
        found.push(
          at(group, {
            runner: "PHPUnit",
            setting: "<groups><exclude>",
            excluded: textOf(group),
            effect: "exclude",
          }),
        );
  return found.sort((a, b) => a.line - b.line);
}
