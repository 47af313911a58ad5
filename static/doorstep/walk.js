// One walk list, door by door: record a door in a few taps, undo the last entry, see the progress.
// The page is rendered by the server; what was recorded on this phone and not yet on the server is
// laid over it from the outbox, so a reload with no signal shows the same state as before.
// After that the page keeps its own state: it asks the server only for the doors that changed since its
// token (GET /api/v1/walk-lists/<id>/changes/), lays them over the page and keeps them on the phone, so a
// sent contact costs a few hundred bytes, not the whole list again. A change in the list's doors or voters
// is answered "structure changed": then the page loads the list again.

import { App } from "./app.js";
import { metaGet, metaSet, outboxForUser } from "./db.js";
import { clientUuid, queueContact, undoContact } from "./sync.js";

const OUTCOMES = { spoke: "Spoke", not_in: "Not in", refused: "Refused", moved_away: "Moved away" };
const INTENTIONS = [
  ["undecided", "Undecided"],
  ["wont_say", "Won't say"],
  ["wont_vote", "Won't vote"],
  ["against", "Against us"],
];

const root = document.getElementById("doorstep");
const app = new App(root);
const user = app.user;
const listId = Number(root.dataset.list);
const dialog = document.getElementById("spoke");
const form = dialog.querySelector("form");
const undoButton = document.getElementById("undo");
// Contacts recorded on this phone for this list, by client UUID: the overlay on the server's page.
const local = new Map();
let spokeTarget = null;

const SHORT = { undecided: "Undecided", wont_say: "Won't say", wont_vote: "Won't vote", against: "Against" };
// Parties by id, filled once they are loaded: the door names them by code ("LAB / CON, 4").
const partyCodes = new Map();
const newcomerDialog = document.getElementById("newcomer");
let newcomerDoor = null;

// What the server said since the page was rendered: its token, the doors it sent, the list's figures.
const STATE_KEY = `changes:${user}:${listId}`;
const pageToken = root.dataset.changes;
let token = pageToken;
const applied = new Map();
let progressNow = null;
const readJson = (id) => JSON.parse((document.getElementById(id) || {}).textContent || "{}");
// The voters' latest records this user may change (their own; an organiser's wards'), as the phone sends them.
const records = new Map(Object.entries(readJson("records")).map(([voter, item]) => [Number(voter), item]));
// How often the ward's volunteers record each party: the most used come first on the sheet.
const partyUse = readJson("party-use");

const doors = () => [...root.querySelectorAll(".door")];
const doorOf = (householdId) => document.getElementById(`h${householdId}`);
const voterRow = (voterId) => root.querySelector(`[data-v="${voterId}"]`);
const time = (value) => (value ? Date.parse(value) : -Infinity);
const clock = (value) => new Date(value).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

// The server already shows a contact at least this recent for the same voter (or door): it has this one.
function reflected({ item }) {
  const node = item.voter ? voterRow(item.voter) : doorOf(item.household);
  return Boolean(node) && time(node.dataset.at) >= time(item.contacted_at);
}

function pendingFor(householdId) {
  return [...local.values()]
    .filter((entry) => entry.item.household === householdId && !reflected(entry))
    .sort((a, b) => time(a.item.contacted_at) - time(b.item.contacted_at));
}

function isKnocked(door) {
  return door.classList.contains("knocked") || door.classList.contains("knocked-here");
}

