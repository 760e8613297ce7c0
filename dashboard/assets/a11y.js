// Accessibility repairs to Dash 4's own component markup, applied whenever Dash renders:
// axe-core (the test suite's check) finds these in the components, not in our layout.
// - dcc.Dropdown keeps a focusable input marked aria-hidden: it is what the keyboard reaches,
//   so it is given the dropdown's label instead of being hidden.
// - dcc.Checklist and dcc.RadioItems mark their options role=option around real checkboxes
//   and radio buttons (nested controls): the native inputs are enough, in a named group.
// - sliders' handles and the upload's file input carry no name.
(function () {
  'use strict';
  var NAMES = {
    'view-options': 'Map view', 'colour-by': 'Colour the record by', 'tour-day': 'Day of the tour',
    'years': 'Years shown', 'upload': 'Choose an itinerary file'
  };

  function labelText(element) {
    var label = element.closest('label');
    if (!label) { return null; }
    var text = '';
    label.childNodes.forEach(function (node) {
      if (node.nodeType === 3) { text += node.textContent; }
      if (node.nodeType === 1 && node.classList.contains('label-text')) { text += node.textContent; }
    });
    return text.trim() || null;
  }

  function set(element, name, value) {
    if (element.getAttribute(name) !== value) { element.setAttribute(name, value); }
  }

  function repair(root) {
    root.querySelectorAll('.dash-dropdown-focus-target[aria-hidden="true"]').forEach(function (input) {
      input.removeAttribute('aria-hidden');
      set(input, 'aria-label', labelText(input) || 'Choose');
    });
    Object.keys(NAMES).forEach(function (id) {
      var element = document.getElementById(id);
      if (!element) { return; }
      if (element.getAttribute('role') === 'listbox' || element.getAttribute('role') === 'radiogroup') {
        set(element, 'role', 'group');
      }
      element.querySelectorAll('[role="option"]').forEach(function (option) {
        option.removeAttribute('role');
        option.removeAttribute('aria-selected');  // the input's own checked state says it
      });
      if (element.matches('.dash-options-list, [role="group"]')) { set(element, 'aria-label', NAMES[id]); }
      element.querySelectorAll('[role="slider"]').forEach(function (handle, index, all) {
        var which = all.length > 1 ? (index === 0 ? ' (from)' : ' (to)') : '';
        set(handle, 'aria-label', NAMES[id] + which);
      });
      element.querySelectorAll('input[type="file"]').forEach(function (input) { set(input, 'aria-label', NAMES[id]); });
    });
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; repair(document); });
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
