// The per-actor key/value store runners use over the runner protocol (ToServerKvRequest), kept in
// the database. Requests run one at a time, in arrival order, so a put is readable by the very
// next get.
import type * as protocol from "@rivetkit/engine-runner-protocol";
import type { Db } from "@/lib/store/db";
import { KvLimitError, checkKeys, checkPut, listEntries, type KvEntryBytes, type KvListQuery } from "./kv-query";

const bytesOf = (buffer: ArrayBuffer): Uint8Array<ArrayBuffer> => new Uint8Array(buffer.slice(0));
const bufferOf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;
const NO_METADATA: protocol.KvMetadata = { version: new ArrayBuffer(0), updateTs: 0n };

/** A short human description of a KV request, for the recorded trace. */
export function describeKvRequest(data: protocol.KvRequestData): string {
  switch (data.tag) {
    case "KvGetRequest":
      return `get ${data.val.keys.length} key(s)`;
    case "KvListRequest":
      return `list ${data.val.query.tag.replace(/^KvList|Query$/g, "").toLowerCase()}${data.val.reverse ? " reverse" : ""}${data.val.limit !== null ? ` limit ${data.val.limit}` : ""}`;
    case "KvPutRequest":
      return `put ${data.val.keys.length} key(s)`;
    case "KvDeleteRequest":
      return `delete ${data.val.keys.length} key(s)`;
    case "KvDeleteRangeRequest":
      return "delete range";
    case "KvDropRequest":
      return "drop";
  }
}

export class KvStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Db) {}

  /** Serves one request; limits and database failures come back as KvErrorResponse. */
  serve(actorId: string, data: protocol.KvRequestData): Promise<protocol.KvResponseData> {
    const next = this.queue.then(() => this.apply(actorId, data)).catch((err: unknown): protocol.KvResponseData => ({
      tag: "KvErrorResponse",
      val: { message: err instanceof KvLimitError ? err.message : `kv request failed: ${err instanceof Error ? err.message : String(err)}` },
    }));
    this.queue = next;
    return next;
  }

  /** Removes everything an actor stored (on destroy). */
  drop(actorId: string): Promise<void> {
    const next = this.queue.then(() => this.db.kvEntry.deleteMany({ where: { actorId } })).then(() => undefined);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async apply(actorId: string, data: protocol.KvRequestData): Promise<protocol.KvResponseData> {
    switch (data.tag) {
      case "KvGetRequest": {
        const keys = data.val.keys.map(bytesOf);
        checkKeys(keys);
        const rows = await this.db.kvEntry.findMany({ where: { actorId, key: { in: keys } } });
        // Only keys that exist come back; the runner maps them to the order it asked in.
        return { tag: "KvGetResponse", val: this.entries(rows) };
      }
      case "KvListRequest": {
        const rows = await this.all(actorId);
        const limit = data.val.limit === null ? null : Number(data.val.limit);
        const listed = listEntries(rows, listQuery(data.val.query), data.val.reverse ?? false, limit);
        return { tag: "KvListResponse", val: this.entries(listed) };
      }
      case "KvPutRequest": {
        const keys = data.val.keys.map(bytesOf);
        const values = data.val.values.map(bytesOf);
        checkPut(keys, values);
        await this.db.$transaction(
          keys.map((key, i) =>
            this.db.kvEntry.upsert({ where: { actorId_key: { actorId, key } }, create: { actorId, key, value: values[i] }, update: { value: values[i] } }),
          ),
        );
        return { tag: "KvPutResponse", val: null };
      }
      case "KvDeleteRequest": {
        const keys = data.val.keys.map(bytesOf);
        checkKeys(keys);
        await this.db.kvEntry.deleteMany({ where: { actorId, key: { in: keys } } });
        return { tag: "KvDeleteResponse", val: null };
      }
      case "KvDeleteRangeRequest": {
        const query: KvListQuery = { kind: "range", start: bytesOf(data.val.start), end: bytesOf(data.val.end), exclusive: true };
        const doomed = listEntries(await this.all(actorId), query, false, null).map((entry) => new Uint8Array(entry.key));
        if (doomed.length > 0) await this.db.kvEntry.deleteMany({ where: { actorId, key: { in: doomed } } });
        return { tag: "KvDeleteResponse", val: null };
      }
      case "KvDropRequest":
        await this.db.kvEntry.deleteMany({ where: { actorId } });
        return { tag: "KvDropResponse", val: null };
    }
  }

  private async all(actorId: string): Promise<KvEntryBytes[]> {
    const rows = await this.db.kvEntry.findMany({ where: { actorId } });
    return rows.map((row) => ({ key: new Uint8Array(row.key), value: new Uint8Array(row.value) }));
  }

  private entries(rows: readonly { key: Uint8Array; value: Uint8Array }[]): protocol.KvGetResponse {
    return { keys: rows.map((row) => bufferOf(row.key)), values: rows.map((row) => bufferOf(row.value)), metadata: rows.map(() => NO_METADATA) };
  }
}

function listQuery(query: protocol.KvListQuery): KvListQuery {
  switch (query.tag) {
    case "KvListAllQuery":
      return { kind: "all" };
    case "KvListPrefixQuery":
      return { kind: "prefix", prefix: bytesOf(query.val.key) };
    case "KvListRangeQuery":
      return { kind: "range", start: bytesOf(query.val.start), end: bytesOf(query.val.end), exclusive: query.val.exclusive };
  }
}
