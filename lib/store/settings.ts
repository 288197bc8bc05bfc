// Server settings that outlive a restart (key → text), such as the generated access token.
import type { Db } from "./db";

export async function readSetting(db: Db, key: string): Promise<string | null> {
  return (await db.setting.findUnique({ where: { key } }))?.value ?? null;
}

/** Stores `value` unless the key is already set; returns whichever value is stored (first writer wins). */
export async function settleSetting(db: Db, key: string, value: string): Promise<string> {
  await db.setting.upsert({ where: { key }, create: { key, value, updatedAt: new Date() }, update: {} });
  return (await readSetting(db, key)) ?? value;
}
