// The quotations explorer on the quotations index: filters every quotation of the exported data
// (data/evidence.json) in the browser, by study, speaker group, role, stage, finding and words.
// While a filter is set, the list of matches replaces the
// table (and its pager). The form is in place, disabled, until the data is ready; without
// JavaScript it is not shown (evidence.css) and the table is the page.
(function () {
  function option(select, value, label) {
    var item = document.createElement("option");
    item.value = value;
    item.textContent = label;
    select.appendChild(item);
  }

  // Online the export is fetched as JSON; the offline copy (file://, where fetch is refused)
  // loads it as a script that sets window.evidenceData.
  function load(url) {
    if (!/\.js$/.test(url)) { return fetch(url).then(function (r) { return r.json(); }); }
    return new Promise(function (resolve, reject) {
      if (window.evidenceData) { resolve(window.evidenceData); return; }
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () { resolve(window.evidenceData); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // Permalinks are directory URLs (findings/x/#q); the offline copy has findings/x.html#q.
  function address(form, url) {
    var local = form.hasAttribute("data-file-urls") ? url.replace(/\/(#|$)/, ".html$1") : url;
    return form.getAttribute("data-root") + local;
  }

  function start(form) {
    load(form.getAttribute("data-export")).then(function (data) {
      var roles = {}, findings = {}, stages = {}, groups = {}, studies = {};
      data.studies.forEach(function (x) { studies[x.id] = x; });
      data.roles.forEach(function (x) { roles[x.id] = x; });
      data.findings.forEach(function (x) { findings[x.id] = x; });
      data.stages.forEach(function (x) { stages[x.id] = x; });
      data.groups.forEach(function (x) { groups[x.id] = x; });
      data.studies.forEach(function (x) { option(form.study, x.id, x.label); });
      data.groups.forEach(function (x) { option(form.group, x.id, x.label); });
      data.roles.forEach(function (x) { option(form.role, x.id, x.label); });
      data.stages.forEach(function (x) { option(form.stage, x.id, "Stage " + x.number + ": " + x.title); });
      data.findings.forEach(function (x) { option(form.finding, x.id, x.title); });
      var results = form.parentNode.querySelector(".explorer-results");
      var full = form.parentNode.querySelectorAll(".explorer-full");
      var count = form.querySelector(".explorer-count");
      function show() {
        var words = form.words.value.trim().toLowerCase();
        var filtering = Boolean(form.study.value || form.group.value || form.role.value ||
          form.stage.value || form.finding.value || words);
        full.forEach(function (part) { part.hidden = filtering; });
        results.hidden = !filtering;
        var shown = data.quotes.filter(function (q) {
          return (!form.study.value || q.study === form.study.value) &&
            (!form.group.value || roles[q.role].group === form.group.value) &&
            (!form.role.value || q.role === form.role.value) &&
            (!form.stage.value || q.stage === form.stage.value) &&
            (!form.finding.value || q.finding === form.finding.value) &&
            (!words || q.text.toLowerCase().indexOf(words) !== -1);
        });
        results.textContent = "";
        shown.forEach(function (q) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = address(form, q.url);
          link.textContent = q.text;
          var who = document.createElement("span");
          who.className = "explorer-speaker";
          who.textContent = " — " + q.speaker + " · " + studies[q.study].label + " · " +
            findings[q.finding].title;
          item.appendChild(link);
          item.appendChild(who);
          results.appendChild(item);
        });
        count.textContent = shown.length + " of " + data.quotes.length + " quotations";
      }
      form.addEventListener("input", show);
      form.querySelector("fieldset").disabled = false;
      form.removeAttribute("aria-busy");
      show();
    });
  }

  function mount() {
    document.querySelectorAll("form.quote-explorer[aria-busy]").forEach(start);
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(mount); }
  else { document.addEventListener("DOMContentLoaded", mount); }
})();
