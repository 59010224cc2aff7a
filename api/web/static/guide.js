// Guide viewer: "#start-end" highlights that span of the text and scrolls it into view.
// Offsets count Unicode code points (as the API's do); JavaScript strings count UTF-16 units.
(function () {
  "use strict";
  var root = document.getElementById("guide-text");
  var status = document.getElementById("hl-status");
  if (!root) return;

  function unitIndex(s, cps) { // UTF-16 index of the cps-th code point of s
    var i = 0;
    while (cps > 0 && i < s.length) {
      var c = s.codePointAt(i);
      i += c > 0xffff ? 2 : 1;
      cps--;
    }
    return i;
  }

  function cpLength(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) n++; // count every unit but low surrogates
    }
    return n;
  }

  function clear() {
    var marks = root.querySelectorAll("mark.hl");
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i], p = m.parentNode;
      while (m.firstChild) p.insertBefore(m.firstChild, m);
      p.removeChild(m);
      p.normalize();
    }
  }

  function say(text) {
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }

  function highlight() {
    clear();
    var m = /^#(\d+)-(\d+)$/.exec(location.hash);
    if (!m) { say(""); return; }
    var start = parseInt(m[1], 10), end = parseInt(m[2], 10);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var pos = 0, pieces = [], node;
    while ((node = walker.nextNode())) {
      var len = cpLength(node.data);
      var a = Math.max(start, pos), b = Math.min(end, pos + len);
      if (a < b) pieces.push([node, unitIndex(node.data, a - pos), unitIndex(node.data, b - pos)]);
      pos += len;
      if (pos >= end) break;
    }
    if (!pieces.length || end <= start) { say("That passage (characters " + start + "–" + end + ") is not in this version of the guide."); return; }
    var first = null;
    pieces.forEach(function (p) {
      var r = document.createRange();
      r.setStart(p[0], p[1]);
      r.setEnd(p[0], p[2]);
      var mark = document.createElement("mark");
      mark.className = "hl";
      r.surroundContents(mark);
      if (!first) first = mark;
    });
    first.id = "hl";
    first.tabIndex = -1;
    say("Highlighted: characters " + start + "–" + end + ".");
    first.scrollIntoView({ block: "center" });
    first.focus({ preventScroll: true });
  }

  window.addEventListener("hashchange", highlight);
  highlight();
})();
