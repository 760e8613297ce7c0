// The first screen's map without waiting (issue 22): what the map needs is ready before Dash's
// renderer has the layout, and what it does not need waits. Measured (bench/first_screen.py),
// the three steps below took the dashboard's map from 1.03-1.08 s after navigation to
// 0.75-0.84 s (the standalone export: 0.51-0.61 s).
//
// 1. Its base map. dashboard/app.py names the first trip's TopoJSON in a preload link; it is
//    handed to plotly.js here (window.PlotlyGeoAssets, where plotly.js keeps the base maps it
//    has fetched), so the map is drawn in the same task as it is plotted. Otherwise plotly.js
//    asks for it only when plotting, and draws it once the page's other figures and first
//    callbacks have let go of the processor.
//
// 2. Dash's graph, dropdowns, sliders and upload area are React.lazy components: the first
//    time one renders, it shows a placeholder while its code "loads" (already on the page:
//    dashboard/app.py runs those chunks with the page's scripts), and React reveals it in a
//    low-priority retry that the page's first callbacks keep interrupting: the map's plot began
//    250-300 ms after the layout had rendered. Rendering each kind once, off the page, while
//    Dash's renderer is still fetching the layout settles them first, so the layout renders
//    whole and the map plots at once. Where React or a component differs, nothing breaks: the
//    page is as before.
(function () {
  var geo = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
  geo.topojson = geo.topojson || {};
  document.querySelectorAll('link[data-base-map]').forEach(function (link) {
    var name = link.getAttribute('data-base-map');
    fetch(link.href).then(function (response) { return response.ok ? response.json() : null; })
      .then(function (topojson) { if (topojson && !geo.topojson[name]) { geo.topojson[name] = topojson; } })
      .catch(function () { /* plotly.js fetches it itself, and says so when it cannot */ });
  });

  var WARM = [
    ['Graph', {id: 'lazy-warm-graph', figure: {data: [], layout: {}}}],
    ['Dropdown', {id: 'lazy-warm-dropdown', options: [], value: null}],
    ['Slider', {id: 'lazy-warm-slider', min: 0, max: 1, value: 0}],
    ['RangeSlider', {id: 'lazy-warm-range', min: 0, max: 1, value: [0, 1]}],
    ['Upload', {id: 'lazy-warm-upload'}]
  ];

  function warm() {
    var React = window.React;
    var ReactDOM = window.ReactDOM;
    var dcc = window.dash_core_components;
    if (!React || !ReactDOM || !ReactDOM.createRoot || !ReactDOM.flushSync || !dcc) { return; }
    var holder = document.createElement('div');
    holder.hidden = true;
    document.body.appendChild(holder);
    WARM.forEach(function (entry) {
      var component = dcc[entry[0]];
      if (!component) { return; }
      var root = ReactDOM.createRoot(holder);
      try {
        // Rendering reaches the lazy part, which starts its loading; the placeholder commits.
        ReactDOM.flushSync(function () { root.render(React.createElement(component, entry[1])); });
      } catch (ignored) {
        // A component that needs Dash's renderer around it: it loads when the page renders it.
      }
      root.unmount();
    });
    holder.remove();
  }

  // After every script has run (the component libraries come after the assets), before the
  // layout's request has come back.
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', warm);
  } else {
    warm();
  }

  // 3. What waits for the map (dashboard/features/first_paint.py): rendered a frame later, once
  //    the first render, the map included, has been painted.
  function AfterFirstPaint(props) {
    var React = window.React;
    var shown = React.useState(false);
    React.useEffect(function () {
      var timer = null;
      var frame = window.requestAnimationFrame(function () { timer = setTimeout(function () { shown[1](true); }, 0); });
      return function () { window.cancelAnimationFrame(frame); clearTimeout(timer); };
    }, []);
    return shown[0] ? props.children : null;
  }

  window.tripviz = Object.assign({}, window.tripviz, {AfterFirstPaint: AfterFirstPaint});
})();
