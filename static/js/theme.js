// The colour theme: automatic (the system's), light or dark. Loaded in <head> before the stylesheet,
// blocking (no defer, no async): <html data-theme> is set before any of the page is drawn, so the
// first paint already has the reader's theme. The choice is kept under the same localStorage key and
// values as Django's admin keeps its own (django/contrib/admin/static/admin/js/theme.js), so a theme
// chosen on the reader site holds in the admin, and the other way round. Without JavaScript there is
// no data-theme: site.css follows the system and hides the chooser.
"use strict";
(function () {
    const THEMES = ["auto", "light", "dark"];
    const root = document.documentElement;

    function stored() {
        let theme = null;
        try {
            theme = localStorage.getItem("theme");
        } catch (error) {
            // Storage refused (a privacy setting): the system's theme.
        }
        return THEMES.includes(theme) ? theme : "auto";
    }

    function apply(theme) {
        root.dataset.theme = theme;
        const choice = document.getElementById("theme-choice");
        if (choice) {
            choice.value = theme;
        }
    }

    apply(stored());

    document.addEventListener("DOMContentLoaded", function () {
        const choice = document.getElementById("theme-choice");
        if (!choice) {
            return;
        }
        choice.value = root.dataset.theme;
        choice.addEventListener("change", function () {
            const theme = THEMES.includes(choice.value) ? choice.value : "auto";
            apply(theme);
            try {
                localStorage.setItem("theme", theme);
            } catch (error) {
                // Not remembered, but applied to this page.
            }
        });
    });
    // Chosen in another tab or in the admin, or this page comes back from the back-forward cache.
    window.addEventListener("storage", function (event) {
        if (event.key === "theme" || event.key === null) {
            apply(stored());
        }
    });
    window.addEventListener("pageshow", function (event) {
        if (event.persisted) {
            apply(stored());
        }
    });
})();
