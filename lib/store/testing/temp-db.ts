// A fresh, migrated SQLite database in a temporary folder, one per test file or test.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb, openDb, type Db } from "../db";

export interface TempDb {
  db: Db;
  url: string;
  dir: string;
  cleanup(): Promise<void>;
}

export async function createTempDb(): Promise<TempDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeline-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  const db = await openDb(url);
  return {
    db,
    url,
    dir,
    async cleanup() {
      await closeDb(url);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
