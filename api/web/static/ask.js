// Ask page: each [n] marker opens its source (quote, guide, link to the span) under the answer.
(function () {
  "use strict";
  var panel = document.getElementById("cite-panel");
  if (!panel) return;
  var current = null;

  function close(refocus) {
    panel.hidden = true;
    panel.textContent = "";
    if (current) {
      current.setAttribute("aria-expanded", "false");
      if (refocus) current.focus();
    }
    current = null;
  }

  function open(marker) {
    var n = marker.getAttribute("data-cite");
    var src = document.getElementById("cite-" + n);
    if (!src) return;
    if (current === marker) { close(true); return; }
    if (current) current.setAttribute("aria-expanded", "false");
    panel.textContent = "";
    var head = document.createElement("div");
    head.className = "cite-head";
    var h = document.createElement("strong");
    h.textContent = "Source [" + n + "]";
    var x = document.createElement("button");
    x.type = "button";
    x.className = "close";
    x.textContent = "Close";
    x.setAttribute("aria-label", "Close source " + n);
    x.addEventListener("click", function () { close(true); });
    head.appendChild(h);
    head.appendChild(x);
    panel.appendChild(head);
    for (var i = 0; i < src.childNodes.length; i++) panel.appendChild(src.childNodes[i].cloneNode(true));
    var link = panel.querySelector("a.guide-link");
    if (link) {
      var go = document.createElement("a");
      go.className = "open-guide";
      go.href = link.getAttribute("href");
      go.textContent = "Open the guide at this passage";
      var p = document.createElement("p");
      p.appendChild(go);
      panel.appendChild(p);
    }
    panel.hidden = false;
    marker.setAttribute("aria-expanded", "true");
    current = marker;
    panel.focus({ preventScroll: true });
    if (panel.scrollIntoView) panel.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("click", function (ev) {
    var m = ev.target.closest && ev.target.closest("a.marker[data-cite]");
    if (!m) return;
    ev.preventDefault();
    open(m);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && current) close(true);
  });
})();
