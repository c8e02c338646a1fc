// Progressive enhancement: show a "Print this summary" button where printing is possible.
// Without JavaScript the page says how to print from the browser.
document.querySelectorAll(".js-print").forEach((button) => {
  if (typeof window.print !== "function") return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
