/** The fake's default routes, one module per area of GitHub's API. */
import { Router } from "../router.js";
import { registerApps } from "./apps.js";
import { registerChecks } from "./checks.js";
import { registerGitData } from "./git-data.js";
import { registerIssues } from "./issues.js";
import { registerPulls } from "./pulls.js";
import { registerRepos } from "./repos.js";
import { registerRulesets } from "./rulesets.js";

export const defaultRouter: Router = [
  registerApps,
  registerRepos,
  registerGitData,
  registerPulls,
  registerChecks,
  registerIssues,
  registerRulesets,
].reduce((router, register) => register(router), new Router());
