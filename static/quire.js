/* quire default theme: the phone menu, the language menu and the dark/light toggle. Everything works without this
   file: the sidebar is then shown above the article on small screens, the language menu is a plain <details>, and
   the theme follows the system. */
(function () {
  "use strict";
  var root = document.documentElement;

  var menu = document.querySelector('[data-quire="menu-toggle"]');
  var nav = document.getElementById("site-nav");
  var setOpen = function (open) {
    menu.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("nav-open", open);
  };
  if (menu && nav) {
    menu.addEventListener("click", function () {
      setOpen(menu.getAttribute("aria-expanded") !== "true");
      if (root.classList.contains("nav-open")) {
        // Start a keyboard reader where they are in the tree.
        var current = nav.querySelector('[aria-current="page"]') || nav.querySelector("a");
        if (current) current.focus();
      }
    });
    // Keep the current page in view in a long sidebar (it scrolls on its own on a laptop).
    var tree = nav.querySelector(".nav-tree");
    var here = nav.querySelector('[aria-current="page"]');
    if (tree && here && tree.scrollHeight > tree.clientHeight) {
      tree.scrollTop = here.offsetTop - tree.clientHeight / 2;
    }
  }

  // The language menu is a <details>: close it like a menu, with Escape or a click anywhere else.
  var languages = document.querySelector('[data-quire="language-switcher"] details');
  if (languages) {
    document.addEventListener("click", function (e) {
      if (languages.open && !languages.contains(e.target)) languages.open = false;
    });
  }

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    if (languages && languages.open) {
      languages.open = false;
      languages.querySelector("summary").focus();
    } else if (menu && nav && root.classList.contains("nav-open")) {
      setOpen(false);
      menu.focus();
    }
  });

  var toggle = document.querySelector('[data-quire="theme-toggle"]');
  if (toggle) {
    var dark = function () {
      var t = root.dataset.theme;
      if (t === "dark" || t === "light") return t === "dark";
      return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    };
    var show = function () {
      toggle.setAttribute("aria-pressed", dark() ? "true" : "false");
    };
    show();
    toggle.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.dataset.theme = next;
      show();
      try { localStorage.setItem("quire-theme", next); } catch (e) { /* storage blocked: the choice lasts this page */ }
    });
    // A reader who has not chosen follows the system as it changes (night mode at dusk).
    if (window.matchMedia) {
      var query = window.matchMedia("(prefers-color-scheme: dark)");
      if (query.addEventListener) query.addEventListener("change", show);
    }
  }
})();
