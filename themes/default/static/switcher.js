// The version switcher and the old-version banner, drawn from versions.js at the site's root (a global written by
// each build of every version; versions/switcher.py): a published version's pages never change when a tag is
// added. Each entry of the switcher leads to this same page in that version; where the page did not exist
// there, the entry says so and leads to that version's home page instead, never to a missing page. The
// banner's link to the current version leads to this page in it when it exists there. Without JavaScript (or
// without versions.js) the switcher holds its link to the history page, and the banner its link to the
// current version's home page.
(function () {
  "use strict";
  var data = window.strategyVersions;
  var box = document.querySelector("details.versions[data-page]");
  if (!data || !box || !data.versions || !data.pages) return;
  var here = box.getAttribute("data-version") || "";
  var page = box.getAttribute("data-page");
  var siteRoot = box.getAttribute("data-site-root") || "";
  var pageNumber = data.pages.indexOf(page);

  function has(version) {
    return pageNumber >= 0 && version.pages.indexOf(pageNumber) >= 0;
  }

  function hrefIn(version) {
    return siteRoot + version.root + (has(version) ? page : "index.html");
  }

  var list = box.querySelector("ul");
  var history = list ? list.querySelector("li") : null; // the link to the history page, kept last
  if (list) {
    data.versions.forEach(function (version) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hrefIn(version);
      link.textContent = version.tag || box.getAttribute("data-current-label");
      if (version.tag === here) link.setAttribute("aria-current", "true");
      item.appendChild(link);
      if (version.date) {
        var date = document.createElement("small");
        date.textContent = version.date;
        item.appendChild(document.createTextNode(" "));
        item.appendChild(date);
      }
      if (!has(version)) {
        var missing = document.createElement("small");
        missing.className = "version-missing";
        missing.textContent = box.getAttribute("data-missing");
        item.appendChild(document.createTextNode(" "));
        item.appendChild(missing);
      }
      list.insertBefore(item, history);
    });
  }

  // The menu hangs from the label's right edge. Where the label sits near the screen's left edge (the header
  // wrapped onto two lines, on a tablet) and is shorter than the menu ("Versions: v1"), the menu would start
  // off screen: it then hangs from the label's left edge. (On a phone the stylesheet spans it across the header.)
  if (list) {
    box.addEventListener("toggle", function () {
      if (!box.open) return;
      list.classList.remove("versions-start");
      if (list.getBoundingClientRect().left < 0) list.classList.add("versions-start");
    });
  }

  var current = data.versions.filter(function (version) { return version.tag === ""; })[0];
  var back = document.querySelector(".banner a[data-current-version]");
  if (back && current && has(current)) back.href = hrefIn(current);
})();
