// The phone's own store: the outbox of contacts (and undos) waiting to be sent, and a little state.
// IndexedDB survives reloads, closed tabs and restarts, so nothing recorded offline is lost.

const DB_NAME = "canvass-doorstep";
const DB_VERSION = 1;

let opening = null;

export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        // One row per queued operation, keyed by the contact's client UUID so a contact is queued once.
        const outbox = db.createObjectStore("outbox", { keyPath: "client_uuid" });
        outbox.createIndex("by_user", "user");
        db.createObjectStore("meta", { keyPath: "key" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("The doorstep store is open in an older tab; close it."));
    });
  }
  return opening;
}

function done(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("transaction aborted"));
  });
}

function result(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function outboxAdd(entry) {
  const db = await openDb();
  const tx = db.transaction("outbox", "readwrite");
  tx.objectStore("outbox").add(entry);
  await done(tx);
}

export async function outboxForUser(user) {
  const db = await openDb();
  const tx = db.transaction("outbox", "readonly");
  const rows = await result(tx.objectStore("outbox").index("by_user").getAll(user));
  return rows.sort((a, b) => a.seq - b.seq);
}

export async function outboxGet(clientUuid) {
  const db = await openDb();
  return result(db.transaction("outbox", "readonly").objectStore("outbox").get(clientUuid));
}

// Removes only the rows the server has answered "ok" for, in one transaction.
export async function outboxDelete(clientUuids) {
  if (!clientUuids.length) return;
  const db = await openDb();
  const tx = db.transaction("outbox", "readwrite");
  const store = tx.objectStore("outbox");
  for (const id of clientUuids) store.delete(id);
  await done(tx);
}

export async function outboxPut(entries) {
  if (!entries.length) return;
  const db = await openDb();
  const tx = db.transaction("outbox", "readwrite");
  const store = tx.objectStore("outbox");
  for (const entry of entries) store.put(entry);
  await done(tx);
}

export async function metaGet(key) {
  const db = await openDb();
  const row = await result(db.transaction("meta", "readonly").objectStore("meta").get(key));
  return row ? row.value : undefined;
}

export async function metaSet(key, value) {
  const db = await openDb();
  const tx = db.transaction("meta", "readwrite");
  if (value === undefined) tx.objectStore("meta").delete(key);
  else tx.objectStore("meta").put({ key, value });
  await done(tx);
}
