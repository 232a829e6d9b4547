/* homthu: optional comfort for the pages, which all work without it.
   ES5 only (old Android browsers, Chrome 109 on Windows 7); no inline
   script anywhere, so the Content-Security-Policy can forbid it. */
(function () {
  'use strict';
  var d = document;

  /* The print button of the receipt page (hidden without JavaScript; the
     page then explains how to print, and the print stylesheet applies). */
  var prints = d.querySelectorAll('[data-print]');
  for (var i = 0; i < prints.length; i++) {
    prints[i].hidden = false;
    prints[i].addEventListener('click', function () { window.print(); });
  }

  /* The receipt page warns before leaving until the person confirms that
     they saved the code, which cannot be issued again. */
  var confirmForm = d.getElementById('xac-nhan');
  if (confirmForm) {
    var saved = false;
    confirmForm.addEventListener('submit', function () { saved = true; });
    window.addEventListener('beforeunload', function (e) {
      if (saved) { return undefined; }
      var msg = 'Bạn đã lưu mã tra cứu chưa? Mã này không thể cấp lại.';
      e.preventDefault();
      e.returnValue = msg;
      return msg;
    });
  }

  /* Live area search: results appear while typing, from the JSON API.
     The server-rendered form and results stay the fallback. */
  var q = d.getElementById('q');
  var out = d.getElementById('ket-qua');
  if (!q || !out || !q.getAttribute('data-live') || !window.XMLHttpRequest) { return; }
  var api = q.getAttribute('data-live');
  var timer = null;
  var last = q.value;
  var seq = 0;

  function fold(s) {
    s = String(s).toLowerCase();
    if (s.normalize) { s = s.normalize('NFD').replace(/[\u0300-\u036f]/g, ''); }
    return s.replace(/\u0111/g, 'd').replace(/[^a-z0-9]+/g, ' ').replace(/^ | $/g, '');
  }

  function el(tag, cls, text) {
    var e = d.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.appendChild(d.createTextNode(text)); }
    return e;
  }

  function render(query, units) {
    while (out.firstChild) { out.removeChild(out.firstChild); }
    out.appendChild(el('h2', '', 'Kết quả tìm “' + query + '”'));
    if (!units.length) {
      out.appendChild(el('p', '', 'Không tìm thấy nơi nào có tên này. Hãy thử gõ ít chữ hơn.'));
      return;
    }
    var ul = el('ul', 'units');
    var fq = fold(query);
    for (var i = 0; i < units.length; i++) {
      var u = units[i];
      var choose = u.kind === 'area' || u.kind === 'commune';
      var li = el('li', 'unit');
      var a = el('a', 'unit-name', u.name);
      a.href = '/gui?' + (choose ? 'area=' : 'duoi=') + encodeURIComponent(u.code);
      li.appendChild(a);
      var above = (u.path || []).slice();
      if (above.length && above[above.length - 1] === u.name) { above.pop(); }
      var path = above.reverse().join(' › ');
      if (path) { li.appendChild(el('span', 'path', path)); }
      if (u.formerly && u.formerly.length && fold(u.name).indexOf(fq) < 0) {
        var former = [];
        for (var j = 0; j < u.formerly.length; j++) {
          if (fold(u.formerly[j]).indexOf(fq) >= 0) { former.push(u.formerly[j]); }
        }
        if (!former.length) { former = u.formerly; }
        li.appendChild(el('span', 'former', 'trước đây: ' + former.join('; ')));
      }
      if (u.kind === 'commune') {
        var m = el('a', 'more', 'Chọn một thôn, tổ dân phố của ' + u.name);
        m.href = '/gui?duoi=' + encodeURIComponent(u.code);
        li.appendChild(m);
      }
      ul.appendChild(li);
    }
    out.appendChild(ul);
  }

  function search() {
    var query = q.value.replace(/^\s+|\s+$/g, '');
    if (query === last || query.length < 2) { return; }
    last = query;
    var mine = ++seq;
    var x = new XMLHttpRequest();
    x.open('GET', api + '?q=' + encodeURIComponent(query));
    x.setRequestHeader('Accept', 'application/json');
    x.onload = function () {
      if (mine !== seq || x.status !== 200) { return; }
      try { render(query, JSON.parse(x.responseText).units || []); } catch (e) { /* keep the page as it is */ }
    };
    x.send();
  }

  q.addEventListener('input', function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(search, 250);
  });
})();
