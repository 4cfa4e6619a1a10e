import { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { OptionError } from "../../errors.js";
import { startServer } from "../../serve/server.js";
import { integer, path } from "../parse.js";

interface ServeFlags {
  port: number;
  host?: string;
}

/** `minima serve [folder]`: the live dashboard of the folder's runs and studies, and the lab, in the browser. */
export function serveCommand(): Command {
  return new Command("serve")
    .description("a local web app: the runs and studies under the folder, live as they train, and the lab (optimizers racing on surfaces, schedules, the playground); read-only, on 127.0.0.1")
    .argument("[folder]", "the folder whose runs and studies to serve (searched to a depth of 6)", path("a folder"), ".")
    .option("--port <n>", "the port (0: any free one)", integer(0, 65535), 8077)
    .option("--host <address>", "listen on this address instead of 127.0.0.1; any other than loopback exposes the runs to the network, so it prints a warning and requires a random token in the URL")
    .action(async (folder: string, flags: ServeFlags) => {
      const root = resolve(folder);
      if (!existsSync(root) || !statSync(root).isDirectory()) throw new OptionError({ where: "minima serve", what: `no folder at ${root}`, expected: "a folder holding runs (minima train's runs/) or studies" });
      const running = await startServer({ root, port: flags.port, ...(flags.host === undefined ? {} : { host: flags.host }) });
      console.log(`minima serve: ${root}`);
      console.log(`open ${running.url}`);
      await new Promise<void>((done) => {
        const stop = () => { void running.close().then(done); };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
