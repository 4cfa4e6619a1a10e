import { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { OptionError } from "../../errors.js";
import { networkInterfaces } from "node:os";
import { startServer, type RunningServer } from "../../serve/server.js";
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
      if (!existsSync(root)) throw new OptionError({ where: "minima serve", what: `no folder at ${root}`, expected: "a folder holding runs (minima train's runs/) or studies" });
      if (!statSync(root).isDirectory()) throw new OptionError({ where: "minima serve", what: `${root} is a file, not a folder`, expected: "a folder holding runs (minima train's runs/) or studies" });
      // The handlers come first: a signal sent as soon as the URL is printed must find them in place.
      let stopped!: () => void;
      const stop = new Promise<void>((ok) => { stopped = ok; });
      process.once("SIGINT", stopped);
      process.once("SIGTERM", stopped);
      const host = flags.host ?? "127.0.0.1";
      const running = await listen(root, host, flags.port, flags.host !== undefined);
      console.log(`minima serve: ${root}`);
      if (running.token !== null) {
        const { port } = running.server.address() as AddressInfo;
        console.error(`minima: warning: --host ${host} is not a loopback address: anyone who can reach this machine on port ${port} and has the token can read the runs and studies under ${root}; keep the URL below private`);
      }
      console.log(`open ${running.url}`);
      for (const url of otherUrls(running)) console.log(`  or ${url}`);
      await stop;
      await running.close();
    });
}

/** Starts the server; --host is the user's consent to a non-loopback address, and the OS's refusals name the flag to change. */
async function listen(root: string, host: string, port: number, hostFlag: boolean): Promise<RunningServer> {
  try {
    return await startServer({ root, host, port, allowRemote: hostFlag });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new OptionError({ where: "--port", what: `port ${port} on ${host} is in use (by another minima serve or another program)`, expected: "a free port, or --port 0 for any free one" });
    if (code === "EADDRNOTAVAIL") throw new OptionError({ where: "--host", what: `${host} is not an address of this machine`, expected: "one of its addresses (ip addr lists them), 0.0.0.0 for all of them, or 127.0.0.1" });
    throw e;
  }
}

/**
 * On the wildcard addresses (0.0.0.0, ::) the server's url names no address another machine can use: the
 * same url at each of this machine's own addresses (IPv4 only for 0.0.0.0; link-local IPv6 left out).
 */
function otherUrls(running: RunningServer): string[] {
  const { address, port } = running.server.address() as AddressInfo;
  if (address !== "0.0.0.0" && address !== "::") return [];
  const query = running.token === null ? "" : `?token=${running.token}`;
  return Object.values(networkInterfaces()).flat()
    .filter((a) => a !== undefined && !a.internal && (a.family === "IPv4" || (address === "::" && !a.address.startsWith("fe80:"))))
    .map((a) => `http://${a!.family === "IPv6" ? `[${a!.address}]` : a!.address}:${port}/${query}`);
}