function paintDoor(door) {
  const householdId = Number(door.dataset.h);
  const entries = pendingFor(householdId);
  const state = door.querySelector(".state");
  if (!("serverState" in door.dataset)) door.dataset.serverState = state.textContent;
  door.classList.toggle("knocked-here", entries.length > 0);
  const latest = entries[entries.length - 1];
  door.classList.toggle(
    "not-in",
    latest ? latest.item.outcome === "not_in" && !latest.item.voter : door.dataset.serverNotIn === "1",
  );
  state.textContent = latest ? `${latest.context.label} · ${clock(latest.item.contacted_at)}` : door.dataset.serverState;
  for (const row of door.querySelectorAll("[data-v]")) {
    const mine = entries.filter((entry) => entry.item.voter === Number(row.dataset.v));
    const done = row.querySelector(".done");
    const last = mine[mine.length - 1];
    const kept = records.get(Number(row.dataset.v));
    if (done) paintRecorded(done, last || (kept ? { item: kept } : null));
    row.classList.toggle("recorded", Boolean(last));
    if (last && last.item.do_not_knock) row.classList.add("dnc");
  }
  paintNewcomers(door, entries);
}

// What was recorded, as the volunteer reads it back: "LAB / CON, 4" for a spoken contact.
function recordedText(item) {
  if (item.outcome !== "spoke") return `${OUTCOMES[item.outcome]} at ${clock(item.contacted_at)}`;
  const side = (intention, party) =>
    intention === "party" ? partyCodes.get(party) || "?" : intention ? SHORT[intention] || intention : "–";
  const parts = [`${side(item.local_intention, item.local_party)} / ${side(item.national_intention, item.national_party)}`];
  if (item.likelihood) parts.push(String(item.likelihood));
  return parts.join(", ");
}

function paintRecorded(done, entry) {
  done.replaceChildren();
  if (!entry) return;
  done.append(el("span", { class: "recorded-text" }, recordedText(entry.item)));
  if (entry.item.outcome === "spoke") {
    done.append(
      el("button", { type: "button", class: "change", "data-change": entry.item.client_uuid }, "Change"),
    );
  }
}

// People met at the door who are not on the register yet, as recorded on this phone.
function paintNewcomers(door, entries) {
  const list = door.querySelector(".voters");
  for (const row of list.querySelectorAll(".newcomer.here")) row.remove();
  for (const entry of entries.filter((e) => e.item.new_resident)) {
    const row = el("li", { class: "newcomer here" });
    row.append(el("span", { class: "name" }, entry.item.new_resident.name), el("span", { class: "tag" }, "Not on the register yet"));
    list.append(row);
  }
}

// The same figures as the API: doors with any contact since the list was cut, every contact made, and
// knockable doors where nobody has answered yet (a "not in" door is still to do).
function paintProgress() {
  const board = root.querySelector(".progress");
  const base = (name) => Number(board.querySelector(`[data-progress="${name}"]`).dataset.base);
  const unsent = [...local.values()].filter((entry) => !reflected(entry));
  const answeredHere = new Set(
    unsent
      .filter((entry) => entry.item.outcome !== "not_in" && doorOf(entry.item.household)?.classList.contains("to-do"))
      .map((entry) => entry.item.household),
  );
  const figures = {
    knocked: doors().filter(isKnocked).length,
    contacts: base("contacts") + unsent.filter((entry) => !entry.item.supersedes).length,
    to_do: base("to_do") - answeredHere.size,
  };
  for (const [name, value] of Object.entries(figures)) {
    board.querySelector(`[data-progress="${name}"]`).textContent = String(value);
  }
}

function paintAll() {
  doors().forEach(paintDoor);
  paintProgress();
}

function say(text) {
  app.say(text);
}

function actionButton(label, outcome, extra = {}) {
  return el("button", { type: "button", class: `act act-${outcome}`, "data-outcome": outcome, ...extra }, label);
}

