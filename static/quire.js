/* quire default theme: the phone menu, the language menu, the dark/light toggle, tab groups and pivot pickers.
   Everything works without this file: the sidebar is then shown above the article on small screens, the language menu
   is a plain <details>, the theme follows the system, every tab of a group is shown under its title and every pivot
   zone under its label. */
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

  // Tab groups (src/tabs.rs writes them as titled panels): a tab list per group, one panel shown, and the same tab id
  // chosen in every group of the page, as DocFX does. A dependent panel (data-condition) shows when its condition is
  // the tab chosen in another group. The reader's latest choices are kept for the next pages.
  var groups = document.querySelectorAll('[data-quire="tabs"]');
  if (groups.length) {
    var chosen = [];
    try { chosen = JSON.parse(localStorage.getItem("quire-tabs") || "[]"); } catch (e) { chosen = []; }
    if (!Array.isArray(chosen)) chosen = [];
    var rank = function (id) { var i = chosen.indexOf(id); return i < 0 ? Infinity : i; };
    var views = [];
    var refresh = function () {
      views.forEach(function (v) {
        var pick = v.ids[0];
        v.ids.forEach(function (id) { if (rank(id) < rank(pick)) pick = id; });
        var panel = null;
        v.panels.forEach(function (p) {
          if (p.dataset.tab !== pick) return;
          var c = p.dataset.condition;
          if (!panel || (c && rank(c) < rank(panel.dataset.condition || ""))) panel = p;
        });
        v.panels.forEach(function (p) { p.hidden = p !== panel; });
        v.buttons.forEach(function (b) {
          var on = b.dataset.tab === pick;
          b.setAttribute("aria-selected", on ? "true" : "false");
          b.tabIndex = on ? 0 : -1;
        });
      });
    };
    var choose = function (id) {
      chosen = [id].concat(chosen.filter(function (c) { return c !== id; })).slice(0, 20);
      try { localStorage.setItem("quire-tabs", JSON.stringify(chosen)); } catch (e) { /* kept for this page only */ }
      refresh();
    };
    Array.prototype.forEach.call(groups, function (group, g) {
      var panels = Array.prototype.filter.call(group.children, function (c) { return c.dataset.quire === "tab-panel"; });
      var list = document.createElement("div");
      list.setAttribute("role", "tablist");
      list.className = "tab-list";
      var view = { ids: [], panels: panels, buttons: [] };
      panels.forEach(function (p, i) {
        var title = p.querySelector('[data-quire="tab-title"]');
        if (title) title.hidden = true;
        p.setAttribute("role", "tabpanel");
        p.tabIndex = 0;
        p.id = p.id || "tabpanel-" + g + "-" + i;
        if (view.ids.indexOf(p.dataset.tab) >= 0) return;
        view.ids.push(p.dataset.tab);
        var b = document.createElement("button");
        b.type = "button";
        b.setAttribute("role", "tab");
        b.id = "tab-" + g + "-" + i;
        b.dataset.tab = p.dataset.tab;
        b.setAttribute("aria-controls", p.id);
        b.innerHTML = title ? title.innerHTML : p.dataset.tab;
        b.addEventListener("click", function () { choose(b.dataset.tab); });
        list.appendChild(b);
        view.buttons.push(b);
      });
      list.addEventListener("keydown", function (e) {
        var i = view.buttons.indexOf(document.activeElement);
        if (i < 0) return;
        var rtl = getComputedStyle(list).direction === "rtl";
        var step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[e.key];
        var n = view.buttons.length;
        var to = e.key === "Home" ? 0 : e.key === "End" ? n - 1 : step ? (i + step + n) % n : -1;
        if (to < 0) return;
        e.preventDefault();
        view.buttons[to].focus();
        choose(view.buttons[to].dataset.tab);
      });
      // Every panel is named by its tab (dependent panels of one id share it).
      panels.forEach(function (p) {
        var b = view.buttons[view.ids.indexOf(p.dataset.tab)];
        p.setAttribute("aria-labelledby", b.id);
      });
      group.insertBefore(list, group.firstChild);
      group.classList.add("tabs-ready");
      views.push(view);
    });
    refresh();
  }

  // Pivot zones (src/blocks.rs writes them as labelled sections): a picker above the first zone of each pivot group
  // shows the zones of one pivot. The choice comes from `?pivots=a,b` (as on Microsoft Learn), else the reader's last
  // choice for that group, else the group's first pivot; it is kept for the next pages and written back to the URL.
  // In a function of its own: `var`s are function-wide, and the theme toggle below has a `show` too.
  (function () {
    var zones = document.querySelectorAll('[data-quire="zone"][data-pivot]');
    if (zones.length) {
      var saved = {};
      try { saved = JSON.parse(localStorage.getItem("quire-pivots") || "{}") || {}; } catch (e) { saved = {}; }
      if (typeof saved !== "object" || Array.isArray(saved)) saved = {};
      var asked = [];
      var query = /[?&]pivots=([^&#]*)/.exec(location.search);
      if (query) {
        try { asked = decodeURIComponent(query[1].replace(/\+/g, " ")).split(","); } catch (e) { asked = []; }
        asked = asked.map(function (p) { return p.trim(); });
      }
      var pivotGroups = [];
      var byName = {};
      Array.prototype.forEach.call(zones, function (zone, z) {
        var name = zone.dataset.pivotGroup || "zone-" + z;
        var group = byName[name];
        if (!group) {
          group = byName[name] = { name: name, zones: [], ids: [], titles: {}, prompt: zone.dataset.pivotPrompt, first: zone };
          pivotGroups.push(group);
        }
        var titles = {};
        try { titles = JSON.parse(zone.dataset.pivotTitles || "{}"); } catch (e) { titles = {}; }
        zone.dataset.pivot.split(" ").forEach(function (id) {
          if (id && group.ids.indexOf(id) < 0) {
            group.ids.push(id);
            group.titles[id] = titles[id] || id;
          }
        });
        group.zones.push(zone);
      });
      var writeUrl = function () {
        var picked = pivotGroups.map(function (g) { return g.value; }).join(",");
        try {
          var url = new URL(location.href);
          url.searchParams.set("pivots", picked);
          history.replaceState(history.state, "", url.href);
        } catch (e) { /* a page opened from a file may refuse: the choice is still kept */ }
      };
      // "In this article" lists the headings of every zone: those of hidden zones are hidden with them.
      var outline = document.querySelectorAll('[data-quire="in-this-article"] a[href^="#"]');
      var syncOutline = function () {
        Array.prototype.forEach.call(outline, function (a) {
          var target = null;
          try { target = document.getElementById(decodeURIComponent(a.hash.slice(1))); } catch (e) { target = null; }
          var item = a.closest("li") || a;
          item.hidden = !!(target && target.closest('[data-quire="zone"][hidden]'));
        });
      };
      var show = function (group, id, remember) {
        group.value = id;
        group.select.value = id;
        group.zones.forEach(function (zone) {
          zone.hidden = zone.dataset.pivot.split(" ").indexOf(id) < 0;
        });
        syncOutline();
        if (remember) {
          saved[group.name] = id;
          try { localStorage.setItem("quire-pivots", JSON.stringify(saved)); } catch (e) { /* kept for this page */ }
          writeUrl();
        }
      };
      pivotGroups.forEach(function (group, g) {
        var picker = document.createElement("div");
        picker.className = "pivot-picker";
        picker.dataset.quire = "pivot-picker";
        var label = document.createElement("label");
        label.htmlFor = "pivot-select-" + g;
        label.textContent = group.prompt;
        var select = document.createElement("select");
        select.id = "pivot-select-" + g;
        group.ids.forEach(function (id) {
          var option = document.createElement("option");
          option.value = id;
          option.textContent = group.titles[id];
          select.appendChild(option);
        });
        // `input` comes at once from the arrow keys on a closed list; `change` from a pick in the open one.
        var picked = function () { if (select.value !== group.value) show(group, select.value, true); };
        select.addEventListener("input", picked);
        select.addEventListener("change", picked);
        picker.appendChild(label);
        picker.appendChild(select);
        group.first.parentNode.insertBefore(picker, group.first);
        group.select = select;
        var pick = group.ids.filter(function (id) { return asked.indexOf(id) >= 0; })[0] ||
          (group.ids.indexOf(saved[group.name]) >= 0 ? saved[group.name] : group.ids[0]);
        show(group, pick, false);
      });
      root.classList.add("pivots-ready");
    }
  })();

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
  // Copy buttons on code blocks: added here because they only work with a script. The labels are the page's
  // language, written by the template on <article>.
  var article = document.querySelector("article[data-copy]");
  if (article && navigator.clipboard) {
    article.querySelectorAll("pre > code").forEach(function (code) {
      var pre = code.parentNode;
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      wrap.dataset.quire = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      button.dataset.quire = "copy-code";
      button.textContent = article.dataset.copy;
      var status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      wrap.appendChild(button);
      wrap.appendChild(status);
      var timer = 0;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(code.textContent).then(function () {
          button.textContent = article.dataset.copied;
          status.textContent = article.dataset.copied;
          clearTimeout(timer);
          timer = setTimeout(function () {
            button.textContent = article.dataset.copy;
            status.textContent = "";
          }, 2000);
        });
      });
    });
  }
})();
