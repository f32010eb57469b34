// The declaration form: shows the fields the chosen kind needs, asks the server what the
// declaration is worth as the learner types, and files it with its evidence (multipart).
(function () {
  'use strict';
  var form = document.getElementById('decl-form');
  if (!form || !window.Xs) return;
  document.documentElement.classList.add('js');
  var Xs = window.Xs;
  var $ = function (id) { return document.getElementById(id); };
  var INTEGER = ['days', 'months', 'modules', 'subjects'];
  var DECIMAL = ['hours', 'score'];
  var LABEL = {
    kind: '申报类型', year: '年度', title: '名称', days: '天数', hours: '学时', months: '月数',
    reference: '成果编号', subjects: '考试科目数', level: '考试级别', score: '考试成绩', modules: '通过模块数'
  };
  var MAX_FILES = 5, MAX_BYTES = 10 * 1024 * 1024;
  var previewTimer = null, previewSeq = 0;
  // Correcting a rejected declaration: the same form, prefilled, filed again with PUT.
  var resubmitId = form.getAttribute('data-resubmit');
  var submitLabel = resubmitId ? '重新提交' : '提交申报';

  function kind() { return $('f-kind').value; }

  function applies(wrapper) {
    return (' ' + wrapper.getAttribute('data-kinds') + ' ').indexOf(' ' + kind() + ' ') >= 0;
  }

  function showFields() {
    form.querySelectorAll('.kind-field').forEach(function (w) { w.hidden = !kind() || !applies(w); });
  }

  function setError(name, message) {
    var box = $('e-' + name), input = $('f-' + name);
    if (!box) return false;
    box.textContent = message || '';
    Xs.show(box, !!message);
    if (input) { if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid'); }
    return true;
  }

  function clearErrors() {
    form.querySelectorAll('.field-error').forEach(function (b) { b.textContent = ''; b.hidden = true; });
    form.querySelectorAll('[aria-invalid]').forEach(function (i) { i.removeAttribute('aria-invalid'); });
  }

  /** The declaration as the API takes it: only the fields the kind shows, numbers as numbers. */
  function input() {
    var data = { kind: kind(), year: Number($('f-year').value), title: $('f-title').value.trim() };
    form.querySelectorAll('.kind-field').forEach(function (w) {
      if (w.hidden) return;
      var field = w.querySelector('input, select');
      var raw = field.value.trim();
      if (raw === '') return;
      if (INTEGER.indexOf(field.name) >= 0 || DECIMAL.indexOf(field.name) >= 0) data[field.name] = Number(raw);
      else data[field.name] = raw;
    });
    return data;
  }

  /** Checks what the browser can: a kind, a title, numbers that are numbers. */
  function localErrors(data, forSubmit) {
    var errors = {};
    if (!data.kind) errors.kind = '请选择申报类型';
    if (forSubmit && !data.title) errors.title = '请填写名称';
    INTEGER.concat(DECIMAL).forEach(function (name) {
      if (!(name in data)) return;
      var n = data[name];
      if (!isFinite(n) || n < 0) errors[name] = LABEL[name] + '须为不小于 0 的数字';
      else if (INTEGER.indexOf(name) >= 0 && Math.floor(n) !== n) errors[name] = LABEL[name] + '须为整数';
    });
    return errors;
  }

  /** The server's refusal in Chinese, for the field it names. */
  function messageFor(err, field) {
    var label = LABEL[field] || '';
    switch (err.code) {
      case 'missing_field': return '请填写' + label;
      case 'score_below_minimum': return '成绩未达到合格线，不能申报';
      case 'duplicate_reference': return '该成果已申报过，同一成果不能重复申报';
      case 'invalid_year': return '年度无效，只能申报今年及以前的年度';
      case 'yearly_cap_reached': return '本年度该类学时已达上限，不能再申报';
      case 'invalid_evidence': return '证明材料只接受 PDF、JPG、PNG 文件';
      case 'too_many_files': return '证明材料最多 ' + MAX_FILES + ' 个';
    }
    var known = {
      days: '天数须在 1 至 366 之间', months: '月数须在 1 至 12 之间，且本年度还有剩余月份',
      hours: '学时须大于 0、最多一位小数，且不超过天数 × 24', level: '请选择 A、B 或 C 级',
      score: '成绩须在 0 至 100 之间', modules: '模块数须大于 0', subjects: '科目数须大于 0', title: err.message
    };
    return known[field] || err.message;
  }

  /** Where a refusal belongs: its field, the evidence input, or the form as a whole. */
  function placeError(err, status) {
    var field = Array.isArray(err.details) && err.details[0] && err.details[0].field;
    if (status === 413 || err.code === 'invalid_evidence' || err.code === 'too_many_files') {
      field = 'evidence';
      if (status === 413) return { field: field, message: '单个文件不能超过 10 MB' };
    }
    return { field: field || 'form', message: messageFor(err, field) };
  }

  function computedText(c) {
    if (c.completes_year) return '审核通过后，本年度视为已完成学时要求。';
    var parts = [];
    if (c.public > 0) parts.push('公需科目 ' + c.public + ' 学时');
    if (c.professional > 0) parts.push('专业科目 ' + c.professional + ' 学时');
    return parts.length ? '按规定可认定：' + parts.join('，') + '。' : '按规定可认定 0 学时。';
  }

  function noteText(n) {
    switch (n.note) {
      case 'daily_cap_applied': return '每天最多认定 ' + n.daily_cap + ' 学时：申报 ' + n.claimed + '，认定 ' + n.credited + '。';
      case 'yearly_cap_applied': return '本类每年最多 ' + n.yearly_cap + ' 学时：本次认定 ' + n.credited + '。';
      case 'pro_rata': return '不足一年，按 ' + n.months + ' 个月折算。';
      case 'months_trimmed': return '本年度只剩 ' + n.credited + ' 个月可折算。';
    }
    return '';
  }

  function showComputed(text, notes, ok) {
    $('computed-text').textContent = text;
    $('computed-text').className = ok ? 'computed-ok' : 'muted';
    var list = $('computed-notes');
    list.textContent = '';
    (notes || []).forEach(function (n) { var t = noteText(n); if (t) list.appendChild(Xs.el('li', { text: t })); });
  }

  async function preview() {
    var data = input();
    if (!data.kind) return;
    if (Object.keys(localErrors(data, false)).length) return showComputed('请先改正标红的项目。', [], false);
    if (!data.title) data.title = '（预览）';
    var seq = ++previewSeq;
    var res;
    try { res = await Xs.api('POST', '/api/v1/declarations/preview', data); } catch (e) { return; }
    if (seq !== previewSeq) return;
    if (res.ok) return showComputed(computedText(res.body.computed), res.body.notes, true);
    var err = Xs.errorOf(res), placed = placeError(err, res.status);
    if (err.code === 'missing_field') return showComputed('还需填写：' + (LABEL[placed.field] || placed.field) + '。', [], false);
    showComputed('暂不能认定：' + placed.message + '。', [], false);
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, 400);
  }

  function checkFiles() {
    var files = Array.prototype.slice.call($('f-evidence').files);
    if (files.length > MAX_FILES) return '证明材料最多 ' + MAX_FILES + ' 个';
    var big = files.filter(function (f) { return f.size > MAX_BYTES; })[0];
    if (big) return '“' + big.name + '”超过 10 MB';
    return '';
  }

  async function submit(e) {
    e.preventDefault();
    clearErrors();
    var data = input();
    var errors = localErrors(data, true);
    var fileError = checkFiles();
    if (fileError) errors.evidence = fileError;
    if (Object.keys(errors).length) {
      Object.keys(errors).forEach(function (name) { setError(name, errors[name]); });
      return focusFirstError();
    }
    var body = new FormData();
    body.append('data', JSON.stringify(data));
    Array.prototype.forEach.call($('f-evidence').files, function (f) { body.append('evidence', f, f.name); });
    var button = $('decl-submit');
    button.disabled = true;
    button.textContent = '提交中…';
    try {
      var res = resubmitId
        ? await Xs.api('PUT', '/api/v1/declarations/' + resubmitId, body)
        : await Xs.api('POST', '/api/v1/declarations', body);
      if (res.ok) { window.location.href = '/declarations?filed=' + res.body.id; return; }
      var placed = placeError(Xs.errorOf(res), res.status);
      if (!setError(placed.field, placed.message)) setError('form', placed.message);
      focusFirstError();
    } catch (ex) {
      setError('form', '网络连接失败，申报未提交，请重试。');
    } finally {
      button.disabled = false;
      button.textContent = submitLabel;
    }
  }

  function focusFirstError() {
    var bad = form.querySelector('[aria-invalid="true"]');
    if (bad) bad.focus(); else $('e-form').scrollIntoView({ block: 'center' });
  }

  /** Puts the rejected declaration's values back into the form. */
  function prefill() {
    var raw = form.getAttribute('data-prefill');
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    Object.keys(data).forEach(function (name) {
      var field = $('f-' + name);
      if (field && data[name] !== null && data[name] !== undefined) field.value = String(data[name]);
    });
  }

  prefill();
  $('f-kind').addEventListener('change', function () { showFields(); schedulePreview(); });
  form.addEventListener('input', function (ev) {
    if (ev.target.id !== 'f-evidence') { setError(ev.target.name, ''); schedulePreview(); }
  });
  form.addEventListener('submit', submit);
  showFields();
  if (resubmitId) schedulePreview();
})();
