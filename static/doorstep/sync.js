// Sends the outbox to the server: contacts through the batch sync, undos as DELETEs.
// One tab at a time (a Web Lock), and a row leaves the outbox only after the server said "ok" for it,
// so a reload, a dropped signal or a second tab can neither lose nor double a contact. A row the server
// refused ("error" or "conflict") stays in the outbox as "failed": shown, kept, never sent again.

import { outboxAdd, outboxDelete, outboxForUser, outboxGet, outboxPut } from "./db.js";

const LOCK = "canvass-doorstep-sync";
const BATCH = 100;
const SYNC_URL = "/api/v1/contacts/sync/";

// A client UUID for an item the phone makes. crypto.randomUUID exists only in secure contexts, so a phone
// reaching the app over plain http on the local network (README) gets one from getRandomValues instead.
export function clientUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function headers() {
  return { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() };
}

// Runs `work` while holding the sync lock; every tab of this site shares it.
export function withLock(work) {
  if (navigator.locks) return navigator.locks.request(LOCK, () => work());
  return work();
}

export class NeedsLogin extends Error {}

export async function queueContact(user, item, context) {
  await outboxAdd({ client_uuid: item.client_uuid, user, op: "create", item, context, seq: Date.now(), state: "queued" });
}

// Undo: a contact still queued is simply dropped; one already sent is queued for deletion.
// Under the lock, so an undo never races a sync that is sending the same contact.
export function undoContact(user, clientUuid, context) {
  return withLock(async () => {
    const queued = await outboxGet(clientUuid);
    if (queued && queued.op === "create") {
      await outboxDelete([clientUuid]);
      return "dropped";
    }
    if (queued) return "already queued";
    await outboxAdd({ client_uuid: clientUuid, user, op: "delete", context, seq: Date.now(), state: "queued" });
    return "queued";
  });
}

// A whole batch answered with an error (not a login problem): halve it and send each half, so one item
// the server cannot take never holds back the others. A lone item the server refuses (a 4xx) is kept,
// marked refused with the server's reason, and not sent again; one that met a server fault (5xx) waits.
const RETRY_LATER = new Set([408, 425, 429]);
// The server is down or overloaded, not refusing anything: wait and send the whole batch again.
const SERVER_DOWN = new Set([502, 503, 504]);

async function refusedAnswer(response) {
  try {
    const body = await response.json();
    return body && typeof body === "object" ? body : { detail: [`sync answered ${response.status}`] };
  } catch {
    return { detail: [`sync answered ${response.status}`] };
  }
}

async function sendCreates(rows) {
  const response = await fetch(SYNC_URL, {
    method: "POST",
    credentials: "same-origin",
    headers: headers(),
    body: JSON.stringify({ contacts: rows.map((row) => row.item) }),
  });
  if (response.status === 401 || response.status === 403) throw new NeedsLogin();
  if (SERVER_DOWN.has(response.status)) throw new Error(`sync answered ${response.status}`);
  if (!response.ok) {
    if (rows.length > 1) {
      const half = Math.ceil(rows.length / 2);
      const [first, second] = [await sendCreates(rows.slice(0, half)), await sendCreates(rows.slice(half))];
      return { sent: first.sent + second.sent, failed: first.failed + second.failed };
    }
    const refused = response.status < 500 && !RETRY_LATER.has(response.status);
    if (!refused) return { sent: 0, failed: 0 };
    await outboxPut([{ ...rows[0], state: "failed", errors: await refusedAnswer(response) }]);
    return { sent: 0, failed: 1 };
  }
  const { results } = await response.json();
  const byUuid = new Map(results.map((answer) => [answer.client_uuid, answer]));
  const sent = [];
  const failed = [];
  for (const row of rows) {
    const answer = byUuid.get(row.client_uuid);
    if (answer && answer.status === "ok") sent.push(row.client_uuid);
    else if (answer) failed.push({ ...row, state: "failed", errors: answer.errors });
  }
  await outboxDelete(sent);
  await outboxPut(failed);
  return { sent: sent.length, failed: failed.length };
}

async function sendDelete(row) {
  const response = await fetch(`/api/v1/contacts/${encodeURIComponent(row.client_uuid)}/`, {
    method: "DELETE",
    credentials: "same-origin",
    headers: headers(),
  });
  if (response.status === 401 || response.status === 403) throw new NeedsLogin();
  if (response.status === 204) {
    await outboxDelete([row.client_uuid]);
    return true;
  }
  await outboxPut([{ ...row, state: "failed", errors: { detail: [`undo answered ${response.status}`] } }]);
  return false;
}

// One pass over this user's queue. A second tab waits its turn and then finds only what is left.
export function syncNow(user) {
  return withLock(async () => {
    const rows = (await outboxForUser(user)).filter((row) => row.state === "queued");
    const creates = rows.filter((row) => row.op === "create");
    let sent = 0;
    let failed = 0;
    for (let start = 0; start < creates.length; start += BATCH) {
      const counts = await sendCreates(creates.slice(start, start + BATCH));
      sent += counts.sent;
      failed += counts.failed;
    }
    // Deletes after creates: an undo is for a contact the server already has.
    for (const row of rows.filter((r) => r.op === "delete")) {
      if (await sendDelete(row)) sent += 1;
      else failed += 1;
    }
    return { sent, failed };
  });
}
