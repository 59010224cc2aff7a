// Ask page.
// 1. Streaming: when the form is sent, the answer is asked of POST /ask as Server-Sent Events and shown as it
//    arrives; the finished answer (the `done` event) is then rendered by the server (POST /fragments/answer,
//    nothing computed again) with the same markup as GET /?q=. Without fetch streams the GET form is used.
// 2. Each [n] marker opens its source (quote, guide, link to the span) under the answer.
// Every piece of text from the stream goes in with textContent: questions and guides are never markup here.
(function () {
  "use strict";

  // ---------------------------------------------------------------- citation markers
  var current = null;

  function panelEl() { return document.getElementById("cite-panel"); }

  function close(refocus) {
    var panel = panelEl();
    if (panel) {
      panel.hidden = true;
      panel.textContent = "";
    }
    if (current) {
      current.setAttribute("aria-expanded", "false");
      if (refocus && document.contains(current)) current.focus();
    }
    current = null;
  }

  function open(marker) {
    var panel = panelEl();
    var n = marker.getAttribute("data-cite");
    var src = document.getElementById("cite-" + n);
    if (!panel || !src) return;
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

  // ---------------------------------------------------------------- streaming
  var form = document.querySelector("form.ask");
  var box = document.getElementById("q");
  var result = document.getElementById("result");
  var canStream = !!(window.fetch && window.TextDecoder && window.ReadableStream && window.AbortController &&
                     window.history && history.replaceState && form && box && result);
  if (!canStream) return; // the GET form works as it is
  var inflight = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function showError(message) {
    result.textContent = "";
    result.appendChild(el("p", "error", message)).setAttribute("role", "alert");
  }

  // The live section shown while the answer arrives.
  function liveSection() {
    result.textContent = "";
    var sec = el("section", "answer streaming");
    sec.id = "answer";
    sec.setAttribute("aria-labelledby", "answer-h");
    sec.setAttribute("aria-busy", "true");
    var h = el("h2", null, "Answer");
    h.id = "answer-h";
    h.tabIndex = -1;
    var status = el("p", "status", "Answering…");
    status.id = "answer-status";
    status.setAttribute("role", "status");
    var text = el("p", "answer-text");
    text.id = "answer-live";
    text.setAttribute("aria-live", "polite");
    text.setAttribute("aria-label", "Answer so far");
    sec.appendChild(h);
    sec.appendChild(status);
    sec.appendChild(text);
    result.appendChild(sec);
    return { section: sec, status: status, text: text };
  }

  // Parse Server-Sent Events from a growing buffer; returns what is left over.
  function parseEvents(buf, onEvent) {
    buf = buf.replace(/\r\n?/g, "\n");
    var cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      var block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      var name = "message", data = [];
      block.split("\n").forEach(function (line) {
        if (!line || line.charAt(0) === ":") return;
        var i = line.indexOf(":");
        var field = i < 0 ? line : line.slice(0, i);
        var value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
        if (field === "event") name = value;
        else if (field === "data") data.push(value);
      });
      if (data.length) onEvent(name, data.join("\n"));
    }
    return buf;
  }

  function errorMessage(body, status) {
    try {
      var j = JSON.parse(body);
      if (j && j.error && j.error.message) return String(j.error.message);
      if (j && typeof j.detail === "string") return j.detail;
    } catch (e) { /* not JSON */ }
    return "The question could not be answered (HTTP " + status + ").";
  }

  function renderFinal(answer, signal) {
    return fetch("/fragments/answer", {
      method: "POST", headers: { "Content-Type": "application/json", "Accept": "text/html" },
      body: JSON.stringify(answer), signal: signal
    }).then(function (r) {
      if (!r.ok) throw new Error("fragment " + r.status);
      return r.text();
    }).then(function (html) {
      // server-rendered with Jinja2 autoescaping: the same markup as GET /?q=
      var tpl = document.createElement("template");
      tpl.innerHTML = html;
      close(false);
      result.textContent = "";
      result.appendChild(tpl.content);
      var sec = document.getElementById("answer");
      if (sec) sec.setAttribute("data-streamed", "1");
      var h = document.getElementById("answer-h");
      if (h) h.focus();
    });
  }

  function ask(q) {
    if (inflight) inflight.abort();
    var ctrl = new AbortController();
    inflight = ctrl;
    history.replaceState(null, "", "/?q=" + encodeURIComponent(q));
    var ex = document.querySelector("section.examples");
    if (ex) ex.parentNode.removeChild(ex);
    close(false);
    var live = liveSection();
    var finished = false;

    function fail(message) {
      if (inflight !== ctrl) return;
      finished = true;
      showError(message);
    }

    function onEvent(name, data) {
      if (finished || inflight !== ctrl) return;
      var payload;
      try { payload = JSON.parse(data); } catch (e) { return; }
      if (name === "delta") {
        live.text.appendChild(document.createTextNode(String(payload.text || "")));
      } else if (name === "reset") {
        live.text.textContent = "";
      } else if (name === "error") {
        fail((payload.error && payload.error.message) || "The answer could not be completed.");
      } else if (name === "done") {
        finished = true;
        live.status.textContent = "Answered; showing the sources…";
        renderFinal(payload, ctrl.signal).catch(function (e) {
          if (e && e.name === "AbortError") return;
          window.location.assign("/?q=" + encodeURIComponent(q)); // the server renders it the usual way
        });
      }
    }

    fetch("/ask", {
      method: "POST", headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify({ question: q, stream: true }), signal: ctrl.signal
    }).then(function (r) {
      if (!r.ok || !r.body) {
        return r.text().then(function (t) { fail(errorMessage(t, r.status)); });
      }
      var reader = r.body.getReader();
      var decoder = new TextDecoder();
      var buf = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            buf = parseEvents(buf + decoder.decode() + "\n\n", onEvent);
            if (!finished) fail("The answer was cut off; please ask again.");
            return;
          }
          buf = parseEvents(buf + decoder.decode(chunk.value, { stream: true }), onEvent);
          return pump();
        });
      }
      return pump();
    }).catch(function (e) {
      if (e && e.name === "AbortError") return;
      fail("The service could not be reached; please try again.");
    });
  }

  form.addEventListener("submit", function (ev) {
    var q = box.value.trim();
    if (!q || q.length > 1000) return; // the server explains (or the browser's own checks do)
    ev.preventDefault();
    ask(q);
  });
})();