// Buttons are made when a door is opened, so a 300-door page stays light.
function buildActions(door) {
  if (door.querySelector(".actions")) return;
  // Whole-door answers first, right under the address: "not in" is the commonest tap of the evening.
  const actions = el("div", { class: "actions" });
  if (door.classList.contains("no-knock")) {
    actions.append(el("p", { class: "warn" }, "Everyone here asked not to be contacted. Do not knock."));
  } else {
    const row = el("div", { class: "act-row", role: "group", "aria-label": "Whole door" });
    row.append(actionButton("Not in", "not_in"), actionButton("Refused", "refused"));
    actions.append(row);
  }
  door.querySelector(".door-head").after(actions);
  for (const row of door.querySelectorAll("[data-v]")) {
    if (row.classList.contains("dnc")) continue;
    const name = row.querySelector(".name").textContent.trim();
    const group = el("div", { class: "act-row", role: "group", "aria-label": name });
    group.append(
      actionButton("Spoke", "spoke", { "data-voter": row.dataset.v, "aria-label": `Spoke to ${name}` }),
      actionButton("Moved", "moved_away", { "data-voter": row.dataset.v, "aria-label": `${name} moved away` }),
    );
    row.append(group);
  }
  const next = el("div", { class: "actions actions-end" });
  if (!door.classList.contains("no-knock")) {
    next.append(el("button", { type: "button", class: "secondary add-newcomer" }, "Someone new here"));
  }
  next.append(el("button", { type: "button", class: "next" }, "Next door ›"));
  door.append(next);
}

function openDoor(door, { scroll = true } = {}) {
  for (const other of root.querySelectorAll(".door.open")) {
    if (other === door) continue;
    other.classList.remove("open");
    other.querySelector(".door-head").setAttribute("aria-expanded", "false");
  }
  buildActions(door);
  // The script at the top of the open door, where the volunteer looks before knocking.
  const script = document.getElementById("script");
  if (script) door.querySelector(".door-head").after(script);
  door.classList.add("open");
  door.querySelector(".door-head").setAttribute("aria-expanded", "true");
  if (scroll) door.scrollIntoView({ block: "start", behavior: "smooth" });
}

function nextDoor(from) {
  const all = doors();
  const start = from ? all.indexOf(from) + 1 : 0;
  const waiting = (door) => !isKnocked(door) && !door.classList.contains("no-knock");
  const next = all.slice(start).find(waiting) || all.slice(0, start).find(waiting);
  if (next) openDoor(next);
  else say("Every door on this list has been knocked.");
}

function blankItem(householdId) {
  return {
    client_uuid: clientUuid(),
    voter: null,
    household: householdId,
    contacted_at: new Date().toISOString(),
    channel: "door",
    outcome: "",
    local_intention: "",
    local_party: null,
    national_intention: "",
    national_party: null,
    likelihood: null,
    issues: [],
    answers: [],
    wants_postal_vote: false,
    will_take_poster: false,
    wants_to_volunteer: false,
    casework: false,
    do_not_knock: false,
    notes: "",
  };
}

async function record(door, fields, label) {
  const item = { ...blankItem(Number(door.dataset.h)), ...fields };
  const context = { list: listId, label };
  await queueContact(user, item, context);
  local.set(item.client_uuid, { item, context });
  await metaSet(`last:${user}`, { client_uuid: item.client_uuid, list: listId, household: item.household, label });
  undoButton.disabled = false;
  paintDoor(door);
  paintProgress();
  const address = door.querySelector(".addr").textContent.trim();
  say(`Saved: ${label}, ${address}.`);
  app.paint();
  app.changed();
  app.sync();
  return item;
}

function everyoneDone(door) {
  const open = [...door.querySelectorAll("[data-v]")].filter((row) => !row.classList.contains("dnc"));
  return open.every((row) => row.classList.contains("recorded"));
}

let busy = false;

async function onAction(button) {
  const door = button.closest(".door");
  const outcome = button.dataset.outcome;
  const voterId = button.dataset.voter ? Number(button.dataset.voter) : null;
  if (outcome === "spoke") {
    openSpoke(door, voterId);
    return;
  }
  // A double tap on a shaky doorstep records the door once.
  if (busy) return;
  busy = true;
  try {
    const name = voterId ? voterRow(voterId).querySelector(".name").textContent.trim() : "";
    const label = voterId ? `${name} moved away` : OUTCOMES[outcome];
    await record(door, { outcome, voter: voterId }, label);
    if (!voterId || everyoneDone(door)) nextDoor(door);
  } finally {
    busy = false;
  }
}

