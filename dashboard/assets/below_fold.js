// Below the first screen (issue 22): what sits under the map waits until the trip's map is
// drawn and the browser is idle, or until the reader scrolls near it, whichever comes first,
// so that it never competes with the map for the network or the processor.
//
// - The traveller's record (two maps and a timeline) is asked for through the 'record-wanted'
//   store (dashboard/features/traveller_record.py).
// - Component libraries the page marks as deferred (<script type="text/x-deferred">, written by
//   dashboard/app.py: AG Grid's 1.3 MB bundle) get a light stand-in that Dash renders with
//   the component's props. It shows a line of text until the library is loaded, then renders
//   the real component with the same props. The props live in Dash's store the whole time, so
//   callbacks that fill the grid before it loads lose nothing.
(function () {
  var MAP_DRAWN = '#map .layer.countries path';
  var GIVE_UP_MS = 8000;  // a map that never draws (no trip) must not hold the rest back
  var NEAR = '600px 0px';
  var ROW_PX = 42;    // ag-theme-alpine's row height
  var FRAME_PX = 66;  // its header, borders and the room it keeps below the rows (measured)
  var afterMapTasks = [];
  var mapDone = false;

  function whenIdle(task) {
    if (window.requestIdleCallback) { window.requestIdleCallback(task, {timeout: 1500}); } else { setTimeout(task, 200); }
  }

  // Runs task once the map is drawn and the browser idle (at once when that has happened).
  function afterMap(task) {
    if (mapDone) { whenIdle(task); } else { afterMapTasks.push(task); }
  }

  (function watchMap() {
    var begun = Date.now();
    (function poll() {
      if (document.querySelector(MAP_DRAWN) || Date.now() - begun > GIVE_UP_MS) {
        mapDone = true;
        afterMapTasks.splice(0).forEach(whenIdle);
        return;
      }
      setTimeout(poll, 100);
    })();
  })();

  // Runs task when element comes near the viewport by the reader's own scrolling: before the
  // map is drawn the page is short, and everything would seem near for a moment.
  function whenScrolledNear(element, task) {
    if (!window.IntersectionObserver) { return; }
    var observer = new IntersectionObserver(function (entries) {
      if (window.scrollY > 0 && entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        task();
      }
    }, {rootMargin: NEAR});
    observer.observe(element);
  }

  function once(task) {
    var done = false;
    return function () { if (!done) { done = true; task(); } };
  }

  // ------------------------------------------------------------------ the traveller's record
  (function askForRecord() {
    var section = document.querySelector('section.collection');
    if (!section || !window.dash_clientside || !window.dash_clientside.set_props) {
      setTimeout(askForRecord, 100);
      return;
    }
    var want = once(function () { window.dash_clientside.set_props('record-wanted', {data: true}); });
    whenScrolledNear(section, want);
    afterMap(want);
  })();

  // ------------------------------------------------------------------ deferred libraries
  function deferLibrary(marker) {
    var namespace = marker.getAttribute('data-namespace');
    var loading = null;

    function load() {
      if (!loading) {
        loading = new Promise(function (resolve, reject) {
          var script = document.createElement('script');
          script.src = marker.getAttribute('data-src');
          script.onload = function () { resolve(window[namespace]); };
          script.onerror = function () { reject(new Error(namespace + ' could not be loaded')); };
          document.body.appendChild(script);
        });
      }
      return loading;
    }

    // The room a grid of rows will take (a header and its rows at AG Grid's default row
    // height), so that the page below does not jump when the real grid arrives: a reader's
    // click aimed at the record's timeline would land elsewhere.
    function reservedHeight(props) {
      var rows = Array.isArray(props.rowData) ? props.rowData.length : 0;
      return rows ? rows * ROW_PX + FRAME_PX + 'px' : undefined;
    }

    function standIn(type) {
      function Deferred(props) {
        var React = window.React;
        var found = React.useState(null);
        var real = found[0];
        var setReal = found[1];
        var failed = React.useState(false);
        var holder = React.useRef(null);
        React.useEffect(function () {
          var alive = true;
          var start = once(function () {
            load().then(function (library) { if (alive) { setReal(function () { return library[type]; }); } },
                        function () { if (alive) { failed[1](true); } });
          });
          if (holder.current) { whenScrolledNear(holder.current, start); }
          afterMap(start);
          return function () { alive = false; };
        }, []);
        if (real) { return React.createElement(real, props); }
        return React.createElement('p', {ref: holder, className: 'deferred-component', role: 'status',
                                         style: {minHeight: reservedHeight(props)}},
                                   failed[0] ? 'This part of the page could not be loaded; reload the page to try again.'
                                             : 'Loading…');
      }
      return Deferred;
    }

    var stand = {};
    (marker.getAttribute('data-components') || '').split(' ').filter(Boolean).forEach(function (type) {
      stand[type] = standIn(type);
    });
    window[namespace] = stand;
  }

  document.querySelectorAll('script[type="text/x-deferred"]').forEach(deferLibrary);
})();
