// The standalone page's own script: unpack plotly.js, the base map and the figures with the
// browser's DecompressionStream, draw, and link the map, the timeline and the itinerary (Dash
// callbacks do not survive export). Every user string goes in through textContent, never
// innerHTML. When the page sits in an iframe it tells its parent its height, as Datawrapper
// and Flourish pages do.
(function () {
  'use strict';
  var DARK = {
    paper: '#15171a', plot: '#15171a', text: '#e8e8e8', grid: '#3a3d42', land: '#2a2d31', water: '#1c2a38',
    borders: '#7a7f87', coast: '#8a9099'
  };
  var LIGHT = {
    paper: '#ffffff', plot: '#ffffff', text: '#1a1a1a', grid: '#e5e5e5', land: '#f2efe9', water: '#dfe9f3',
    borders: '#9a9a9a', coast: '#8c8c8c'
  };

  function bytesOf(id) {
    var text = document.getElementById(id).textContent.trim();
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function unpack(id) {
    var stream = new Blob([bytesOf(id)]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text();
  }

  function loadPlotly() {
    if (window.Plotly) { return Promise.resolve(); }  // the CDN build, when the page was made so
    return unpack('plotly-js').then(function (code) {
      var script = document.createElement('script');
      script.textContent = code;
      document.head.appendChild(script);
    });
  }

  function wantsDark(theme) {
    if (theme === 'dark') { return true; }
    if (theme === 'light') { return false; }
    return !!(window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  }

  function themed(layout, colours) {
    var out = {
      paper_bgcolor: colours.paper, plot_bgcolor: colours.plot, 'font.color': colours.text
    };
    if (layout.geo) {
      out['geo.bgcolor'] = colours.paper;
      out['geo.landcolor'] = colours.land;
      out['geo.oceancolor'] = colours.water;
      out['geo.lakecolor'] = colours.water;
      out['geo.countrycolor'] = colours.borders;
      out['geo.coastlinecolor'] = colours.coast;
    }
    if (layout.xaxis) { out['xaxis.gridcolor'] = colours.grid; out['xaxis.color'] = colours.text; }
    if (layout.yaxis) { out['yaxis.color'] = colours.text; }
    return out;
  }

  function postHeight(embedId) {
    if (window.parent === window) { return; }
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({'tripviz-height': {id: embedId, height: height}}, '*');
  }

  function main(data) {
    var ids = Object.keys(data.figures).sort();
    var dark = wantsDark(data.theme);
    document.documentElement.classList.toggle('dark', dark);
    if (window.parent !== window) { document.documentElement.classList.add('embedded'); }
    var drawn = ids.map(function (id) {
      var fig = data.figures[id];
      var div = document.getElementById(id);
      return Plotly.newPlot(div, fig.data, fig.layout, data.config).then(function () {
        if (dark) { return Plotly.relayout(div, themed(fig.layout, DARK)); }
      });
    });
    var selected = null;

    function sameStop(point, key) {
      return point && (point[0] + '|' + point[1]) === key;
    }

    function highlight(key, focusPanel) {
      selected = key;
      ids.forEach(function (id) {
        var div = document.getElementById(id);
        div.data.forEach(function (trace, index) {
          if (!trace.meta || trace.meta.role !== 'stops' || !trace.customdata) { return; }
          var hits = trace.customdata.map(function (c) { return sameStop(c, key); });
          if (trace.type === 'scattergeo') {
            Plotly.restyle(div, {
              'marker.size': [hits.map(function (h) { return h ? 18 : 12; })],
              'marker.line.width': [hits.map(function (h) { return h ? 3 : 1.5; })]
            }, [index]);
          } else {
            Plotly.restyle(div, {
              'marker.line.width': [hits.map(function (h) { return h ? 3 : 2; })],
              'marker.color': [hits.map(function (h) { return h ? '#1a1a1a' : 'white'; })],
              'textfont.color': [hits.map(function (h) { return h ? 'white' : '#1a1a1a'; })]
            }, [index]);
          }
        });
        div.setAttribute('data-selected', key);
      });
      Array.prototype.forEach.call(document.querySelectorAll('.stop-select'), function (button) {
        var on = button.getAttribute('data-stop') === key;
        button.setAttribute('aria-pressed', on ? 'true' : 'false');
        button.closest('.stop').classList.toggle('selected', on);
      });
      showDetails(key);
      if (focusPanel) { document.getElementById('stop-details').focus({preventScroll: true}); }
    }

    function showDetails(key) {
      var panel = document.getElementById('stop-details');
      var stop = data.events[key];
      panel.textContent = '';
      if (!stop) { panel.textContent = 'No stop selected.'; return; }
      var heading = document.createElement('p');
      heading.className = 'details-heading';
      var strong = document.createElement('strong');
      strong.textContent = stop.number + '. ' + stop.place;
      heading.appendChild(strong);
      heading.appendChild(document.createTextNode(' ' + stop.dates + ' · ' + stop.events.length +
        (stop.events.length === 1 ? ' event' : ' events')));
      panel.appendChild(heading);
      if (!stop.events.length) { return; }
      var list = document.createElement('ul');
      stop.events.forEach(function (event) {
        var item = document.createElement('li');
        var kind = document.createElement('span');
        kind.className = 'kind';
        kind.textContent = event.kind;
        item.appendChild(kind);
        item.appendChild(document.createTextNode(' ' + (event.time ? event.time + ' ' : '') + event.text +
          (event.people ? ' (' + event.people + ')' : '')));
        if (event.source) {
          var source = document.createElement('span');
          source.className = 'source';
          source.appendChild(document.createTextNode(' Source: '));
          if (event.link) {
            var link = document.createElement('a');
            link.href = event.link;  // checked http(s) when the page was made
            link.rel = 'noopener noreferrer';
            link.textContent = event.source;
            source.appendChild(link);
          } else {
            source.appendChild(document.createTextNode(event.source));
          }
          item.appendChild(source);
        }
        list.appendChild(item);
      });
      panel.appendChild(list);
    }

    Array.prototype.forEach.call(document.querySelectorAll('.stop-select'), function (button) {
      button.addEventListener('click', function () {
        highlight(button.getAttribute('data-stop'), false);
        var map = document.getElementById(ids[0]);
        if (map.getBoundingClientRect().top < 0 && map.scrollIntoView) {
          map.scrollIntoView({block: 'nearest'});
        }
      });
    });

    return Promise.all(drawn).then(function () {
      ids.forEach(function (id) {
        document.getElementById(id).on('plotly_click', function (event) {
          var point = event.points && event.points[0];
          if (point && point.customdata) { highlight(point.customdata[0] + '|' + point.customdata[1], false); }
        });
      });
      if (window.matchMedia && data.theme === 'auto') {
        var query = window.matchMedia('(prefers-color-scheme: dark)');
        var follow = function () {
          var nowDark = query.matches;
          document.documentElement.classList.toggle('dark', nowDark);
          ids.forEach(function (id) {
            Plotly.relayout(id, themed(data.figures[id].layout, nowDark ? DARK : LIGHT));
          });
        };
        if (query.addEventListener) { query.addEventListener('change', follow); }
      }
      postHeight(data.embedId);
      if (window.ResizeObserver) {
        new ResizeObserver(function () { postHeight(data.embedId); }).observe(document.documentElement);
      }
      window.addEventListener('load', function () { postHeight(data.embedId); });
      document.body.setAttribute('data-ready', 'true');
    });
  }

  if (typeof DecompressionStream === 'undefined') {
    document.getElementById('unsupported').hidden = false;
    return;
  }
  Promise.all([loadPlotly(), unpack('base-map'), unpack('page-data')]).then(function (parts) {
    var data = JSON.parse(parts[2]);
    window.PlotlyGeoAssets = {topojson: {}};
    window.PlotlyGeoAssets.topojson[data.baseMap] = JSON.parse(parts[1]);
    return main(data);
  }).catch(function (error) {
    var note = document.getElementById('unsupported');
    note.textContent = 'The map could not be drawn: ' + error + '. The text of the page is complete without it.';
    note.hidden = false;
  });
})();
