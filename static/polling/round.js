// A volunteer's knock-up round on the phone: reloads every 30 seconds (and when the signal returns),
// so electors the tellers have seen vote drop off. The last copy is kept for when there is no signal.

import { metaGet, metaSet } from "../doorstep/db.js";
import { keepOffline } from "./offline.js";

const root = document.querySelector("[data-round]");
const id = root.dataset.round;
const key = `polling-round-${id}-${root.dataset.user}`;
const doorsList = root.querySelector("[data-doors]");
const status = root.querySelector("[data-status]");
const REFRESH_MS = 30000;

function render(round, fresh) {
  const streets = new Map();
  for (const door of round.doors) {
    if (!streets.has(door.street)) streets.set(door.street, []);
    streets.get(door.street).push(door);
  }
  doorsList.replaceChildren(
    ...[...streets].map(([street, doors]) => {
      const section = document.createElement("section");
      const heading = document.createElement("h2");
      heading.textContent = street || "No street";
      const ul = document.createElement("ul");
      ul.append(
        ...doors.map((door) => {
          const li = document.createElement("li");
          li.dataset.voter = door.voter_id;
          li.textContent = `${door.address} — ${door.name} (${door.reference})`;
          return li;
        }),
      );
      section.append(heading, ul);
      return section;
    }),
  );
  const loaded = new Date(round.loaded_at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  status.textContent = `${round.doors.length} still to vote · loaded ${loaded}${fresh ? "" : " (no signal: last copy)"}`;
  root.dataset.loadedAt = round.loaded_at;
}

async function load() {
  try {
    const response = await fetch(`/api/v1/polling/rounds/${id}/`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`round answered ${response.status}`);
    const round = await response.json();
    await metaSet(key, round);
    render(round, true);
  } catch {
    const last = await metaGet(key);
    if (last) render(last, false);
  }
}

window.addEventListener("online", load);
document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && load());
setInterval(load, REFRESH_MS);
await load();
root.dataset.ready = "true";
keepOffline([`/api/v1/polling/rounds/${id}/`]);
