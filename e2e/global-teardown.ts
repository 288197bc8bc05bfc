// Removes the temporary database the test server used (set E2E_KEEP_DB=1 to keep it for a look).
import fs from "node:fs";

export default function removeTestDatabase(): void {
  const url = process.env.WAKELINE_E2E_DATABASE_URL;
  if (!url?.startsWith("file:") || process.env.E2E_KEEP_DB === "1") return;
  const file = url.slice("file:".length);
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    fs.rmSync(path, { force: true });
  }
}