// The most used parties first: ours, then by how often the ward's volunteers recorded them lately (the page
// carries the counts), then by this phone's own count; the general election list offers only the parties
// that stand for Parliament.
async function partyOptions(parties) {
  const uses = (await metaGet(`party-uses:${user}`)) || {};
  const inWard = (name, party) => (partyUse[name] && partyUse[name][party.id]) || 0;
  for (const party of parties) partyCodes.set(party.id, party.code);
  for (const fieldset of dialog.querySelectorAll("[data-parties]")) {
    const name = fieldset.dataset.parties;
    const holder = fieldset.querySelector(".choices");
    holder.replaceChildren();
    const used = (party) => (uses[name] && uses[name][party.id]) || 0;
    const offered = parties
      .filter((party) => name !== "national" || party.stands_nationally !== false)
      .sort(
        (a, b) =>
          Number(b.is_ours) - Number(a.is_ours) ||
          inWard(name, b) - inWard(name, a) ||
          used(b) - used(a) ||
          a.name.localeCompare(b.name),
      );
    for (const party of offered) {
      const label = el("label", { class: "choice party", style: `--party:${party.colour}` });
      label.append(el("input", { type: "radio", name, value: `party:${party.id}` }), el("span", {}, party.name));
      holder.append(label);
    }
    for (const [value, text] of INTENTIONS) {
      const label = el("label", { class: "choice" });
      label.append(el("input", { type: "radio", name, value }), el("span", {}, text));
      holder.append(label);
    }
  }
}

async function countPartyUse(fields) {
  const uses = (await metaGet(`party-uses:${user}`)) || {};
  for (const [name, party] of [["local", fields.local_party], ["national", fields.national_party]]) {
    if (!party) continue;
    uses[name] = uses[name] || {};
    uses[name][party] = (uses[name][party] || 0) + 1;
  }
  await metaSet(`party-uses:${user}`, uses);
}

