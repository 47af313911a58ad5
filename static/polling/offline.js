// Polling day's pages work with no signal through the doorstep pages' service worker (/sw.js): this page,
// its scripts and its data are asked to be kept, and <html data-offline-ready="1"> says when they are.

export async function keepOffline(urls) {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const registration = await navigator.serviceWorker.ready;
    const scripts = [...document.querySelectorAll("script[src], link[rel=stylesheet]")].map((el) => el.src || el.href);
    const wanted = [location.pathname, ...urls, ...scripts, new URL("./offline.js", import.meta.url).href];
    await new Promise((resolve) => {
      const onMessage = (event) => {
        if (event.data && event.data.type === "kept") {
          navigator.serviceWorker.removeEventListener("message", onMessage);
          resolve();
        }
      };
      navigator.serviceWorker.addEventListener("message", onMessage);
      registration.active.postMessage({ type: "keep", urls: wanted });
      setTimeout(resolve, 10000);
    });
    document.documentElement.dataset.offlineReady = "1";
  } catch {
    // No worker (private mode, old browser): the page still works while it stays open.
  }
}
