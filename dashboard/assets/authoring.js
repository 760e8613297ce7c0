// Undo and redo over the session's edits (issue 21), by dashboard/features/trip_editor.py.
//
// Every edit (a stop added, a trip uploaded, a place fixed in the grid) gives the browser's own
// trips (the 'catalogue' store) a new value. 'remember' keeps the values it had, 'step' puts one
// back. They are references to objects the browser already holds, so the history costs no
// copies and no request to the server.
//
// 'keepOpen' remembers the trip on screen for a reload, as the edits are.
//
// Ctrl+Z (Cmd+Z) undoes and Ctrl+Shift+Z (or Ctrl+Y) redoes, except in a text field, where
// they keep undoing the typing as the browser always does.
(function () {
  var LIMIT = 100;
  // The store sets itself from session storage as the page loads (a reload): that is not an
  // edit to undo. Edits follow something the reader did.
  var readerActed = false;
  ['pointerdown', 'keydown', 'drop'].forEach(function (type) {
    document.addEventListener(type, function (event) { if (event.isTrusted) { readerActed = true; } }, true);
  });

  function blank() { return {past: [], future: [], present: null}; }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    authoring: {
      remember: function (catalogue, history) {
        var h = history || blank();
        var next;
        if (h.restoring || h.present === catalogue || !readerActed) {
          next = {past: h.past, future: h.future, present: catalogue};
        } else {
          next = {past: h.past.concat([h.present === null ? {} : h.present]).slice(-LIMIT), future: [],
                  present: catalogue};
        }
        return [next, next.past.length === 0, next.future.length === 0];
      },
      // The trip on screen, kept in session storage ('open-trip') so a reload reopens it.
      keepOpen: function (tripId, kept) {
        return tripId && tripId !== kept ? tripId : window.dash_clientside.no_update;
      },
      step: function (undoClicks, redoClicks, history) {
        var noUpdate = window.dash_clientside.no_update;
        var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || '';
        var h = history || blank();
        if (trigger.indexOf('undo.') === 0 && h.past.length) {
          var back = h.past[h.past.length - 1];
          return [back, {past: h.past.slice(0, -1), future: [h.present].concat(h.future), present: back,
                         restoring: true}];
        }
        if (trigger.indexOf('redo.') === 0 && h.future.length) {
          var forth = h.future[0];
          return [forth, {past: h.past.concat([h.present]), future: h.future.slice(1), present: forth,
                          restoring: true}];
        }
        return [noUpdate, noUpdate];
      }
    }
  });

  function typingIn(element) {
    if (!element) { return false; }
    var tag = element.tagName;
    return tag === 'TEXTAREA' || element.isContentEditable ||
           (tag === 'INPUT' && !/^(button|checkbox|radio|submit|reset|range|color|file)$/i.test(element.type));
  }

  document.addEventListener('keydown', function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || typingIn(document.activeElement)) { return; }
    var key = event.key.toLowerCase();
    var id = key === 'z' ? (event.shiftKey ? 'redo' : 'undo') : (key === 'y' && !event.shiftKey ? 'redo' : null);
    var button = id && document.getElementById(id);
    if (button) {
      event.preventDefault();
      if (!button.disabled) { button.click(); }
    }
  });
})();
