// Staff admin additions: copy a source's {{ref|key}} marker with one click.
"use strict";
document.addEventListener("click", function (event) {
    const button = event.target.closest("button.copy-marker");
    if (!button || !navigator.clipboard) {
        return;
    }
    event.preventDefault();
    navigator.clipboard.writeText(button.dataset.copy).then(function () {
        const label = button.textContent;
        button.textContent = button.dataset.copied;
        setTimeout(function () { button.textContent = label; }, 1500);
    });
});
