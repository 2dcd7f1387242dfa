/**
 * The process entry: starts Probot's server with the app (or its setup flow when there are no
 * credentials yet) and stops it on SIGTERM or SIGINT, so a container or `npm start` stops cleanly.
 */
import { run } from "probot";
import app from "./index.js";

const server = await run(app);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: stopping the server\n`);
  await server.stop();
  process.exit(0);
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
