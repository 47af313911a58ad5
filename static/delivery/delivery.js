// A leaflet delivery round on the phone. Each mark (delivered, no letterbox, inaccessible) goes first into the
// phone's own store (IndexedDB, via the doorstep's db.js), then to the server when there is signal; a door's
// latest mark wins there too, so sending a mark twice changes nothing. The page itself is kept for offline use
// by the doorstep's service worker.

import { metaGet, metaSet } from "../doorstep/db.js";
import { clientUuid } from "../doorstep/sync.js";
import { keepOffline } from "../polling/offline.js";

const root = document.querySelector("[data-delivery]");
const status = root.querySelector("[data-status]");
const csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
const key = `delivery-outbox-${root.dataset.user}-${root.dataset.delivery}`;
let sending = false;

async function outbox() {
  return (await metaGet(key)) || {};
}

function show(door, value) {
  door.dataset.mark = value;
  for (const button of door.querySelectorAll("[data-status-value]")) {
    button.setAttribute("aria-pressed", String(button.dataset.statusValue === value));
  }
}

function report(waiting, note = "") {
  const marked = root.querySelectorAll("[data-door]:not([data-mark=''])").length;
  const total = root.querySelectorAll("[data-door]").length;
  const queue = waiting ? `${waiting} mark${waiting === 1 ? "" : "s"} waiting to be sent` : "every mark sent";
  status.textContent = `${marked} of ${total} doors marked · ${queue}${note ? ` · ${note}` : ""}`;
  root.dataset.waiting = String(waiting);
}

async function mark(doors, value) {
  const pending = await outbox();
  const at = new Date().toISOString();
  for (const door of doors) {
    const household = Number(door.dataset.door);
    pending[household] = { client_uuid: clientUuid(), household, status: value, delivered_at: at };
    show(door, value);
  }
  await metaSet(key, pending);
  report(Object.keys(pending).length);
  sync();
}

async function sync() {
  if (sending) return;
  const pending = await outbox();
  const marks = Object.values(pending);
  if (!marks.length) return report(0);
  sending = true;
  try {
    const response = await fetch(root.dataset.marks, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ marks }),
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`marks answered ${response.status}`);
    const { results } = await response.json();
    const answered = new Set(results.map((result) => result.client_uuid));
    const refused = results.filter((result) => result.status === "error");
    // Marks made while this batch was on its way stay queued: only those the server answered for leave.
    const now = await outbox();
    for (const [household, entry] of Object.entries(now)) {
      if (answered.has(entry.client_uuid)) delete now[household];
    }
    await metaSet(key, now);
    report(Object.keys(now).length, refused.length ? `${refused.length} refused: ${refused[0].error}` : "");
  } catch {
    report(marks.length, navigator.onLine ? "the server did not answer; will retry" : "no signal; kept on the phone");
  } finally {
    sending = false;
  }
}

root.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.dataset.statusValue) {
    mark([button.closest("[data-door]")], button.dataset.statusValue);
  } else if (button.dataset.wholeStreet) {
    const street = button.closest("[data-street]");
    mark([...street.querySelectorAll("[data-door][data-mark='']")], button.dataset.wholeStreet);
  }
});

window.addEventListener("online", sync);
const pending = await outbox();
for (const [household, entry] of Object.entries(pending)) {
  const door = root.querySelector(`[data-door="${household}"]`);
  if (door) show(door, entry.status);
}
report(Object.keys(pending).length);
root.dataset.ready = "true";
sync();
keepOffline([]);
