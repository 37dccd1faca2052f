// "Cite this": when the site's address is not configured, permalinks are written relative to the
// site's root; in the browser, make them absolute from the page's own address so that copied
// citations work anywhere, and add them to the COinS that reference managers read (they take
// only http(s) addresses). Without JavaScript the relative permalink stays readable.
// The access date of the BibTeX and CSL-JSON forms is the release date as built; in the
// browser it becomes the reader's own day.
(function () {
  function absolute(node) {
    return new URL(node.getAttribute("data-root") + node.getAttribute("data-permalink"),
      window.location.href).href;
  }
  function today() {
    var now = new Date();
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()];
  }
  function accessed(box) {
    var day = today();
    var iso = day[0] + "-" + String(day[1]).padStart(2, "0") + "-" + String(day[2]).padStart(2, "0");
    box.querySelectorAll("code.language-bibtex").forEach(function (node) {
      node.textContent = node.textContent.replace(/(\burldate = \{)[0-9-]+(\})/, "$1" + iso + "$2");
    });
    box.querySelectorAll("code.language-json").forEach(function (node) {
      node.textContent = node.textContent.replace(/("accessed": \{"date-parts": \[\[)[0-9, ]+(\]\]\})/,
        "$1" + day.join(", ") + "$2");
    });
  }
  function absolutise() {
    var web = /^https?:$/.test(window.location.protocol);
    document.querySelectorAll("details.cite-this").forEach(function (box) {
      accessed(box);
      if (!box.hasAttribute("data-permalink")) { return; }
      var relative = box.getAttribute("data-permalink");
      var address = absolute(box);
      box.querySelectorAll("pre code, a.permalink").forEach(function (node) {
        node.textContent = node.textContent.split(relative).join(address);
      });
      box.removeAttribute("data-permalink");
    });
    if (!web) { return; }
    document.querySelectorAll("span.Z3988[data-permalink]").forEach(function (span) {
      span.title += "&rft_id=" + encodeURIComponent(absolute(span));
      span.removeAttribute("data-permalink");
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
