// On a phone the sections' menu is one row that scrolls sideways: a section far along it (Personas, Solutions)
// would be off the screen's right edge, the reader not seeing where they are. Scroll the row, not the page, so
// the current section shows. Without JavaScript the row starts at its beginning, as before.
(function () {
  "use strict";
  var here = document.querySelector('.site-nav a[aria-current="page"]');
  var row = here && here.closest("ul");
  if (!row || row.scrollWidth <= row.clientWidth) return;
  var box = here.getBoundingClientRect();
  var frame = row.getBoundingClientRect();
  if (box.right > frame.right || box.left < frame.left) {
    row.scrollLeft += box.left - frame.left - (frame.width - box.width) / 2;
  }
})();
