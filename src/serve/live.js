/* quire serve: reload on change, keep the scroll position, follow a renamed page, show build errors over the page.
   Injected into served pages only; `quire build` output never contains it. */
(function () {
  "use strict";
  var key = "quire-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(key);
    if (saved !== null) {
      sessionStorage.removeItem(key);
      var y = parseInt(saved, 10);
      var restore = function () { window.scrollTo(0, y); };
      if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
    }
  } catch (e) { /* storage off: reload at the top */ }

  var overlay = null;
  function show(diags) {
    if (overlay) { overlay.remove(); overlay = null; }
    if (!diags.length) return;
    overlay = document.createElement("div");
    overlay.setAttribute("data-quire", "serve-overlay");
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;z-index:2147483647;" +
      "background:#1b1f24;color:#f6f8fa;font:14px/1.5 ui-monospace,Consolas,monospace;padding:12px 16px;" +
      "border-top:4px solid #cf222e;direction:ltr;text-align:left";
    var head = document.createElement("div");
    head.style.cssText = "font-weight:bold;margin-bottom:6px";
    var errors = diags.filter(function (d) { return d.severity === "error"; }).length;
    head.textContent = "quire: " + errors + " error(s), " + (diags.length - errors) + " warning(s)" +
      (errors ? " — showing the last site without errors" : "");
    overlay.appendChild(head);
    diags.forEach(function (d) {
      var item = document.createElement("div");
      item.setAttribute("data-quire", "serve-diagnostic");
      item.style.cssText = "margin:6px 0";
      var where = (d.file || "") + (d.line ? ":" + d.line + ":" + d.column : "");
      var title = document.createElement("div");
      title.textContent = d.severity + "[" + d.code + "] " + where + ": " + d.message;
      title.style.color = d.severity === "error" ? "#ff7b72" : "#d29922";
      item.appendChild(title);
      if (d.help) {
        var help = document.createElement("div");
        help.textContent = "help: " + d.help;
        help.style.color = "#9198a1";
        item.appendChild(help);
      }
      overlay.appendChild(item);
    });
    (document.body || document.documentElement).appendChild(overlay);
  }

  if (!window.EventSource) return;
  var source = new EventSource("/__quire/events");
  source.addEventListener("diagnostics", function (e) {
    try { show(JSON.parse(e.data)); } catch (err) { /* a partial message: the next one replaces it */ }
  });
  source.addEventListener("reload", function (e) {
    var moved = [];
    try { moved = JSON.parse(e.data).moved || []; } catch (err) { /* reload in place */ }
    var here = decodeURIComponent(location.pathname.replace(/^\//, ""));
    if (here === "" || here.slice(-1) === "/") here += "index.html";
    for (var i = 0; i < moved.length; i++) {
      if (moved[i][0] === here) {
        location.replace("/" + moved[i][1].split("/").map(encodeURIComponent).join("/") + location.hash);
        return;
      }
    }
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (err) { /* reload at the top */ }
    location.reload();
  });
})();
