// The teller's phone (and the committee room's keying page): numbers go into the doorstep pages'
// IndexedDB outbox under their client UUIDs, then to the station's sync endpoint when there is signal.
// A row leaves the outbox only once the server has answered for it, so nothing is lost or doubled.

import { metaGet, metaSet, outboxAdd, outboxDelete, outboxForUser, outboxGet } from "../doorstep/db.js";
import { clientUuid, csrfToken, withLock } from "../doorstep/sync.js";
import { keepOffline } from "./offline.js";

const root = document.querySelector("[data-teller]");
const station = root.dataset.station;
const keying = root.dataset.keying === "true";
const user = `polling:${root.dataset.user}`; // its own queue: the doorstep sync never sends these rows
const recentKey = `polling-recent-${station}-${root.dataset.user}`;
const form = root.querySelector("form.entry");
const input = form.querySelector("input[name=typed]");
const timeInput = form.querySelector("input[name=time]");
const waiting = root.querySelector("[data-waiting]");
const answer = root.querySelector("[data-answer]");
const list = root.querySelector("[data-recent]");
const hourly = root.querySelector("[data-hourly]");
const UNDOABLE = 5;

let recent = [];

function headers() {
  return { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() };
}

function say(text, ok) {
  answer.textContent = text;
  answer.className = ok ? "answer ok" : "answer bad";
}

async function remember() {
  recent = recent.slice(0, 30);
  await metaSet(recentKey, recent);
}

async function render() {
  const queued = (await outboxForUser(user)).filter((row) => row.state === "queued");
  waiting.textContent = queued.length ? `${queued.length} waiting to send` : "All sent";
  list.replaceChildren(
    ...recent.map((entry, index) => {
      const li = document.createElement("li");
      li.className = entry.undone ? "undone" : entry.ok === false ? "bad" : entry.ok ? "ok" : "waiting";
      li.textContent = `${entry.typed} — ${entry.undone ? "undone" : entry.message || "waiting to send"}`;
      if (index < UNDOABLE && !entry.undone && entry.ok !== false) {
        const undo = document.createElement("button");
        undo.type = "button";
        undo.textContent = "Undo";
        undo.addEventListener("click", () => undoEntry(entry));
        li.append(" ", undo);
      }
      return li;
    }),
  );
}

function entryTime() {
  if (!keying || !timeInput || !timeInput.value) return new Date().toISOString();
  const [hours, minutes] = timeInput.value.split(":").map(Number);
  const when = new Date();
  when.setHours(hours, minutes, 0, 0);
  return when.toISOString();
}

async function enter(typed) {
  const item = { client_uuid: clientUuid(), typed, entered_at: entryTime(), keyed_from_sheet: keying };
  await outboxAdd({ client_uuid: item.client_uuid, user, op: "create", item, context: { station }, seq: Date.now(), state: "queued" });
  recent.unshift({ client_uuid: item.client_uuid, typed });
  await remember();
  say(navigator.onLine ? `${typed}: sending…` : `${typed}: saved, will send when there is signal`, true);
  await render();
  sync();
}

async function undoEntry(entry) {
  await withLock(async () => {
    const queued = await outboxGet(entry.client_uuid);
    if (queued && queued.op === "create") await outboxDelete([entry.client_uuid]);
    else if (!queued) await outboxAdd({ client_uuid: entry.client_uuid, user, op: "delete", context: { station }, seq: Date.now(), state: "queued" });
  });
  entry.undone = true;
  await remember();
  say(`${entry.typed} undone`, true);
  await render();
  sync();
}

async function sendCreates(rows) {
  const sentAt = new Date().toISOString();
  const response = await fetch(`/api/v1/polling/stations/${station}/entries/sync/`, {
    method: "POST",
    credentials: "same-origin",
    headers: headers(),
    body: JSON.stringify({ entries: rows.map((row) => ({ ...row.item, sent_at: sentAt })) }),
  });
  if (!response.ok) throw new Error(`sync answered ${response.status}`);
  const { results } = await response.json();
  const answered = [];
  for (const result of results) {
    const entry = recent.find((e) => e.client_uuid === result.client_uuid);
    if (entry) Object.assign(entry, { ok: result.ok, message: result.message });
    answered.push(result.client_uuid);
    if (result.clock_offset_seconds) say(`This phone's clock is ${Math.round(result.clock_offset_seconds / 60)} minutes off: times corrected`, false);
  }
  await outboxDelete(answered); // every answer is final for its entry, good or bad
  const last = results[results.length - 1];
  if (last) say(last.message, last.ok);
}

async function sendDelete(row) {
  const response = await fetch(`/api/v1/polling/entries/${row.client_uuid}/`, {
    method: "DELETE",
    credentials: "same-origin",
    headers: headers(),
  });
  if (response.status === 204 || response.status === 404 || response.status === 409) {
    await outboxDelete([row.client_uuid]);
    if (response.status === 409) say((await response.json()).detail, false);
  }
}

let syncing = null;
function sync() {
  if (!navigator.onLine) return Promise.resolve();
  if (!syncing) {
    syncing = withLock(async () => {
      const rows = (await outboxForUser(user)).filter((row) => row.state === "queued");
      const creates = rows.filter((row) => row.op === "create");
      for (let start = 0; start < creates.length; start += 100) await sendCreates(creates.slice(start, start + 100));
      for (const row of rows.filter((r) => r.op === "delete")) await sendDelete(row);
    })
      .then(remember)
      .then(loadHourly)
      .catch(() => {})
      .finally(() => {
        syncing = null;
        render();
      });
  }
  return syncing;
}

async function loadHourly() {
  if (!hourly) return;
  const response = await fetch(`/api/v1/polling/stations/${station}/hourly/`, { credentials: "same-origin" });
  if (!response.ok) return;
  const rows = await response.json();
  hourly.replaceChildren(
    ...rows.map(({ hour, recorded }) => {
      const li = document.createElement("li");
      const from = new Date(hour);
      li.textContent = `${String(from.getHours()).padStart(2, "0")}:00 — ${recorded}`;
      return li;
    }),
  );
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const typed = input.value.trim();
  if (!typed) return;
  input.value = "";
  input.focus();
  await enter(typed);
});

window.addEventListener("online", sync);
window.addEventListener("offline", render);
setInterval(sync, 15000);

recent = (await metaGet(recentKey)) || [];
await render();
root.dataset.ready = "true";
sync();
keepOffline([]);
