/* Reference previews: a footnote marker shows its reference in a card, as Wikipedia's Reference
   Previews do. The card's content is already in the page: each reference in the list carries it
   in a <template class="reference-card-content"> (citations/footnotes.py), which this clones.

   Mouse: the card opens after a short delay, and stays while the pointer is over the marker or
   the card. Keyboard: focus opens it, Escape closes it (focus stays on the marker), Enter follows
   the marker. Touch: a tap opens it; a second tap on the marker, or the card's link, goes to the
   reference in the list; a tap elsewhere closes it.

   Screen readers get the reference from the marker's aria-describedby (the reference's text in
   the list), with or without this script, so the card is hidden from them; its links leave the
   tab order. Without the script the marker is a plain link to its reference. */
(function () {
  "use strict";

  var OPEN_DELAY = 300;
  var CLOSE_DELAY = 300;
  var GAP = 6; // between the marker and the card, in px
  var MARGIN = 8; // between the card and the viewport's edges, in px
  var POINTER_FOCUS = 600; // a focus this soon after a press came from the pointer, in ms

  var card = null;
  var openMarker = null;
  var openedBy = "";
  var openTimer = 0;
  var closeTimer = 0;
  var pressedAt = 0;
  var pressedBy = "";
  var tapOnOpenMarker = false;

  function markerOf(node) {
    return node && node.closest ? node.closest('sup.reference a[href^="#cite_note-"]') : null;
  }

  function inCard(node) {
    return !!(card && node && card.contains(node));
  }

  function isOpen() {
    return !!(card && !card.hidden && openMarker);
  }

  function cardContent(marker) {
    var item = document.getElementById(marker.getAttribute("href").slice(1));
    var template = item && item.querySelector("template.reference-card-content");
    return template ? template.content.cloneNode(true) : null;
  }

  function makeCard() {
    card = document.createElement("div");
    card.className = "reference-card";
    card.hidden = true;
    card.setAttribute("aria-hidden", "true");
    card.addEventListener("click", function (event) {
      if (event.target.closest("a")) {
        close();
      }
    });
    document.body.appendChild(card);
  }

  // Below the marker, or above it when there is no room below; its inline start at the marker's,
  // moved back inside the viewport when it would stick out (so the page never gets wider).
  function place(marker) {
    var rect = marker.getBoundingClientRect();
    var viewport = document.documentElement.clientWidth;
    var width = card.offsetWidth;
    var height = card.offsetHeight;
    var rtl = getComputedStyle(card).direction === "rtl";
    var left = rtl ? rect.right - width : rect.left;
    left = Math.max(MARGIN, Math.min(left, viewport - width - MARGIN));
    var top = rect.bottom + GAP;
    if (top + height > window.innerHeight - MARGIN && rect.top - GAP - height >= MARGIN) {
      top = rect.top - GAP - height;
    }
    // The card's containing block is the initial one, as wide as the viewport.
    card.style.insetInlineStart = (rtl ? viewport - left - width : left) + "px";
    card.style.insetBlockStart = top + window.scrollY + "px";
  }

  function open(marker, how) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (isOpen() && openMarker === marker) {
      openedBy = how;
      return;
    }
    var content = cardContent(marker);
    if (!content) {
      return;
    }
    if (!card) {
      makeCard();
    }
    card.replaceChildren(content);
    card.querySelectorAll("a").forEach(function (link) {
      link.tabIndex = -1;
    });
    card.hidden = false;
    openMarker = marker;
    openedBy = how;
    place(marker);
  }

  function close() {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (card) {
      card.hidden = true;
    }
    openMarker = null;
    openedBy = "";
  }

  function closeSoon() {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(close, CLOSE_DELAY);
  }

  // Mouse
  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") {
      return;
    }
    var marker = markerOf(event.target);
    if (marker && marker === openMarker) {
      clearTimeout(closeTimer);
    } else if (marker) {
      clearTimeout(openTimer);
      openTimer = setTimeout(function () {
        open(marker, "hover");
      }, OPEN_DELAY);
    } else if (inCard(event.target)) {
      clearTimeout(closeTimer);
    }
  });

  document.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse") {
      return;
    }
    var marker = markerOf(event.target);
    var to = event.relatedTarget;
    if (marker && !marker.contains(to)) {
      clearTimeout(openTimer);
    }
    var leaving = (marker && marker === openMarker && !marker.contains(to)) || (inCard(event.target) && !inCard(to));
    if (leaving && openedBy === "hover" && !inCard(to) && markerOf(to) !== openMarker) {
      closeSoon();
    }
  });

  // Any pointer: a press elsewhere closes the card; a tap is told apart from a second tap.
  document.addEventListener(
    "pointerdown",
    function (event) {
      pressedAt = Date.now();
      pressedBy = event.pointerType;
      var marker = markerOf(event.target);
      tapOnOpenMarker = !!marker && marker === openMarker && isOpen();
      if (!marker && !inCard(event.target)) {
        close();
      }
    },
    true
  );

  // Keyboard
  document.addEventListener("focusin", function (event) {
    var marker = markerOf(event.target);
    if (marker && Date.now() - pressedAt > POINTER_FOCUS) {
      open(marker, "focus");
    }
  });

  document.addEventListener("focusout", function (event) {
    var marker = markerOf(event.target);
    if (marker && marker === openMarker && openedBy === "focus" && !inCard(event.relatedTarget)) {
      close();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) {
      var marker = openMarker;
      var focusInCard = inCard(document.activeElement);
      close();
      if (focusInCard) {
        marker.focus();
      }
    }
  });

  // Touch opens on the first tap; a second tap, a mouse click or Enter follows the marker.
  document.addEventListener("click", function (event) {
    var marker = markerOf(event.target);
    if (!marker) {
      return;
    }
    var tap = event.detail !== 0 && pressedBy === "touch" && Date.now() - pressedAt < 2000;
    if (tap && !tapOnOpenMarker) {
      event.preventDefault();
      open(marker, "tap");
    } else {
      close();
    }
  });

  window.addEventListener("hashchange", close);
  window.addEventListener("resize", function () {
    if (isOpen()) {
      place(openMarker);
    }
  });
})();
