// Draws the clusters on a map when Leaflet is available. The page works
// without it (and without tiles): the tables carry the whole plan.
(function () {
  var el = document.getElementById("mapa");
  if (!el || !window.L) { return; }
  var points = JSON.parse(el.getAttribute("data-points") || "[]");
  if (!points.length) { el.hidden = true; return; }
  var map = L.map(el, { attributionControl: true });
  var tiles = el.getAttribute("data-tiles");
  if (tiles) { L.tileLayer(tiles, { maxZoom: 18, attribution: el.getAttribute("data-attribution") || "" }).addTo(map); }
  var palette = ["#0b5cad", "#b00020", "#1e7e34", "#8a4baf", "#b58900", "#00798c", "#d1495b", "#3d405b"];
  var bounds = [];
  points.forEach(function (p) {
    var color = p.cluster === null ? "#555" : palette[p.cluster % palette.length];
    L.circleMarker([p.lat, p.lon], { radius: p.host ? 9 : 6, color: color, weight: p.host ? 3 : 1, fillOpacity: 0.7 })
      .bindTooltip(tooltip(p))
      .addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, { padding: [20, 20] });

  // School names are data: they go in as text, never as HTML (Leaflet
  // inserts a string tooltip as markup).
  function tooltip(p) {
    var tip = document.createElement("span");
    tip.textContent = p.name + (p.cluster === null ? "" : " · agrupamiento " + p.cluster) + (p.host ? " (sede)" : "");
    return tip;
  }
})();
