// Reading and writing the files named on the command line, with one-line errors.
import fs from "node:fs";
import path from "node:path";
import { CliFailure } from "./io";

export function readTextFile(cwd: string, file: string, what: string): string {
  const full = path.resolve(cwd, file);
  try {
    return fs.readFileSync(full, "utf8");
  } catch (err) {
    throw new CliFailure(`cannot read ${what} ${file}: ${reason(err)}`);
  }
}

/** A file to read piece by piece, and its size; a missing or unreadable file is a one-line error. */
export function openFileStream(cwd: string, file: string, what: string): { stream: fs.ReadStream; size: number } {
  const full = path.resolve(cwd, file);
  let fd: number;
  try {
    fd = fs.openSync(full, "r");
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) {
      fs.closeSync(fd);
      throw Object.assign(new Error("it is a directory"), { code: "EISDIR" });
    }
    return { stream: fs.createReadStream(full, { fd, highWaterMark: 256 * 1024 }), size: stat.size };
  } catch (err) {
    throw new CliFailure(`cannot read ${what} ${file}: ${reason(err)}`);
  }
}

export function writeTextFile(cwd: string, file: string, text: string): string {
  const full = path.resolve(cwd, file);
  try {
    fs.writeFileSync(full, text);
  } catch (err) {
    throw new CliFailure(`cannot write ${file}: ${reason(err)}`);
  }
  return full;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return err instanceof Error ? err.message : String(err);
}
