// Share links: short permalinks to one view of a recorded run. A link stores the page's path and
// query exactly as the user saw them (every view keeps its whole state in the URL), so opening it
// restores the view from the database alone. Links can expire and can be revoked; both are kept
// (never deleted) so that an old link can say plainly why it no longer works.
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/store/db";
import { invalidInput, notFound, ServiceError } from "./errors";
import { getRun } from "./run-queries";

/** Shortest and longest lifetime a link may be given (one minute … one year). */
export const MIN_EXPIRY_SECONDS = 60;
export const MAX_EXPIRY_SECONDS = 365 * 24 * 60 * 60;
/** Longest path + query a link may store; real views stay far below it. */
export const MAX_SHARED_PATH_LENGTH = 4000;

export type ShareLinkStatus = "active" | "expired" | "revoked";

export interface ShareLinkInfo {
  token: string;
  runId: string;
  /** The view to restore: an in-app path with its query, e.g. `/runs/abc/cycles/2?actor=a1&step=7`. */
  target: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreateShareLinkInput {
  /** Path and query of the view (what `location.pathname + location.search` gives in the browser). */
  path: string;
  /** Lifetime in seconds; absent or null for a link that never expires. */
  expiresInSeconds?: number | null;
}

export interface ShareLinkClock {
  now?: Date;
  /** Token source (tests pass a fixed one to provoke collisions). */
  newToken?: () => string;
}

/** What the stored `view` column holds. */
interface StoredView {
  path: string;
  search: string;
}

interface ShareLinkRow {
  token: string;
  runId: string;
  view: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const TOKEN_ATTEMPTS = 5;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{4,64}$/;

/** 8 URL-safe characters (48 random bits): short to paste, far too many to guess. */
export function newShareToken(): string {
  return randomBytes(6).toString("base64url");
}

export async function createShareLink(db: Db, input: CreateShareLinkInput, clock: ShareLinkClock = {}): Promise<ShareLinkInfo> {
  const now = clock.now ?? new Date();
  const view = parseSharedPath(input.path);
  const expiresAt = expiryFrom(now, input.expiresInSeconds ?? null);
  // The run must exist: a link to nothing would only fail later, for someone else.
  await getRun(db, view.runId);
  const newToken = clock.newToken ?? newShareToken;
  for (let attempt = 0; attempt < TOKEN_ATTEMPTS; attempt++) {
    const token = newToken();
    if (await db.shareLink.findUnique({ where: { token }, select: { token: true } })) continue;
    const row = await db.shareLink.create({
      data: {
        token,
        runId: view.runId,
        view: JSON.stringify({ path: view.path, search: view.search } satisfies StoredView),
        createdAt: now,
        expiresAt,
        revokedAt: null,
      },
    });
    return toInfo(row);
  }
  throw new ServiceError("share_token_exhausted", 503, "Could not pick an unused share token; try again.");
}

/** The link as stored, whatever its status. */
export async function getShareLink(db: Db, token: string): Promise<ShareLinkInfo> {
  return toInfo(await findRow(db, token));
}

export function shareLinkStatus(link: Pick<ShareLinkInfo, "expiresAt" | "revokedAt">, now: Date = new Date()): ShareLinkStatus {
  if (link.revokedAt !== null) return "revoked";
  if (link.expiresAt !== null && new Date(link.expiresAt).getTime() <= now.getTime()) return "expired";
  return "active";
}

/** The link when it may still be followed; a coded 410 error when it expired or was revoked. */
export async function resolveShareLink(db: Db, token: string, now: Date = new Date()): Promise<ShareLinkInfo> {
  const link = await getShareLink(db, token);
  switch (shareLinkStatus(link, now)) {
    case "revoked":
      throw new ServiceError("share_link_revoked", 410, `This share link was revoked on ${readableTime(link.revokedAt!)}.`);
    case "expired":
      throw new ServiceError("share_link_expired", 410, `This share link expired on ${readableTime(link.expiresAt!)}.`);
    case "active":
      return link;
  }
}

/** Revokes a link for good. Revoking it again changes nothing (the first revocation time stays). */
export async function revokeShareLink(db: Db, token: string, now: Date = new Date()): Promise<ShareLinkInfo> {
  const row = await findRow(db, token);
  if (row.revokedAt !== null) return toInfo(row);
  return toInfo(await db.shareLink.update({ where: { token }, data: { revokedAt: now } }));
}

export interface ShareLinkListing extends ShareLinkInfo {
  status: ShareLinkStatus;
}

/** Every link made for a run (newest first), with its status at `now`. */
export async function listShareLinks(db: Db, runId: string, now: Date = new Date()): Promise<ShareLinkListing[]> {
  await getRun(db, runId);
  const rows = await db.shareLink.findMany({ where: { runId }, orderBy: [{ createdAt: "desc" }, { token: "asc" }] });
  return rows.map((row) => {
    const info = toInfo(row);
    return { ...info, status: shareLinkStatus(info, now) };
  });
}

/**
 * Checks that `raw` is a view of this app (not a redirect to elsewhere) and finds the run it shows:
 * `/runs/<runId>…` or `/compare?a=<runId>:<actor>:<cycle>…`.
 */
export function parseSharedPath(raw: string): StoredView & { runId: string } {
  if (typeof raw !== "string" || raw.length === 0) throw invalidPath("The view to share is empty.");
  if (raw.length > MAX_SHARED_PATH_LENGTH) {
    throw invalidPath(`The view's address is longer than ${MAX_SHARED_PATH_LENGTH} characters.`);
  }
  // Only a path on this site: `//host` or `/\host` would make browsers leave it.
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\") || /[\u0000-\u001f\u007f]/.test(raw)) {
    throw invalidPath("The view to share must be a path of this site, such as /runs/<id>.");
  }
  const url = new URL(raw, "http://wakeline.invalid");
  const runId = runIdOf(url);
  if (runId === null) throw invalidPath("Only views of a run (/runs/…) or a comparison (/compare?a=…) can be shared.");
  return { path: url.pathname, search: url.search, runId };
}

function runIdOf(url: URL): string | null {
  const runMatch = url.pathname.match(/^\/runs\/([^/]+)(?:\/|$)/);
  if (runMatch) return safeDecode(runMatch[1]);
  if (url.pathname === "/compare") {
    // A compared cycle is `<runId>:<actor>:<ordinal>` and run ids never contain a colon.
    const first = url.searchParams.get("a") ?? url.searchParams.get("b");
    const runId = first?.split(":")[0];
    return runId ? runId : null;
  }
  return null;
}

function safeDecode(segment: string): string | null {
  try {
    const decoded = decodeURIComponent(segment);
    return decoded === "" ? null : decoded;
  } catch {
    return null;
  }
}

function expiryFrom(now: Date, seconds: number | null): Date | null {
  if (seconds === null) return null;
  if (!Number.isInteger(seconds) || seconds < MIN_EXPIRY_SECONDS || seconds > MAX_EXPIRY_SECONDS) {
    throw invalidInput(
      `A link's lifetime must be a whole number of seconds from ${MIN_EXPIRY_SECONDS} to ${MAX_EXPIRY_SECONDS}, not ${seconds}.`,
      "invalid_expiry",
    );
  }
  return new Date(now.getTime() + seconds * 1000);
}

async function findRow(db: Db, token: string): Promise<ShareLinkRow> {
  const row = TOKEN_PATTERN.test(token) ? await db.shareLink.findUnique({ where: { token } }) : null;
  if (!row) throw notFound("There is no share link with this address. Check that it was copied completely.", "share_link_not_found");
  return row;
}

function toInfo(row: ShareLinkRow): ShareLinkInfo {
  const view = readView(row.view, row.runId);
  return {
    token: row.token,
    runId: row.runId,
    target: `${view.path}${view.search}`,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** A stored view that cannot be read falls back to the run's page rather than failing the link. */
function readView(text: string, runId: string): StoredView {
  try {
    const value = JSON.parse(text) as Partial<StoredView>;
    if (typeof value.path === "string" && typeof value.search === "string") {
      const { path, search } = parseSharedPath(`${value.path}${value.search}`);
      return { path, search };
    }
  } catch {
    // fall through to the run's page
  }
  return { path: `/runs/${encodeURIComponent(runId)}`, search: "" };
}

function invalidPath(message: string): ServiceError {
  return invalidInput(message, "invalid_share_path");
}

/** "2025-01-31 14:05 UTC": the same for every reader, whatever their time zone. */
function readableTime(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}
