/* MARTAF's keyboard additions to unfold's admin (loaded on every admin page, sign-in included).

   - Autofocus that holds: unfold hides the whole page (x-cloak on <html>) until Alpine has
     started, so the browser's own autofocus can find the field invisible and give up. Once
     Alpine is up, the [autofocus] field (the sign-in's email, the second-factor code) takes the
     focus unless the user already put it somewhere.
   - Dialogs (actions confirmed in unfold's htmx dialog): focus goes into the dialog when it
     opens (its first field, else its primary button), stays inside it while it is open (Tab
     cycles), Escape closes it (unfold's), and focus goes back to the button that opened it.
   - Clickable icons unfold draws as <span>/<div> (the dialog's close cross, a row's "more"
     menu, the sidebar toggle) become buttons for the keyboard: focusable, named, Enter/Space.
*/
(function () {
  "use strict";

  var FIELD = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
  var FOCUSABLE = "a[href], button:not([disabled]), [tabindex]:not([tabindex='-1']), " + FIELD;
  var opener = null; // the element that opened the current dialog

  function visible(el) {
    return !!(el && el.getClientRects().length && getComputedStyle(el).visibility !== "hidden");
  }

  function nothingFocused() {
    return !document.activeElement || document.activeElement === document.body;
  }

  // --- autofocus once the page shows -----------------------------------------------------------
  function focusAutofocusField() {
    var field = document.querySelector("[autofocus]");
    if (field && nothingFocused()) {
      // Wait until x-cloak is gone and the field can take the focus (a few frames at most).
      var tries = 0;
      (function attempt() {
        if (visible(field)) {
          if (nothingFocused()) field.focus();
        } else if (tries++ < 120) {
          requestAnimationFrame(attempt);
        }
      })();
    }
  }

  // --- icons that act as buttons ---------------------------------------------------------------
  var ICON_BUTTONS = [
    ["#dialog > div:first-child", "Close"],
    ["[x-ref^='rowDropdown']", "More actions"],
    ["#header-inner span.material-symbols-outlined[x-on\\:click]", "Toggle the sidebar"],
  ];

  // Links and buttons whose only content is an icon are named by the icon's word ("more_horiz"):
  // give them a name a screen reader can say.
  var ICON_NAMES = {
    more_horiz: "More actions", more_vert: "More", add: "Add", arrow_back: "Go back",
    close: "Close", search: "Search", filter_list: "Filters", dock_to_right: "Toggle the sidebar",
  };

  function nameIcons(root) {
    root.querySelectorAll("a, button, [role=button]").forEach(function (el) {
      var word = el.textContent.trim();
      if (ICON_NAMES[word] && !el.hasAttribute("aria-label")) {
        el.setAttribute("aria-label", el.getAttribute("title") || ICON_NAMES[word]);
      }
    });
  }

  function operable(root) {
    ICON_BUTTONS.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (el) {
        if (el.dataset.martafButton) return;
        el.dataset.martafButton = "1";
        el.setAttribute("role", "button");
        el.setAttribute("tabindex", "0");
        el.setAttribute("aria-label", pair[1]);
        el.classList.add("martaf-icon-button");
        el.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            el.click();
            focusOpenedMenu(el);
          }
        });
      });
    });
    nameIcons(root);
  }

  // A menu opened from the keyboard: its first item takes the focus; Escape closes it again.
  function focusOpenedMenu(button) {
    var tries = 0;
    (function attempt() {
      var menus = Array.prototype.filter.call(document.querySelectorAll("body > nav"), visible);
      var menu = menus[menus.length - 1];
      if (menu) {
        var item = menu.querySelector("a[href]");
        if (item) item.focus();
        menu.onkeydown = function (event) {
          if (event.key === "Escape") {
            event.stopPropagation();
            button.click();
            button.focus();
          }
        };
      } else if (tries++ < 30) {
        requestAnimationFrame(attempt);
      }
    })();
  }

  // --- dialogs ---------------------------------------------------------------------------------
  function modalContent() {
    return document.getElementById("modal-content");
  }

  function dialogOpen() {
    var content = modalContent();
    return !!(content && content.querySelector("#dialog") && visible(content));
  }

  function firstTarget(content) {
    var fields = Array.prototype.filter.call(content.querySelectorAll("#dialog-form " + FIELD), visible);
    if (fields.length) return fields[0];
    return content.querySelector("#dialog button[type=submit]");
  }

  function focusDialog() {
    var content = modalContent();
    var tries = 0;
    (function attempt() {
      if (dialogOpen()) {
        var dialog = content.querySelector("#dialog");
        var title = dialog.querySelector("h1");
        content.setAttribute("role", "dialog");
        content.setAttribute("aria-modal", "true");
        if (title) {
          title.id = title.id || "martaf-dialog-title";
          content.setAttribute("aria-labelledby", title.id);
        }
        var target = firstTarget(content);
        if (target && !content.contains(document.activeElement)) target.focus();
      } else if (tries++ < 120) {
        requestAnimationFrame(attempt);
      }
    })();
  }

  function giveFocusBack() {
    var back = opener;
    opener = null;
    if (!back || !document.contains(back)) return;
    if (!(nothingFocused() || modalContent().contains(document.activeElement))) return;
    // Opened from a menu that has folded since (the narrow screen's "..." of a page's
    // actions): the menu's own button, the first visible control of the menu's component.
    var holder = back;
    while (holder && !visible(holder)) {
      holder = holder.parentElement && holder.parentElement.closest("[x-data]");
      if (holder) holder = Array.prototype.filter.call(holder.querySelectorAll(FOCUSABLE), visible)[0] || holder;
    }
    if (holder && holder !== document.body) holder.focus();
  }

  function watchModal() {
    var content = modalContent();
    if (!content) return;
    var wrapper = content.parentElement;
    var wasOpen = false;
    new MutationObserver(function () {
      var open = visible(wrapper);
      if (open && !wasOpen) focusDialog();
      if (!open && wasOpen) giveFocusBack();
      wasOpen = open;
    }).observe(wrapper, { attributes: true, attributeFilter: ["style", "class"] });
  }

  // A menu unfold teleports to the end of <body> (a row's "more" menu, the "..." of a page's
  // actions) closes when its item is chosen: focus then returns to the menu's own button, the
  // last thing focused outside such a menu.
  function inMenu(el) {
    var nav = el && el.closest && el.closest("nav");
    return !!(nav && nav.parentElement === document.body);
  }
  var lastOutside = null;
  document.addEventListener("focusin", function (event) {
    var content = modalContent();
    if (!inMenu(event.target) && !(content && content.contains(event.target))) {
      lastOutside = event.target;
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "modal-content" && !dialogOpen()) {
      var elt = event.detail.elt;
      opener = inMenu(elt) ? lastOutside : elt;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) return;
    operable(document);
    // The dialog answered with its form again (an error): the first field with an error.
    if (dialogOpen() && modalContent().contains(target)) {
      var wrong = modalContent().querySelector(".errors " + "input, .errors select, .errors textarea");
      if (wrong) wrong.focus();
    }
  });

  // Tab stays inside an open dialog.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || !dialogOpen()) return;
    var content = modalContent();
    var items = Array.prototype.filter.call(content.querySelectorAll(FOCUSABLE), visible);
    if (!items.length) return;
    var first = items[0];
    var last = items[items.length - 1];
    var inside = content.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  });

  document.addEventListener("alpine:initialized", focusAutofocusField);
  document.addEventListener("DOMContentLoaded", function () {
    operable(document);
    watchModal();
    // Pages without Alpine's start event (or where it came first) still get their autofocus.
    setTimeout(focusAutofocusField, 0);
  });
})();
