// strategy serve's live reload: added to pages by `strategy serve` only, never written into a built site.
// It listens to the server's events (same origin, so the site's CSP `connect-src 'self'` allows it):
// "reload" after a good rebuild reloads this page when its bytes (or a style, script or asset) changed;
// "errors" shows the diagnostics over the last good page. No inline script, and plan text is never parsed
// as HTML: it is only ever set as textContent.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = (script && script.getAttribute("data-build")) || "";
  var OVERLAY_ID = "strategy-serve-overlay";

  function here() {
    var path = decodeURIComponent(window.location.pathname).replace(/^\/+/, "");
    return path === "" || path.charAt(path.length - 1) === "/" ? path + "index.html" : path;
  }

  function concerns(changed) {
    var page = here();
    for (var i = 0; i < changed.length; i++) {
      var path = changed[i];
      if (path === "*" || path === page || !/\.html$/.test(path)) return true;
    }
    return false;
  }

  function element(tag, text, style) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (style) for (var key in style) node.style[key] = style[key];
    return node;
  }

  function hideOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.parentNode.removeChild(old);
  }

  function showOverlay(report) {
    hideOverlay();
    var box = element("section", "", {
      position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647", maxHeight: "60vh",
      overflow: "auto", background: "#fff8f7", color: "#1f2328", borderTop: "4px solid #c62828",
      boxShadow: "0 -4px 16px rgba(0,0,0,.25)", padding: "12px 20px 16px",
      font: "14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
    });
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    var words = report.words || {};  // in the plan's language (plan/messages_*.py)
    box.setAttribute("aria-label", words.label || "strategy serve: build errors");
    var close = element("button", "×", {
      float: "right", font: "inherit", fontSize: "20px", lineHeight: "1", border: "0", background: "none",
      cursor: "pointer", color: "#1f2328"
    });
    close.type = "button";
    close.setAttribute("aria-label", words.close || "Hide until the next rebuild");
    close.addEventListener("click", hideOverlay);
    box.appendChild(close);
    box.appendChild(element("p", words.heading || ("strategy serve: the plan has " + report.errors + " error(s)"),
      { margin: "0 0 8px", fontWeight: "700", color: "#b71c1c" }));
    var list = element("ol", "", { margin: "0", paddingLeft: "20px" });
    (report.diagnostics || []).forEach(function (d) {
      var item = element("li", "", { margin: "0 0 8px" });
      item.className = "strategy-serve-diagnostic";
      var where = element("code", d.file + ":" + d.line + ":" + d.column, { fontWeight: "700" });
      where.className = "where";
      item.appendChild(where);
      item.appendChild(document.createTextNode("  "));
      var message = element("span", d.message);
      message.className = "message";
      item.appendChild(message);
      item.appendChild(element("span", "  [" + d.code + "]", { color: "#57606a" }));
      if (d.hint) {
        var hint = element("div", (words.hint || "hint:") + " " + d.hint, { color: "#0b5394" });
        hint.className = "hint";
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    (document.body || document.documentElement).appendChild(box);
  }

  if (typeof window.EventSource !== "function") return;
  var events = new window.EventSource("/__strategy__/events?build=" + encodeURIComponent(build));
  events.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    hideOverlay();
    if (concerns(data.changed || ["*"])) {
      events.close();
      window.location.reload();
    }
  });
  events.addEventListener("errors", function (event) {
    showOverlay(JSON.parse(event.data));
  });
})();
