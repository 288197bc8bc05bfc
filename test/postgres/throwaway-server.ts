// A throwaway PostgreSQL server for the tests: a new cluster in a temporary folder, on a free
// loopback port, with a random password (so a wrong password is refused, as on a real server), and
// durability turned off (nothing in it outlives the run). PostgreSQL refuses to run as root: as
// root, the cluster is made and run by the `postgres` user that Debian's packages create.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface ThrowawayServer {
  url: string;
  stop(): void;
}

/** The bin folder of the newest installed PostgreSQL server (Debian layout), or null. */
export function findPostgresBin(): string | null {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((version) => fs.existsSync(path.join(base, version, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(base, versions[0], "bin") : null;
}

export async function startThrowawayServer(bin: string): Promise<ThrowawayServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-pg-"));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const argv = asRoot ? ["-u", "postgres", "--", path.join(bin, command), ...args] : args;
    const result = spawnSync(asRoot ? "runuser" : path.join(bin, command), argv, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout || result.error?.message}`);
  };
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    fs.chownSync(dir, uid, gid);
  }
  const password = randomBytes(12).toString("hex");
  const passwordFile = path.join(dir, "password");
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o644 });
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${passwordFile}`, "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
  const port = await freePort();
  const options = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=300"].join(" ");
  run("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-o", options, "-w", "-t", "60", "start"]);
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
