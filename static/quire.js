/* quire default theme: the phone menu and the dark/light toggle. Everything works without this file: the sidebar
   is then shown above the article on small screens and the theme follows the system. */
(function () {
  "use strict";
  var root = document.documentElement;

  var menu = document.querySelector('[data-quire="menu-toggle"]');
  var nav = document.getElementById("site-nav");
  if (menu && nav) {
    var setOpen = function (open) {
      menu.setAttribute("aria-expanded", open ? "true" : "false");
      root.classList.toggle("nav-open", open);
    };
    menu.addEventListener("click", function () {
      setOpen(menu.getAttribute("aria-expanded") !== "true");
      if (root.classList.contains("nav-open")) {
        var current = nav.querySelector('[aria-current="page"]') || nav.querySelector("a");
        if (current) current.focus();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && root.classList.contains("nav-open")) {
        setOpen(false);
        menu.focus();
      }
    });
    // Keep the current page in view in a long sidebar.
    var here = nav.querySelector('[aria-current="page"]');
    if (here && here.scrollIntoView && nav.scrollHeight > nav.clientHeight) {
      here.scrollIntoView({ block: "center" });
    }
  }

  var toggle = document.querySelector('[data-quire="theme-toggle"]');
  if (toggle) {
    var dark = function () {
      var t = root.dataset.theme;
      if (t === "dark" || t === "light") return t === "dark";
      return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    };
    toggle.setAttribute("aria-pressed", dark() ? "true" : "false");
    toggle.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.dataset.theme = next;
      toggle.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
      try { localStorage.setItem("quire-theme", next); } catch (e) { /* file:// or private mode */ }
    });
  }
})();
