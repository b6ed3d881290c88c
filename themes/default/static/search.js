// The search box: queries the pagefind index written beside the pages (pagefind/), as the reader types.
// Served over http(s) only: opened from disk, the browser refuses to load the index (a module and fetch()
// from file:), so the form is hidden there. The page shows the form from its first paint, so that it holds its
// place in the header before this script runs (a stylesheet loaded only without JavaScript hides it).
// pagefind.js is an ES module loaded with import() the first time the box gets the focus; results are built
// as DOM nodes, never as HTML from strings, except for pagefind's <mark> highlights, rebuilt as elements.
(function () {
  "use strict";
  var MAX_RESULTS = 8;
  var DELAY_MS = 150;

  var form = document.querySelector("form.search[data-search-index]");
  if (!form) return;
  if (!/^https?:$/.test(window.location.protocol)) {
    form.hidden = true;
    return;
  }
  var input = form.querySelector("input[type=search]");
  var results = form.querySelector(".search-results");
  var status = form.querySelector("[role=status]");
  if (!input || !results) return;

  var indexPath = form.getAttribute("data-search-index"); // relative to this page, e.g. "../pagefind/"
  var rootPath = indexPath.replace(/pagefind\/$/, ""); // from this page to the site's root
  var loading = null;
  var timer = null;
  var asked = 0; // number of the latest query: older answers that arrive late are dropped

  function pagefind() {
    if (!loading) {
      var url = new URL(indexPath + "pagefind.js", document.baseURI).href;
      loading = import(url).then(function (module) {
        // pagefind answers page URLs from the site root ("/objectives/x.html"); they are made relative below
        return module.options({ baseUrl: "/", excerptLength: 24 }).then(function () { return module; });
      });
      loading.catch(function (error) {
        form.hidden = true;
        console.error("search: the index in " + indexPath + " could not be loaded: " + error);
      });
    }
    return loading;
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  // pagefind's excerpt is text with <mark>…</mark> around the words found (the text itself is escaped):
  // rebuild it as text nodes and <mark> elements.
  function excerpt(html) {
    var paragraph = document.createElement("p");
    html.split(/(<mark>.*?<\/mark>)/).forEach(function (part) {
      var marked = /^<mark>(.*)<\/mark>$/.exec(part);
      var text = decode(marked ? marked[1] : part);
      if (!text) return;
      if (marked) {
        var mark = document.createElement("mark");
        mark.textContent = text;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(text));
      }
    });
    return paragraph;
  }

  function decode(text) {
    var area = document.createElement("textarea"); // never rendered, and a textarea runs no markup
    area.innerHTML = text.replace(/<[^>]*>/g, "");
    return area.value;
  }

  function relative(url) {
    return rootPath + url.replace(/^\/+/, "");
  }

  function show(found, query) {
    results.textContent = "";
    if (!query) {
      say("");
      return;
    }
    if (!found.length) {
      var none = document.createElement("p");
      none.textContent = form.getAttribute("data-none") || "";
      results.appendChild(none);
      say(none.textContent);
      return;
    }
    var list = document.createElement("ol");
    found.forEach(function (data) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = relative(data.url);
      link.textContent = (data.meta && data.meta.title) || data.url;
      item.appendChild(link);
      if (data.excerpt) item.appendChild(excerpt(data.excerpt));
      list.appendChild(item);
    });
    results.appendChild(list);
    say((form.getAttribute("data-count") || "{n}").replace("{n}", String(found.length)));
  }

  function search() {
    var query = input.value.trim();
    var number = ++asked;
    if (!query) {
      show([], "");
      return;
    }
    pagefind().then(function (module) {
      return module.search(query);
    }).then(function (answer) {
      if (!answer || number !== asked) return null; // a newer query superseded this one
      return Promise.all(answer.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }));
    }).then(function (found) {
      if (found && number === asked) show(found, query);
    }).catch(function () {
      // reported once by pagefind() when the index cannot be loaded
    });
  }

  input.addEventListener("focus", function () { pagefind(); }, { once: true });
  // the results float over the page: shown while the focus is in the search, hidden when it leaves
  form.addEventListener("focusin", function () { results.hidden = false; });
  form.addEventListener("focusout", function (event) {
    if (!form.contains(event.relatedTarget)) results.hidden = true;
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, DELAY_MS);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && input.value) {
      input.value = "";
      show([], "");
    }
  });
  // Enter opens the first result (the form itself goes nowhere: the CSP has form-action 'none')
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = results.querySelector("a[href]");
    if (first) window.location.href = first.href;
  });
  form.hidden = false; // a theme's own header may still hide the form in its HTML until now
})();