async function loadParties() {
  try {
    const response = await fetch("/api/v1/parties/", { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    const body = await response.json();
    await partyOptions(Array.isArray(body) ? body : body.results);
  } catch (error) {
    await partyOptions([]);
    dialog.querySelector(".parties-missing").hidden = false;
  }
}

// The campaign's questions asked of this voter (the server lists them per voter): the others stay hidden.
function showQuestions(voterId) {
  const asked = new Set((voterRow(voterId).dataset.q || "").split(" ").filter(Boolean));
  for (const block of dialog.querySelectorAll("[data-question]")) {
    const shown = asked.has(block.dataset.question);
    block.hidden = !shown;
    block.disabled = !shown;
  }
}

function check(name, value) {
  const input = [...form.elements].find((node) => node.name === name && node.value === String(value));
  if (input) input.checked = true;
}

// "Change": the sheet again, filled in with what was recorded; saving it supersedes that record.
function prefill(item) {
  for (const scope of ["local", "national"]) {
    const intention = item[`${scope}_intention`];
    if (intention) check(scope, intention === "party" ? `party:${item[`${scope}_party`]}` : intention);
  }
  if (item.likelihood) check("likelihood", item.likelihood);
  for (const issue of item.issues || []) check("issue", issue);
  for (const flag of ["wants_postal_vote", "will_take_poster", "wants_to_volunteer", "casework", "do_not_knock"]) {
    if (item[flag]) form.elements[flag].checked = true;
  }
  form.elements.notes.value = item.notes || "";
  for (const answer of item.answers || []) {
    const values = Array.isArray(answer.value) ? answer.value : [answer.value];
    const field = form.elements[`q${answer.question}`];
    if (field && field.type !== "radio" && !(field instanceof RadioNodeList)) field.value = String(answer.value);
    else for (const value of values) check(`q${answer.question}`, value);
  }
}

function openSpoke(door, voterId, correcting = null) {
  spokeTarget = { door, voterId, correcting };
  form.reset();
  showQuestions(voterId);
  const item = correcting ? correcting.item : null;
  // The rarer fields stay folded for a new contact, and open when the record being changed used them.
  dialog.querySelector(".more").open = Boolean(
    item && ((item.issues || []).length || item.notes || item.wants_postal_vote || item.will_take_poster ||
      item.wants_to_volunteer || item.casework || item.do_not_knock),
  );
  if (item) prefill(item);
  const name = voterRow(voterId).querySelector(".name").textContent.trim();
  dialog.querySelector("[data-who]").textContent = name;
  dialog.querySelector("[data-mode]").textContent = correcting ? "Change: " : "";
  dialog.showModal();
}

function answers(data) {
  const given = [];
  for (const block of dialog.querySelectorAll("[data-question]")) {
    if (block.disabled) continue;
    const name = `q${block.dataset.question}`;
    const kind = block.dataset.kind;
    let value = kind === "multiple" ? data.getAll(name) : data.get(name);
    if (kind === "multiple" ? value.length === 0 : !String(value ?? "").trim()) continue;
    if (kind === "number") value = Number(value);
    else if (kind !== "multiple") value = String(value).trim();
    given.push({ question: Number(block.dataset.question), version: Number(block.dataset.version), value });
  }
  return given;
}

function intention(value) {
  if (!value) return ["", null];
  if (value.startsWith("party:")) return ["party", Number(value.slice(6))];
  return [value, null];
}

function spokeFields() {
  const data = new FormData(form);
  const [localIntention, localParty] = intention(data.get("local"));
  const [nationalIntention, nationalParty] = intention(data.get("national"));
  const other = String(data.get("issue_other") || "")
    .split(",")
    .map((text) => text.trim())
    .filter(Boolean);
  return {
    outcome: "spoke",
    voter: spokeTarget.voterId,
    local_intention: localIntention,
    local_party: localParty,
    national_intention: nationalIntention,
    national_party: nationalParty,
    likelihood: data.get("likelihood") ? Number(data.get("likelihood")) : null,
    issues: [...data.getAll("issue"), ...other],
    wants_postal_vote: data.has("wants_postal_vote"),
    will_take_poster: data.has("will_take_poster"),
    wants_to_volunteer: data.has("wants_to_volunteer"),
    casework: data.has("casework"),
    do_not_knock: data.has("do_not_knock"),
    notes: String(data.get("notes") || "").trim(),
    answers: answers(data),
  };
}

async function onSpokeSave(event) {
  event.preventDefault();
  const { door, voterId, correcting } = spokeTarget;
  const name = voterRow(voterId).querySelector(".name").textContent.trim();
  const fields = spokeFields();
  dialog.close();
  await countPartyUse(fields);
  if (correcting) {
    // A correction is a new record naming the one it replaces: the server keeps both, and counts one.
    await record(door, { ...fields, supersedes: correcting.item.client_uuid }, `Changed ${name}`);
    return;
  }
  await record(door, fields, `Spoke to ${name}`);
  if (everyoneDone(door)) nextDoor(door);
}

// A record the server has (made before this page was loaded, or on another phone) may be changed too.
function keptEntry(clientUuid) {
  for (const item of records.values()) if (item.client_uuid === clientUuid) return { item };
  return null;
}

function onChange(button) {
  const entry = local.get(button.dataset.change) || keptEntry(button.dataset.change);
  if (!entry) return;
  const door = button.closest(".door");
  // The latest record for this voter is the one to correct (a correction of a correction is fine).
  const latest = pendingFor(Number(door.dataset.h)).filter((e) => e.item.voter === entry.item.voter).pop() || entry;
  openSpoke(door, entry.item.voter, latest);
}

function openNewcomer(door) {
  newcomerDoor = door;
  newcomerDialog.querySelector("form").reset();
  newcomerDialog.querySelector("[data-door]").textContent = door.querySelector(".addr").textContent.trim();
  newcomerDialog.showModal();
}

async function onNewcomerSave(event) {
  event.preventDefault();
  const data = new FormData(event.target);
  const name = String(data.get("name") || "").trim();
  if (!name) return;
  newcomerDialog.close();
  const newResident = { name, note: String(data.get("note") || "").trim() };
  await record(newcomerDoor, { outcome: "spoke", voter: null, new_resident: newResident }, `New resident ${name}`);
}

async function undoLast() {
  const last = await metaGet(`last:${user}`);
  if (!last) return;
  undoButton.disabled = true;
  await undoContact(user, last.client_uuid, { list: last.list, label: last.label });
  await metaSet(`last:${user}`, undefined);
  local.delete(last.client_uuid);
  const door = doorOf(last.household);
  if (door) {
    paintDoor(door);
    openDoor(door);
  }
  paintProgress();
  const address = door ? door.querySelector(".addr").textContent.trim() : "";
  say(address ? `Undone: ${last.label}, ${address}. Back at ${address}.` : `Undone: ${last.label}.`);
  await app.paint();
  app.changed();
  app.sync();
}

async function restore() {
  for (const row of await outboxForUser(user)) {
    if (row.op === "create" && row.context && row.context.list === listId) {
      local.set(row.client_uuid, { item: row.item, context: row.context });
    }
  }
  for (const door of doors()) door.dataset.serverNotIn = door.classList.contains("not-in") ? "1" : "0";
  const last = await metaGet(`last:${user}`);
  undoButton.disabled = !(last && last.list === listId);
  paintAll();
}

// One door as the server has it now (canvass.walklists.changes): laid over what the page was rendered with.
function applyDoor(change) {
  const door = doorOf(change.id);
  if (!door) return;
  if (!("serverState" in door.dataset)) door.dataset.serverState = door.querySelector(".state").textContent;
  door.dataset.at = change.at;
  door.dataset.serverState = change.state;
  door.dataset.serverNotIn = change.not_in ? "1" : "0";
  door.classList.toggle("not-in", change.not_in);
  door.classList.toggle("knocked", change.knocked);
  door.classList.toggle("to-do", change.to_do);
  door.classList.toggle("no-knock", !change.knockable);
  const list = door.querySelector(".voters");
  for (const row of list.querySelectorAll(".newcomer:not(.here)")) row.remove();
  for (const name of change.newcomers || []) {
    const row = el("li", { class: "newcomer" });
    row.append(el("span", { class: "name" }, name), " ", el("span", { class: "tag" }, "Not on the register yet"));
    list.append(row);
  }
  for (const voter of change.voters) {
    const row = voterRow(voter.id);
    if (!row) continue;
    row.dataset.at = voter.at;
    let last = row.querySelector(".last");
    if (voter.summary && !last) {
      last = el("span", { class: "last" });
      row.querySelector(".done").before(last, " ");
    }
    if (last) last.textContent = voter.summary;
    // Why they are on the ward's target list: a recompute after a sync moves reasons (none: no longer a target).
    if ("why" in voter) {
      let why = row.querySelector(".why");
      if (voter.why && !why) {
        why = el("strong", { class: "why" });
        row.querySelector(".ref").before(why, " ");
      }
      if (why && voter.why) why.textContent = voter.why;
      else if (why) why.remove();
      row.classList.toggle("target", Boolean(voter.why));
    }
    if (voter.do_not_contact && !row.classList.contains("dnc")) {
      row.classList.add("dnc");
      row.querySelector(".ref").after(" ", el("strong", { class: "tag tag-dnc" }, "Do not contact"));
      for (const group of row.querySelectorAll(".act-row")) group.remove();
    }
    if (voter.record) records.set(voter.id, voter.record);
    else records.delete(voter.id);
  }
}

function applyProgress(progress) {
  const board = root.querySelector(".progress");
  for (const name of ["contacts", "to_do"]) {
    board.querySelector(`[data-progress="${name}"]`).dataset.base = String(progress[name]);
  }
}

async function keepState() {
  await metaSet(STATE_KEY, { base: pageToken, token, doors: [...applied.values()], progress: progressNow });
}

// The state kept on this phone belongs to the copy of the page it was laid over; a newer page starts afresh.
async function restoreState() {
  const kept = await metaGet(STATE_KEY);
  if (!kept || kept.base !== pageToken) return;
  token = kept.token;
  for (const change of kept.doors) {
    applied.set(change.id, change);
    applyDoor(change);
  }
  if (kept.progress) {
    progressNow = kept.progress;
    applyProgress(kept.progress);
  }
}

// The list's doors or voters changed: load it again, once for this copy of the page and never mid-door.
function reloadForStructure() {
  if (dialog.open || newcomerDialog.open) return;
  const key = `reloaded:${listId}`;
  if (sessionStorage.getItem(key) === pageToken) return;
  sessionStorage.setItem(key, pageToken);
  location.reload();
}

let asking = null;
let askAgain = false;

// Asks for what changed since the page's token; a call while one runs asks once more after it.
function askChanges() {
  if (asking) {
    askAgain = true;
    return asking;
  }
  asking = (async () => {
    try {
      if (!navigator.onLine) return;
      const url = `/api/v1/walk-lists/${listId}/changes/?since=${encodeURIComponent(token)}`;
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        cache: "no-store",
      });
      if (!response.ok) return;
      const body = await response.json();
      if (body.structure_changed) {
        reloadForStructure();
        return;
      }
      for (const change of body.doors) {
        applied.set(change.id, change);
        applyDoor(change);
      }
      if (body.progress) {
        progressNow = body.progress;
        applyProgress(body.progress);
      }
      token = body.token;
      await keepState();
      paintAll();
    } catch (error) {
      // No signal: the next sync asks again.
    } finally {
      root.dataset.changesAsked = String(Number(root.dataset.changesAsked || 0) + 1);
      asking = null;
      if (askAgain) {
        askAgain = false;
        askChanges();
      }
    }
  })();
  return asking;
}

