// Reading and writing the files named on the command line, with one-line errors.
import { once } from "node:events";
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

/**
 * Writes text that arrives in pieces, then `ending`. It goes to a file beside the target first,
 * renamed over it once complete: a failed export never leaves a cut-off bundle behind.
 */
export async function writeFileFromPieces(cwd: string, file: string, pieces: AsyncIterable<string>, ending = ""): Promise<string> {
  const full = path.resolve(cwd, file);
  const partial = `${full}.partial`;
  let stream: fs.WriteStream | null = null;
  try {
    stream = fs.createWriteStream(partial);
    const opened = stream;
    const failed = new Promise<never>((_, reject) => opened.once("error", reject));
    const write = async (text: string) => {
      if (!opened.write(text)) await Promise.race([once(opened, "drain"), failed]);
    };
    for await (const piece of pieces) await write(piece);
    await write(ending);
    opened.end();
    await Promise.race([once(opened, "finish"), failed]);
    fs.renameSync(partial, full);
    return full;
  } catch (err) {
    stream?.destroy();
    fs.rmSync(partial, { force: true });
    // A file-system error is the file's; anything else (reading the run) is passed on as it is.
    throw (err as NodeJS.ErrnoException).syscall ? new CliFailure(`cannot write ${file}: ${reason(err)}`) : err;
  }
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return err instanceof Error ? err.message : String(err);
}
