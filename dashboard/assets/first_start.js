// A first start's page (dashboard/features/first_start.py): when the first, smaller index is
// built, load the page again, which then holds the trips.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  firstStart: {
    showTrips: function (ready) {
      if (ready) { window.location.reload(); }
      return window.dash_clientside.no_update;
    }
  }
});
