// The table of contents (templates/includes/table_of_contents.html). Without this script it is a
// list of links to the page's headings, open beside the text on wide screens and a disclosure
// above it on narrow ones. With it: open on wide screens and closed on narrow ones (the reader
// may still close or open it), closed again when a link is followed on a narrow screen, and the
// section being read marked with aria-current (the style marks it by weight and a bar, not by
// colour alone) as the reader scrolls.
"use strict";

(function () {
  var nav = document.querySelector(".toc");
  if (!nav || !("IntersectionObserver" in window)) {
    return;
  }
  var details = nav.querySelector(".toc__details");
  // The width at which site.css sets the table beside the text.
  var wide = window.matchMedia("(min-width: 70rem)");
  var links = Array.prototype.slice.call(nav.querySelectorAll(".toc__list a"));
  // Each link's target, by the id in its href (the raw attribute: ids may be Arabic or Hebrew,
  // which link.hash would give percent-encoded).
  var entries = links
    .map(function (link) {
      return { link: link, target: document.getElementById(link.getAttribute("href").slice(1)) };
    })
    .filter(function (entry) {
      return entry.target;
    });

  function fit() {
    details.open = wide.matches;
  }
  details.classList.add("toc__details--scripted");
  fit();
  wide.addEventListener("change", fit);

  function mark(current) {
    entries.forEach(function (entry) {
      if (entry === current) {
        entry.link.setAttribute("aria-current", "true");
      } else {
        entry.link.removeAttribute("aria-current");
      }
    });
  }

  // The section being read is the last one whose heading has passed the reading line, a quarter
  // of the way down the window; above the first heading, the beginning (the first entry). At the
  // end of the page, where the last headings can no longer reach the line, the last one in view.
  function update() {
    var line = window.innerHeight / 4;
    var root = document.documentElement;
    if (window.innerHeight + window.scrollY >= root.scrollHeight - 2) {
      line = window.innerHeight;
    }
    var current = entries[0];
    entries.forEach(function (entry, index) {
      if (index > 0 && entry.target.getBoundingClientRect().top <= line) {
        current = entry;
      }
    });
    mark(current);
  }

  // Called as a heading crosses the reading line, not on every scroll event; and once a scroll
  // ends, for a jump that carried every heading past the line at once.
  var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -75% 0px" });
  entries.slice(1).forEach(function (entry) {
    observer.observe(entry.target);
  });
  window.addEventListener("scrollend", update);
  update();

  nav.addEventListener("click", function (event) {
    var link = event.target.closest(".toc__list a");
    if (!link) {
      return;
    }
    if (!wide.matches) {
      details.open = false;
    }
  });
})();
