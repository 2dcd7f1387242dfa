/** The package ships no types; these are the parts the commit-message and pr-title rules use. */
declare module "conventional-changelog-conventionalcommits" {
  /** How commitlint's parser reads `type(scope)!: subject` headers, notes and reverts. */
  export interface ConventionalCommitsParserOptions {
    headerPattern: RegExp;
    breakingHeaderPattern: RegExp;
    headerCorrespondence: string[];
    noteKeywords: string[];
    revertPattern: RegExp;
    revertCorrespondence: string[];
    issuePrefixes: string[];
  }

  export default function createPreset(config?: { issuePrefixes?: string[] }): {
    parser: ConventionalCommitsParserOptions;
  };
}
