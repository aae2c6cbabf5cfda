// What the service-request maps share: Leaflet's stylesheet, the tile layer and, if the tiles fail,
// a note at the top of the map's block (the address or the coordinates on the page still do the job).
import * as L from '/static/leaflet/leaflet-src.esm.js';

export { L };

/**
 * Shows the map's block (before Leaflet measures it), makes the map in `el` and lays the town's
 * tiles on it; `el` carries data-tiles, data-attribution and data-tile-error.
 */
export function createMap(el, block, options) {
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = '/static/leaflet/leaflet.css';
  document.head.append(css);
  block.hidden = false;
  L.Icon.Default.imagePath = '/static/leaflet/images/';
  const map = L.map(el, options);
  let failed = false;
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution })
    .on('tileerror', () => {
      if (failed) return;
      failed = true;
      const note = document.createElement('p');
      note.className = 'field__hint map-error';
      note.textContent = el.dataset.tileError ?? '';
      block.prepend(note);
    })
    .addTo(map);
  return map;
}
