// SPARQL editor: YASGUI (vendored) pointed at this service's /sparql, with the example queries.
(function () {
  "use strict";
  var Y = window.Yasgui;
  var host = document.getElementById("yasgui");
  if (!Y || !host) return;
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var endpoint = window.location.origin + "/sparql";
  // class/property completion asks a remote vocabulary service: this page never leaves the server
  Y.Yasqe.defaults.autocompleters = Y.Yasqe.defaults.autocompleters.filter(function (n) {
    return n !== "class" && n !== "property";
  });
  Y.Yasqe.defaults.value = JSON.parse(document.getElementById("default-query").textContent);
  var yasgui = new Y(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "careerkg-sparql"
  });
  window.careerkgYasgui = yasgui;
  var tab = yasgui.getTab();
  if (tab && tab.getEndpoint && tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);

  Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (b) {
    b.addEventListener("click", function () {
      var ex = examples.filter(function (e) { return e.name === b.getAttribute("data-name"); })[0];
      var t = yasgui.getTab();
      if (!ex || !t) return;
      t.setEndpoint(ex.history ? endpoint + "?history=true" : endpoint);  // past versions' graphs too
      t.setQuery(ex.query);
      t.query();
    });
  });
})();
