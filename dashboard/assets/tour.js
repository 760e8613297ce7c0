// 'Play the tour' under the map, in the browser (no server round trip): the slider has a step
// per frame of the map figure (its days in layout.meta.tour_days); moving it shows that day's
// frame; the button plays from the start (or from the chosen day) to the end. Registered as
// Dash clientside callbacks by dashboard/features/tour.py.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  tour: {
    slider: function (figure) {
      var days = (figure && figure.layout && figure.layout.meta && figure.layout.meta.tour_days) || [];
      // A new figure is drawn whole (its last day): showDay must not draw that day again.
      var plot = document.querySelector('#map .js-plotly-plot');
      if (plot) { plot.tourDayShown = undefined; }
      var last = Math.max(days.length - 1, 0);
      var marks = {};
      if (days.length) { marks[0] = days[0]; marks[last] = days[last]; }
      return [last, last, marks, days.length < 2];
    },
    showDay: function (value, figure) {
      var frames = (figure && figure.frames) || [];
      var days = (figure && figure.layout && figure.layout.meta && figure.layout.meta.tour_days) || [];
      var plot = document.querySelector('#map .js-plotly-plot');
      var shown = plot && plot.tourDayShown !== undefined ? plot.tourDayShown : days.length - 1;
      if (plot && value !== shown && frames[value] && window.Plotly && plot._transitionData) {
        plot.tourDayShown = value;
        window.Plotly.animate(plot, [frames[value].name], {mode: 'immediate', transition: {duration: 0},
                                                           frame: {duration: 0, redraw: true}});
      }
      return days.length ? 'Day ' + (value + 1) + ' of ' + days.length + ': ' + days[value] : '';
    },
    play: function (clicks, ticks, stopped, value, last) {
      var trigger = window.dash_clientside.callback_context.triggered.map(function (t) { return t.prop_id; })[0] || '';
      var noUpdate = window.dash_clientside.no_update;
      if (trigger.indexOf('tour-play') === 0) {
        if (stopped) { return [false, '❚❚ Pause', value >= last ? 0 : value]; }
        return [true, '▶ Play the tour', noUpdate];
      }
      if (stopped || value >= last) { return [true, '▶ Play the tour', noUpdate]; }
      return [false, '❚❚ Pause', value + 1];
    }
  }
});
