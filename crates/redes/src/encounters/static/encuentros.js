// Draws the clusters on a map when Leaflet is available. The page works
// without it (and without tiles): the tables carry the whole plan.
//
// The map is a labelled region (role and name in the template). Its
// markers are out of the tab order and hidden from screen readers, since
// the tables say the same; each one shows its cluster's number (a square
// for the host school, "–" when unplaced), so that colour is never the only
// difference. The zoom buttons carry the page's language.
(function () {
  var el = document.getElementById("mapa");
  if (!el || !window.L) { return; }
  var points = JSON.parse(el.getAttribute("data-points") || "[]");
  if (!points.length) { el.hidden = true; return; }
  var text = function (name, fallback) { return el.getAttribute("data-" + name) || fallback; };
  var map = L.map(el, { attributionControl: true, zoomControl: false });
  L.control.zoom({
    zoomInTitle: text("zoom-in", "Acercar"),
    zoomOutTitle: text("zoom-out", "Alejar")
  }).addTo(map);
  var tiles = el.getAttribute("data-tiles");
  if (tiles) { L.tileLayer(tiles, { maxZoom: 18, attribution: el.getAttribute("data-attribution") || "" }).addTo(map); }
  var colours = 8; // .mapa-c0 … .mapa-c7 in app.css
  // The view first: Leaflet draws a marker only on a map with a view.
  map.fitBounds(points.map(function (p) { return [p.lat, p.lon]; }), { padding: [20, 20] });
  points.forEach(function (p) {
    var size = p.host ? 26 : 20;
    var marker = L.marker([p.lat, p.lon], {
      keyboard: false,
      zIndexOffset: p.host ? 1000 : 0,
      icon: L.divIcon({ className: classes(p), html: label(p), iconSize: [size, size] })
    }).bindTooltip(tooltip(p)).addTo(map);
    marker.getElement().setAttribute("aria-hidden", "true");
  });

  function classes(p) {
    return "mapa-marca " + (p.cluster === null ? "mapa-sin" : "mapa-c" + (p.cluster % colours)) + (p.host ? " mapa-sede" : "");
  }

  function label(p) {
    var span = document.createElement("span");
    span.textContent = p.cluster === null ? "–" : String(p.cluster);
    return span;
  }

  // School names are data: they go in as text, never as HTML (Leaflet
  // inserts a string tooltip as markup).
  function tooltip(p) {
    var tip = document.createElement("span");
    tip.textContent = p.name +
      (p.cluster === null ? " · " + text("unplaced", "sin ubicar") : " · " + text("cluster", "agrupamiento") + " " + p.cluster) +
      (p.host ? " (" + text("host", "sede") + ")" : "");
    return tip;
  }
})();
