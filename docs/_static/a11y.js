// A code block or printed output wider or taller than its box scrolls, and a
// keyboard scrolls only what it can focus (axe: scrollable-region-focusable).
// Whether a block overflows depends on the screen, so it is checked here, on
// load and whenever the window changes size.
function makeScrollableBlocksFocusable() {
  for (const pre of document.querySelectorAll("article pre")) {
    const scrolls =
      pre.scrollWidth > pre.clientWidth || pre.scrollHeight > pre.clientHeight;
    if (scrolls) {
      pre.tabIndex = 0;
    } else if (pre.getAttribute("tabindex") === "0") {
      pre.removeAttribute("tabindex");
    }
  }
}
makeScrollableBlocksFocusable();
window.addEventListener("resize", makeScrollableBlocksFocusable);
