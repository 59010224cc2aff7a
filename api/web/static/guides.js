// Guide library: upload / re-ingest / delete, shown only once an API key is entered and accepted.
(function () {
  "use strict";
  var keyForm = document.getElementById("key-form");
  if (!keyForm) return; // writing is off on this server
  var STORE = "careerkg-api-key", FLASH = "careerkg-flash";
  var keyInput = document.getElementById("api-key");
  var keyStatus = document.getElementById("key-status");
  var opStatus = document.getElementById("op-status");
  var upload = document.getElementById("upload-form");
  var progress = document.getElementById("upload-progress");
  var maxBytes = parseInt(upload.getAttribute("data-max-bytes"), 10) || 0;

  function say(el, text, kind) {
    el.textContent = text;
    el.className = kind || "";
  }

  function key() { return sessionStorage.getItem(STORE) || ""; }

  function message(status, body) {
    try {
      var e = JSON.parse(body).error;
      if (e && e.message) return e.message + " (HTTP " + status + ")";
    } catch (ignore) { /* not JSON */ }
    if (status === 0) return "The server could not be reached.";
    return "The server answered HTTP " + status + ".";
  }

  function send(method, url, body, ctype, onProgress) {
    return new Promise(function (resolve) {
      var x = new XMLHttpRequest();
      x.open(method, url);
      x.setRequestHeader("Authorization", "Bearer " + key());
      if (ctype) x.setRequestHeader("Content-Type", ctype + "; charset=utf-8");
      if (onProgress && x.upload) x.upload.onprogress = onProgress;
      x.onload = function () { resolve({ status: x.status, body: x.responseText }); };
      x.onerror = function () { resolve({ status: 0, body: "" }); };
      x.send(body);
    });
  }

  function show(unlocked) {
    upload.hidden = !unlocked;
    keyForm.hidden = unlocked;
    Array.prototype.forEach.call(document.querySelectorAll(".ops"), function (e) { e.hidden = !unlocked; });
  }

  // the key is checked by deleting a guide that cannot exist: 404 means the key was accepted
  function check(k) {
    sessionStorage.setItem(STORE, k);
    return send("DELETE", "/documents/-key-check").then(function (r) {
      if (r.status === 404) { show(true); say(keyStatus, "Key accepted: you can add, re-ingest and delete guides.", "ok"); return; }
      sessionStorage.removeItem(STORE);
      show(false);
      say(keyStatus, r.status === 401 ? "Wrong API key." : message(r.status, r.body), "error");
    });
  }

  keyForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var k = keyInput.value.trim();
    if (k) check(k);
  });
  document.getElementById("lock").addEventListener("click", function () {
    sessionStorage.removeItem(STORE);
    keyInput.value = "";
    show(false);
    say(keyStatus, "Key forgotten.", "");
  });

  function typeOf(name) {
    var n = name.toLowerCase();
    if (/\.(md|markdown)$/.test(n)) return "text/markdown";
    if (/\.html?$/.test(n)) return "text/html";
    return "text/plain";
  }

  function slug(name) {
    return name.replace(/\.[^.]*$/, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 120);
  }

  var fileInput = document.getElementById("file"), idInput = document.getElementById("doc-id");
  fileInput.addEventListener("change", function () {
    var f = fileInput.files[0];
    if (f && !idInput.value) idInput.value = slug(f.name);
  });

  function done(text) {
    sessionStorage.setItem(FLASH, text);
    window.location.reload();
  }

  upload.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var id = idInput.value.trim(), f = fileInput.files[0], pasted = document.getElementById("paste").value;
    var body, ctype;
    if (f) { body = f; ctype = typeOf(f.name); }
    else if (pasted.trim()) { body = new Blob([pasted]); ctype = document.getElementById("ctype").value; }
    else { say(opStatus, "Choose a file or paste the guide's text.", "error"); return; }
    if (maxBytes && body.size > maxBytes) {
      say(opStatus, "That guide is " + body.size.toLocaleString() + " bytes; the server accepts at most " +
          maxBytes.toLocaleString() + ".", "error");
      return;
    }
    progress.hidden = false;
    progress.value = 0;
    say(opStatus, "Uploading " + id + "…", "");
    send("PUT", "/documents/" + encodeURIComponent(id), body, ctype, function (e) {
      if (e.lengthComputable) {
        progress.value = Math.round(100 * e.loaded / e.total);
        if (e.loaded === e.total) say(opStatus, "Ingesting " + id + " (chunking, extracting, embedding)…", "");
      }
    }).then(function (r) {
      progress.hidden = true;
      if (r.status === 200 || r.status === 201) {
        var o = JSON.parse(r.body);
        done(o.doc_id + ": " + o.status + ", version " + o.version + ", " + o.chunks + " chunks, " + o.claims +
             " claims, in " + o.seconds + " s.");
      } else {
        say(opStatus, "Upload failed: " + message(r.status, r.body), "error");
        if (r.status === 401) show(false);
      }
    });
  });

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("button.reingest, button.delete");
    if (!b) return;
    var id = b.getAttribute("data-doc-id");
    if (b.classList.contains("reingest")) {
      idInput.value = id;
      say(opStatus, "Choose the new version of " + id + " (file or pasted text), then Upload.", "");
      fileInput.focus();
      upload.scrollIntoView({ block: "nearest" });
      return;
    }
    if (b.getAttribute("data-armed") !== "1") {
      b.setAttribute("data-armed", "1");
      b.textContent = "Confirm delete";
      setTimeout(function () { b.removeAttribute("data-armed"); b.textContent = "Delete"; }, 6000);
      return;
    }
    b.disabled = true;
    say(opStatus, "Deleting " + id + "…", "");
    send("DELETE", "/documents/" + encodeURIComponent(id)).then(function (r) {
      if (r.status === 200) done("Deleted " + id + ".");
      else { b.disabled = false; say(opStatus, "Delete failed: " + message(r.status, r.body), "error"); }
    });
  });

  var flash = sessionStorage.getItem(FLASH);
  if (flash) { sessionStorage.removeItem(FLASH); say(opStatus, flash, "ok"); }
  if (key()) check(key());
})();
