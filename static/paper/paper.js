// Paper returns: keyboard-first entry of a printed walk sheet. One client UUID per entry, kept until the server
// has answered for it, so pressing Enter twice (or a retry after a dropped connection) stores one contact.

import { clientUuid } from "../doorstep/sync.js";

const form = document.getElementById("paper-entry");
const reference = document.getElementById("paper-reference");
const codes = document.getElementById("paper-codes");
const date = document.getElementById("paper-date");
const voter = document.getElementById("paper-voter");
const error = document.getElementById("paper-error");
const entries = document.getElementById("paper-entries");
const count = document.getElementById("paper-count");
const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;

let entryId = clientUuid();
let keyedAt = null; // when this entry was first sent, sent again with any retry of it
let found = null; // the elector the number names, once the server has said who
let sending = false;
const keyed = []; // [{client_uuid, row}] newest last

function showError(message) {
  error.textContent = message;
  error.hidden = !message;
}

function firstError(body) {
  const errors = (body && body.errors) || {};
  const [first] = Object.values(errors);
  return (first && first[0]) || "The entry was not saved.";
}

async function post(url, payload) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(payload),
    credentials: "same-origin",
  });
  return { ok: response.ok, body: await response.json().catch(() => ({})) };
}

async function lookUp() {
  const wanted = reference.value.trim();
  found = null;
  voter.textContent = "";
  if (!wanted) return false;
  // In the body, not the query string: no elector number travels in a URL.
  const { ok, body } = await post(form.dataset.lookup, { reference: wanted });
  if (reference.value.trim() !== wanted) return false; // typed on meanwhile
  if (!ok) {
    showError(firstError(body));
    return false;
  }
  showError("");
  found = body;
  voter.textContent = `${body.reference}: ${body.name}${body.address ? `, ${body.address}` : ""}`;
  return true;
}

function addRow(body, typed) {
  const row = entries.insertRow(0);
  row.dataset.clientUuid = body.client_uuid;
  for (const text of [body.reference, body.name, typed]) row.insertCell().textContent = text;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.textContent = "Undo";
  button.addEventListener("click", () => undo(body.client_uuid));
  row.insertCell().append(button);
  keyed.push({ client_uuid: body.client_uuid, row });
  count.textContent = String(keyed.length);
}

async function save() {
  if (sending) return; // the same entry is already on its way
  if (!found && !(await lookUp())) {
    reference.focus();
    return;
  }
  sending = true;
  keyedAt = keyedAt || new Date().toISOString();
  const typed = codes.value.trim().toUpperCase();
  try {
    const { ok, body } = await post(form.dataset.entry, {
      client_uuid: entryId,
      reference: reference.value.trim(),
      codes: typed,
      contacted_on: date.value,
      keyed_at: keyedAt,
    });
    if (!ok) {
      showError(firstError(body));
      (body.errors && body.errors.reference ? reference : codes).focus();
      return;
    }
    showError("");
    addRow(body, typed);
    entryId = clientUuid();
    keyedAt = null;
    found = null;
    form.reset();
    date.value = body.contacted_on || date.value;
    voter.textContent = `Saved ${body.reference}: ${body.name}.`;
    reference.focus();
  } catch {
    showError("No answer from the server: press Enter again to retry (it will not be stored twice).");
  } finally {
    sending = false;
  }
}

async function undo(uuid) {
  const { ok, body } = await post(form.dataset.undo, { client_uuid: uuid });
  if (!ok) {
    showError(firstError(body));
    return;
  }
  const at = keyed.findIndex((entry) => entry.client_uuid === uuid);
  if (at >= 0) {
    keyed[at].row.remove();
    keyed.splice(at, 1);
  }
  count.textContent = String(keyed.length);
  voter.textContent = "Undone.";
  reference.focus();
}

reference.addEventListener("keydown", async (event) => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  if (await lookUp()) codes.focus();
});
reference.addEventListener("input", () => {
  found = null;
  voter.textContent = "";
});
codes.addEventListener("keydown", (event) => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  save();
});
form.addEventListener("submit", (event) => event.preventDefault());
document.addEventListener("keydown", (event) => {
  if (event.altKey && (event.key === "u" || event.key === "U") && keyed.length) {
    event.preventDefault();
    undo(keyed[keyed.length - 1].client_uuid);
  }
});
