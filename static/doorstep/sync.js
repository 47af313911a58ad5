// Sends the outbox to the server: contacts through the batch sync, undos as DELETEs.
// One tab at a time (a Web Lock), and a row leaves the outbox only after the server said "ok" for it,
// so a reload, a dropped signal or a second tab can neither lose nor double a contact.

import { outboxAdd, outboxDelete, outboxForUser, outboxGet, outboxPut } from "./db.js";

const LOCK = "canvass-doorstep-sync";
const BATCH = 100;
const SYNC_URL = "/api/v1/contacts/sync/";

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

async function sendCreates(rows) {
  const response = await fetch(SYNC_URL, {
    method: "POST",
    credentials: "same-origin",
    headers: headers(),
    body: JSON.stringify({ contacts: rows.map((row) => row.item) }),
  });
  if (response.status === 401 || response.status === 403) throw new NeedsLogin();
  if (!response.ok) throw new Error(`sync answered ${response.status}`);
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
