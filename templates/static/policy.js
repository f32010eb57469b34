// The policy form: the page's numbers merged into the full stored policy, sent with
// PUT /api/v1/admin/policies/{year}; the server's objections are shown next to their fields.
(function () {
  'use strict';
  var form = document.getElementById('policy-form');
  if (!form || !window.Xs) return;
  var Xs = window.Xs;
  var $ = function (id) { return document.getElementById(id); };
  var year = form.getAttribute('data-year');

  var MESSAGES = {
    'must be a number of hours, not negative': '须为不小于 0 的学时数',
    'must have at most one decimal': '最多保留一位小数',
    'must be above 0': '须大于 0',
    'must be at least public + professional': '不能小于公需科目与专业科目之和',
    'must be at least 1': '不能小于 1',
    'must be above 0 and at most 100': '须大于 0 且不超过 100',
    'must be above 0 and at most 1': '须大于 0 且不超过 1（如 0.95）',
    'must be between 0 and 100': '须在 0 至 100 之间'
  };

  function idOf(path) { return path.replace(/\./g, '-'); }

  function setError(path, message) {
    var box = $('e-' + idOf(path)), input = $('f-' + idOf(path));
    if (!box || !input) return false;
    box.textContent = message || '';
    Xs.show(box, !!message);
    if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    return true;
  }

  function status(text, kind) {
    var box = $('policy-status');
    box.className = 'notice ' + kind;
    box.textContent = text;
    Xs.show(box, !!text);
  }

  function inputs() { return Array.prototype.slice.call(form.querySelectorAll('input[type=number]')); }

  /** Sets `a.b.c` in the policy object. */
  function put(obj, path, value) {
    var keys = path.split('.');
    var last = keys.pop();
    keys.forEach(function (k) { obj = obj[k]; });
    obj[last] = value;
  }

  /** The form's numbers, or null after marking the fields that are not numbers. */
  function read(policy) {
    var ok = true;
    inputs().forEach(function (input) {
      setError(input.name, '');
      var raw = input.value.trim();
      var n = Number(raw);
      if (raw === '' || !isFinite(n)) { setError(input.name, '请填写数字'); ok = false; return; }
      if (n < 0) { setError(input.name, '不能为负数'); ok = false; return; }
      if (input.getAttribute('data-integer') && Math.floor(n) !== n) { setError(input.name, '须为整数'); ok = false; return; }
      put(policy, input.name, n);
    });
    return ok ? policy : null;
  }

  async function save(e) {
    e.preventDefault();
    status('', '');
    Xs.show($('other-errors'), false);
    var policy = read(JSON.parse(form.getAttribute('data-policy')));
    if (!policy) {
      status('有数值需要修改，请看标红的字段。', 'error');
      form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    var button = $('save-policy');
    button.disabled = true;
    try {
      var res = await Xs.api('PUT', '/api/v1/admin/policies/' + year, policy);
      if (res.ok) {
        form.setAttribute('data-policy', JSON.stringify(res.body));
        status('已保存 ' + year + ' 年度政策（' + Xs.clock(new Date()) + '）。', 'ok');
        return;
      }
      var err = Xs.errorOf(res);
      var others = [];
      (Array.isArray(err.details) ? err.details : []).forEach(function (d) {
        var text = MESSAGES[d.message] || d.message;
        if (!setError(d.field, text)) others.push(d.field + '：' + text);
      });
      if (others.length) { $('other-errors').textContent = '其他参数：' + others.join('；'); Xs.show($('other-errors'), true); }
      status(err.code === 'invalid_policy' ? '未保存：有数值不符合要求，请看标红的字段。' : '未保存：' + err.message, 'error');
      var bad = form.querySelector('[aria-invalid="true"]');
      if (bad) bad.focus();
    } catch (ex) {
      status('网络连接失败，未保存，请重试。', 'error');
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener('submit', save);
})();