root.addEventListener("click", (event) => {
  const head = event.target.closest(".door-head");
  if (head) {
    const door = head.closest(".door");
    if (door.classList.contains("open")) {
      door.classList.remove("open");
      head.setAttribute("aria-expanded", "false");
    } else {
      openDoor(door, { scroll: false });
    }
    return;
  }
  const action = event.target.closest("[data-outcome]");
  if (action) {
    onAction(action);
    return;
  }
  const change = event.target.closest("[data-change]");
  if (change) {
    onChange(change);
    return;
  }
  if (event.target.closest(".add-newcomer")) {
    openNewcomer(event.target.closest(".door"));
    return;
  }
  if (event.target.closest(".next")) nextDoor(event.target.closest(".door"));
});
newcomerDialog.querySelector("form").addEventListener("submit", onNewcomerSave);
newcomerDialog.querySelector("[data-cancel]").addEventListener("click", () => newcomerDialog.close());
form.addEventListener("submit", onSpokeSave);
dialog.querySelector("[data-cancel]").addEventListener("click", () => dialog.close());
undoButton.addEventListener("click", undoLast);
app.onSynced(askChanges);
window.addEventListener("online", askChanges);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") askChanges();
});

await restoreState();
await restore();
await loadParties();
root.dataset.ready = "1";
app.start([location.href, "/api/v1/parties/"]);
askChanges();
const first = doors().find((door) => !isKnocked(door) && !door.classList.contains("no-knock"));
if (first) openDoor(first, { scroll: false });
