// Suggestions for the organization boxes of the event and meeting filters
// (events.filters.OrganizationSearchInput). As the reader types, a <datalist> is filled with the
// matching organizations from the address in data-suggest: each suggestion's value is the
// organization's identifier, which the filter takes, and its label the name in the page's
// language. Without this script the box still works: it takes an identifier or an exact name.
"use strict";

(function () {
  var DELAY_MS = 200;
  var MIN_LENGTH = 2;

  function enhance(input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);

    var timer = null;
    var controller = null;
    var asked = "";

    function show(results) {
      list.replaceChildren.apply(
        list,
        results.map(function (result) {
          var option = document.createElement("option");
          option.value = result.slug;
          option.label = result.name;
          option.textContent = result.name;
          return option;
        })
      );
    }

    function ask() {
      var query = input.value.trim();
      if (query === asked) {
        return;
      }
      asked = query;
      if (controller) {
        controller.abort();
      }
      if (query.length < MIN_LENGTH) {
        show([]);
        return;
      }
      controller = new AbortController();
      var url = new URL(input.dataset.suggest, document.baseURI);
      url.searchParams.set("q", query);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          show(data.results || []);
        })
        .catch(function () {
          // Aborted by a newer query, or offline: the box keeps working without suggestions.
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhance);
})();
