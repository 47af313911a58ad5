// The volunteer's walk lists: keeps the page for offline use and sends anything still queued.

import { App } from "./app.js";

const root = document.getElementById("doorstep");
new App(root).start([location.href]);
