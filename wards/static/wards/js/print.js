// The walk sheet's "Print" button; without JavaScript the browser's own Print works the same.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
