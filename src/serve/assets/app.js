// graf serve: small conveniences on top of pages that work without JavaScript.
// "/" focuses the query box; "Neighbouring paragraphs" shows the passages around a hit
// inline (from /api/articles/{id}?from=&to=) instead of opening the article. Text from the
// index is inserted with textContent only, never as HTML.
"use strict";

const REACH = 2;

document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  const box = document.getElementById("q");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});

function passageElement(passage, className) {
  const element = document.createElement("p");
  element.className = className;
  element.textContent = passage.text;
  return element;
}

async function toggleNeighbours(link) {
  const hit = link.closest(".hit");
  const shown = hit.querySelectorAll(".neighbours");
  if (shown.length > 0) {
    shown.forEach((element) => element.remove());
    link.setAttribute("aria-expanded", "false");
    return;
  }
  const paragraph = Number(link.dataset.paragraph);
  const from = Math.max(0, paragraph - REACH);
  const url = "/api/articles/" + encodeURIComponent(link.dataset.article) +
    "?from=" + from + "&to=" + (paragraph + REACH);
  const response = await fetch(url);
  if (!response.ok) {
    window.location.href = link.href;
    return;
  }
  const article = await response.json();
  const before = document.createElement("div");
  const after = document.createElement("div");
  before.className = "neighbours before";
  after.className = "neighbours after";
  for (const passage of article.passages) {
    if (passage.paragraph < paragraph) before.appendChild(passageElement(passage, "near"));
    if (passage.paragraph > paragraph) after.appendChild(passageElement(passage, "near"));
  }
  const text = hit.querySelector("p.text");
  text.before(before);
  text.after(after);
  link.setAttribute("aria-expanded", "true");
}

document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a.more[data-article]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  toggleNeighbours(link).catch(() => { window.location.href = link.href; });
});

// On a narrow screen the facet panel starts folded, so the results come first.
document.addEventListener("DOMContentLoaded", () => {
  if (window.matchMedia("(max-width: 760px)").matches) {
    for (const panel of document.querySelectorAll("details.facets")) panel.open = false;
  }
});
