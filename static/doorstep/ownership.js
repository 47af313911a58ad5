// The phone's offline copy (pages and API answers kept by the service worker) belongs to the volunteer who
// downloaded it. It is cleared when their session has ended, when another user signs in on this browser, and
// after `data-offline-days` (default 14) without a sync. Queued contacts are never touched here: the outbox is
// keyed by user, so each volunteer's stay on the phone for them alone until they log in again and send them.

import { metaGet, metaSet } from "./db.js";

export const DATA_CACHE = "doorstep-data-v1"; // as in sw.js
const DAY_MS = 24 * 60 * 60 * 1000;
// A /me/ answer older than this came from the worker's cache, not from the server just now.
const FRESH_MS = 10 * 60 * 1000;

export async function forgetOfflineCopy() {
  await caches.delete(DATA_CACHE);
  await metaSet("offline_owner", undefined);
  await metaSet("offline_synced_at", undefined);
}

// After any answer from the server for this user: the copy is fresh again.
export async function offlineCopySynced() {
  await metaSet("offline_synced_at", Date.now());
}

async function sessionUser() {
  try {
    const response = await fetch("/api/v1/me/", { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401 || response.status === 403) return { ended: true };
    if (!response.ok) return {};
    const date = Date.parse(response.headers.get("Date") || "");
    if (!date || Math.abs(Date.now() - date) > FRESH_MS) return {}; // the worker's copy: offline
    return { id: (await response.json()).id };
  } catch (error) {
    return {}; // no signal: nothing to learn
  }
}

function blank(root, text) {
  root.replaceChildren();
  const note = document.createElement("p");
  note.className = "empty";
  note.textContent = text;
  root.append(note);
  root.dataset.offlineCleared = "1";
}

// Returns "kept", "cleared" (another user's copy was dropped; this page is fresh), "ended" or "expired".
export async function guardOfflineCopy(root, user) {
  const maxDays = Number(root.dataset.offlineDays || 14);
  const owner = await metaGet("offline_owner");
  let state = "kept";
  if (owner !== undefined && owner !== user) {
    await forgetOfflineCopy();
    state = "cleared";
  }
  await metaSet("offline_owner", user);
  const session = navigator.onLine ? await sessionUser() : {};
  if (session.ended || (session.id !== undefined && session.id !== user)) {
    await forgetOfflineCopy();
    blank(root, "You are signed out: this phone no longer keeps your lists. Log in again to send your contacts.");
    return "ended";
  }
  if (session.id === user) {
    await offlineCopySynced();
    return state;
  }
  const syncedAt = await metaGet("offline_synced_at");
  if (syncedAt === undefined) {
    await offlineCopySynced();
  } else if (Date.now() - syncedAt > maxDays * DAY_MS) {
    await forgetOfflineCopy();
    await metaSet("offline_owner", user);
    blank(root, `This phone's copy of your lists expired after ${maxDays} days without a sync. Your unsent contacts are kept; connect to send them.`);
    return "expired";
  }
  return state;
}
