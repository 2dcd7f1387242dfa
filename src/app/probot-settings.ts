/**
 * What both threads of a replica start Probot with (`main.ts`, `jobs-thread.ts`): the environment, and
 * Rulebook's GitHub client class with its throttling.
 */
import type { ProbotOctokit } from "probot";
import { DEFAULT_THROTTLE, rulebookOctokit } from "../github/octokit.js";
import type { RulebookConfig } from "./config.js";

interface ProbotSettings {
  env: NodeJS.ProcessEnv;
  Octokit: typeof ProbotOctokit;
}

export function probotSettings(config: RulebookConfig, env: NodeJS.ProcessEnv): ProbotSettings {
  // Probot would share its own throttling through REDIS_URL; Rulebook's limits are its own (octokit.ts,
  // content-budget.ts), so Probot is not given the URL.
  const { REDIS_URL: _shared, ...probotEnv } = env;
  return {
    env: probotEnv,
    Octokit: rulebookOctokit({ ...DEFAULT_THROTTLE, concurrency: config.githubConcurrency }),
  };
}
