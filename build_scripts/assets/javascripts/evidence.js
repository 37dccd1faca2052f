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

// Tooltips: the theme draws an element's title as HTML (its tooltip inserts the text with
// innerHTML), so a title that holds '<' from a reference or a quotation would become markup.
// Titles are given to it escaped, so that the tooltip shows them as text. This runs as the page is
// parsed, before DOMContentLoaded, when the theme mounts its tooltips; without JavaScript the
// browser shows each title as it is written.
(function () {
  document.querySelectorAll("[title]").forEach(function (node) {
    node.title = node.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  });
})();
