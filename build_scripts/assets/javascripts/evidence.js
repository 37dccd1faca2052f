// "Cite this": when the site's address is not configured, permalinks are written relative to the
// site's root; in the browser, make them absolute from the page's own address so that copied
// citations work anywhere. Without JavaScript the relative permalink stays readable.
(function () {
  function absolutise() {
    document.querySelectorAll("details.cite-this[data-permalink]").forEach(function (box) {
      var relative = box.getAttribute("data-permalink");
      var absolute = new URL(box.getAttribute("data-root") + relative, window.location.href).href;
      box.querySelectorAll("pre code, a.permalink").forEach(function (node) {
        node.textContent = node.textContent.split(relative).join(absolute);
      });
      box.removeAttribute("data-permalink");
    });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(absolutise);
  } else {
    document.addEventListener("DOMContentLoaded", absolutise);
  }
})();

// Previews for keyboard users: a link's title (the full reference, a quotation's words) is shown
// while the link has keyboard focus, until Escape; pointer users get the browser's own tooltip
// from the same title, which is also the link's accessible description (so this copy is hidden
// from assistive technology). The preview is filled with textContent: its text stays text.
(function () {
  var tip = document.createElement("div");
  tip.className = "evidence-tip";
  tip.setAttribute("aria-hidden", "true");
  tip.hidden = true;
  function hide() {
    tip.hidden = true;
  }
  document.addEventListener("focusin", function (event) {
    var link = event.target.closest ? event.target.closest(".md-content a[title]") : null;
    if (!link || !link.title || !link.matches(":focus-visible")) {
      hide();
      return;
    }
    if (!tip.parentNode) { document.body.appendChild(tip); }
    tip.textContent = link.title;
    tip.hidden = false;
    var box = link.getBoundingClientRect();
    var room = document.documentElement.clientWidth - tip.offsetWidth - 8;
    tip.style.left = Math.max(8, Math.min(box.left, room)) + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + 6 + "px";
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
  });
})();
