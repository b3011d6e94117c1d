// Live filtering of "Where we work" as the visitor types. Without this
// script the search form still works: it is a plain GET form.
(function () {
  var input = document.getElementById('q');
  var areas = document.querySelector('.areas');
  var status = document.getElementById('search-status');
  if (!input || !areas || !status) return;
  var fold = function (s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  };
  var teams = Array.prototype.slice.call(areas.querySelectorAll('.team'));
  var regions = Array.prototype.slice.call(areas.querySelectorAll('.region'));
  var countText = status.getAttribute('data-count') || '';
  input.addEventListener('input', function () {
    var q = fold(input.value);
    var shown = 0;
    teams.forEach(function (t) {
      var items = Array.prototype.slice.call(t.querySelectorAll('li[data-keys]'));
      var teamHit = !q || t.getAttribute('data-keys').indexOf(q) >= 0;
      var any = false;
      items.forEach(function (li) {
        var hit = !q || teamHit || li.getAttribute('data-keys').indexOf(q) >= 0;
        li.hidden = !hit;
        any = any || hit;
      });
      t.hidden = !(teamHit || any);
      if (!t.hidden) shown++;
    });
    regions.forEach(function (r) {
      r.hidden = !r.querySelector('.team:not([hidden])');
    });
    if (q) {
      status.textContent = countText.replace('%d', String(shown));
    } else {
      status.textContent = '';
    }
  });
})();
