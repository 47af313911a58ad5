// Shared by every doorstep page: installs the service worker, keeps the page for offline use,
// shows the signal and the "n waiting to send" count, and sends the queue whenever there is signal.

import { outboxForUser } from "./db.js";
import { guardOfflineCopy, offlineCopySynced } from "./ownership.js";
import { NeedsLogin, syncNow } from "./sync.js";

const RETRY_MS = 20000;

export class App {
  constructor(root) {
    this.root = root;
    this.user = Number(root.dataset.user);
    this.status = document.getElementById("status");
    this.listeners = [];
    this.timer = null;
    this.syncing = null; // the pass running now, if any
    this.again = null; // the pass asked for while it runs
    // Other tabs of this site say when the queue changed, so every tab shows the same count.
    this.channel = "BroadcastChannel" in window ? new BroadcastChannel("canvass-doorstep") : null;
  }

  changed() {
    if (this.channel) this.channel.postMessage("changed");
  }

  start(keepUrls) {
    window.addEventListener("online", () => this.sync());
    window.addEventListener("offline", () => this.paint());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.sync();
    });
    if (this.channel) this.channel.onmessage = () => this.paint();
    this.guardLogout();
    // In order: the offline copy is checked (another user's dropped) before anything else touches it, then
    // this volunteer's queue is sent, then the page is kept for offline use. `data-synced` says the first
    // pass is over (sent, kept for later, or refused), so nobody mistakes the page's "All sent" before it
    // has read the queue for the queue being empty.
    this.offlineCopy = (async () => {
      const state = await guardOfflineCopy(this.root, this.user);
      this.root.dataset.offlineCopy = state;
      await this.sync();
      this.root.dataset.synced = "1";
      if (state !== "ended" && state !== "expired") this.installWorker(keepUrls);
      return state;
    })();
  }

  // Contacts still queued stay on the phone for this volunteer's next login; say so before logging out.
  guardLogout() {
    const logout = document.querySelector('form[action$="/accounts/logout/"]');
    if (!logout) return;
    logout.addEventListener("submit", async (event) => {
      if (logout.dataset.confirmed) return;
      event.preventDefault();
      const { waiting } = await this.pending();
      const sure =
        !waiting ||
        window.confirm(`${waiting} contacts are still waiting to send. They stay on this phone until you log in again. Log out?`);
      if (sure) {
        logout.dataset.confirmed = "1";
        logout.requestSubmit();
      }
    });
  }

  onSynced(listener) {
    this.listeners.push(listener);
  }

  async installWorker(keepUrls) {
    if (!("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      const registration = await navigator.serviceWorker.ready;
      await this.keep(registration.active, keepUrls);
    } catch (error) {
      this.say("This phone cannot keep the list offline.");
    }
  }

  // Asks the worker to store this page and its data, then says so once they are really in the cache.
  async keep(worker, urls) {
    const missing = [];
    for (const url of urls) if (!(await caches.match(url, { ignoreVary: true }))) missing.push(url);
    if (missing.length && worker) {
      await new Promise((resolve) => {
        const onMessage = (event) => {
          if (event.data && event.data.type === "kept") {
            navigator.serviceWorker.removeEventListener("message", onMessage);
            resolve();
          }
        };
        navigator.serviceWorker.addEventListener("message", onMessage);
        worker.postMessage({ type: "keep", urls: missing });
        setTimeout(resolve, 15000);
      });
    }
    if (await caches.match(urls[0], { ignoreVary: true })) {
      document.documentElement.dataset.offlineReady = "1";
      const note = document.getElementById("offline-ready");
      if (note) note.hidden = false;
    }
  }

  async pending() {
    const rows = await outboxForUser(this.user);
    return {
      waiting: rows.filter((row) => row.state === "queued").length,
      failed: rows.filter((row) => row.state === "failed"),
      rows,
    };
  }

  // The last thing said stays until something new is said, so a sync does not wipe "Saved: …".
  say(text) {
    this.note = text;
    const message = this.status && this.status.querySelector("[data-message]");
    if (message) message.textContent = text;
  }

  async paint(extra) {
    if (!this.status) return;
    const { waiting, failed } = await this.pending();
    const count = this.status.querySelector("[data-waiting]");
    count.textContent = waiting ? `${waiting} waiting to send` : "All sent";
    count.dataset.count = String(waiting);
    this.status.classList.toggle("has-waiting", waiting > 0);
    this.status.classList.toggle("is-offline", !navigator.onLine);
    const net = this.status.querySelector("[data-net]");
    net.textContent = navigator.onLine ? "Online" : "No signal";
    const trouble = failed.length ? `${failed.length} could not be sent: see the organiser.` : "";
    this.say(extra || trouble || this.note || "");
  }

  schedule(waiting) {
    clearTimeout(this.timer);
    if (waiting) this.timer = setTimeout(() => this.sync(), RETRY_MS);
  }

  // One pass at a time. A call while a pass runs (a contact saved, the signal back) is not dropped: the
  // running pass is followed by another, and both callers wait for the queue to have been read after their call.
  sync() {
    if (this.syncing) {
      const next = () => {
        this.again = null;
        return this.sync();
      };
      this.again = this.again || this.syncing.then(next, next);
      return this.again;
    }
    this.syncing = this.pass().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  async pass() {
    let note = "";
    try {
      if (navigator.onLine) {
        const outcome = await syncNow(this.user);
        if (outcome.sent) await offlineCopySynced();
        if (outcome.sent || outcome.failed) this.changed();
        if (outcome.sent) this.listeners.forEach((listener) => listener(outcome));
      }
    } catch (error) {
      note = error instanceof NeedsLogin ? "Log in again to send your contacts." : "";
    } finally {
      const { waiting } = await this.pending();
      this.schedule(waiting);
      await this.paint(note);
    }
  }
}
