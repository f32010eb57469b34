// Question-bank import: preview the file (questions, or every error by row), then import it.
(function () {
  'use strict';
  var form = document.getElementById('bank-form');
  if (!form || !window.Xs) return;
  var Xs = window.Xs, el = Xs.el;
  var $ = function (id) { return document.getElementById(id); };
  var KIND = { single: '单选', multiple: '多选', judge: '判断' };
  var previewed = null;

  // The file checker answers in English; these are its messages in Chinese. Anything not
  // listed is shown as it came.
  var MESSAGES = [
    [/^missing answer.*/, '缺少答案'],
    [/^missing kind.*/, '缺少题型'],
    [/^empty stem.*/, '题干为空'],
    [/^unknown kind '(.*)'.*/, '题型“$1”无法识别，请填写 单选、多选 或 判断'],
    [/^answer (\S+) is not among the options$/, '答案 $1 不在选项中'],
    [/^answer lists (\S+) twice$/, '答案 $1 重复'],
    [/^a single-choice question needs exactly 1 answer, found (\d+)$/, '单选题只能有 1 个答案，现有 $1 个'],
    [/^a multiple-choice question needs at least 2 answers, found (\d+)$/, '多选题至少要有 2 个答案，现有 $1 个'],
    [/^judge answer '(.*)' must be T or F.*/, '判断题答案“$1”无效，请填写 对/错、正确/错误 或 √/×'],
    [/^a judge question has exactly one answer.*/, '判断题只能有一个答案'],
    [/^a choice question needs at least 2 options, found (\d+)$/, '选择题至少要有 2 个选项，现有 $1 个'],
    [/^option (\S+) is empty$/, '选项 $1 为空'],
    [/^(\d+) options; at most (\d+)$/, '选项有 $1 个，最多 $2 个'],
    [/^duplicate question: same stem as row (\d+)$/, '与第 $1 行的题干重复'],
    [/^duplicate question: same stem as line (\d+)$/, '与第 $1 行的题干重复'],
    [/^duplicate question: same stem as question (\d+)$/, '与第 $1 题的题干重复'],
    [/^stem is (\d+) characters; at most (\d+)$/, '题干有 $1 个字，最多 $2 个'],
    [/^difficulty (\S+) must be between 1 and 5$/, '难度 $1 须在 1 至 5 之间'],
    [/^difficulty (\S+) must be a whole number 1-5 or a label$/, '难度 $1 须为 1 至 5 的整数或文字'],
    [/^header lacks the (\S+) column$/, '表头缺少“$1”列'],
    [/^column '(.*)' appears twice$/, '“$1”列重复'],
    [/^the bank has no questions$/, '文件中没有试题'],
    [/^the CSV file is empty$/, 'CSV 文件为空'],
    [/^the CSV file is neither UTF-8 nor GBK text$/, 'CSV 文件编码无法识别，请另存为 UTF-8 或 GBK'],
    [/^unsupported file type.*/, '不支持的文件类型，请使用 .xlsx、.csv、.json 或 .toml'],
    [/^more than (\d+) questions$/, '试题超过 $1 道'],
    [/^cell (\S+) contains a formula.*/, '单元格 $1 含有公式，请改为直接填写内容']
  ];

  function inChinese(message) {
    for (var i = 0; i < MESSAGES.length; i++) {
      if (MESSAGES[i][0].test(message)) return message.replace(MESSAGES[i][0], MESSAGES[i][1]);
    }
    return message;
  }

  /** "第 3 行：缺少答案" — a spreadsheet row or text line, else the question's number, else the file. */
  function describe(d) {
    var m = /^question (\d+): (.*)$/.exec(d.message || '');
    var question = m ? '第 ' + m[1] + ' 题' : '';
    var message = m ? m[2] : (d.message || '');
    var at = d.row || d.line;
    var where = at ? '第 ' + at + ' 行' + (question ? '（' + question + '）' : '') : (question || '文件');
    return where + '：' + inChinese(message);
  }

  function fieldError(id, message) {
    var box = $(id + '-error'), input = $(id);
    box.textContent = message || '';
    Xs.show(box, !!message);
    if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  }

  function formData() {
    var data = new FormData();
    data.append('name', $('bank-name').value.trim());
    data.append('file', $('bank-file').files[0]);
    return data;
  }

  function checkFields() {
    var ok = true;
    fieldError('bank-name', '');
    fieldError('bank-file', '');
    if (!$('bank-name').value.trim()) { fieldError('bank-name', '请填写题库名称。'); ok = false; }
    var file = $('bank-file').files[0];
    if (!file) { fieldError('bank-file', '请选择题库文件。'); ok = false; }
    else if (file.size > 10 * 1024 * 1024) { fieldError('bank-file', '文件超过 10 MB，请拆分后分别导入。'); ok = false; }
    if (!ok) form.querySelector('[aria-invalid="true"]').focus();
    return ok;
  }

  /** Shows a refused upload next to the right field, or its row errors in the preview. */
  function showRefusal(res) {
    var err = Xs.errorOf(res);
    if (err.code === 'invalid_name') return fieldError('bank-name', '题库名称须为 1 至 100 个字。');
    if (err.code === 'missing_file') return fieldError('bank-file', '请选择题库文件。');
    if (res.status === 413) return fieldError('bank-file', '文件超过 10 MB，请拆分后分别导入。');
    if (err.code !== 'invalid_bank') return fieldError('bank-file', err.message);
    var details = Array.isArray(err.details) ? err.details : [];
    fieldError('bank-file', '文件有 ' + details.length + ' 处错误，未导入任何试题。请修改后重新预览。');
    var list = $('preview-errors');
    details.forEach(function (d) { list.appendChild(el('li', { text: describe(d) })); });
    $('preview-summary').textContent = '';
    $('preview-summary').appendChild(el('div', { class: 'notice error' }, ['发现 ' + details.length + ' 处错误：']));
    openPreview();
  }

  function resetPreview() {
    previewed = null;
    $('preview-errors').textContent = '';
    $('preview-questions').textContent = '';
    $('preview-summary').textContent = '';
    Xs.show($('import-button'), false);
    Xs.show($('preview'), false);
  }

  function openPreview() {
    Xs.show($('preview'), true);
    $('preview').focus();
  }

  function showQuestions(p) {
    $('preview-summary').appendChild(el('div', { class: 'notice ok' }, [
      '文件检查通过：共 ' + p.count + ' 题（单选 ' + p.single + '，多选 ' + p.multiple + '，判断 ' + p.judge + '）。请核对后点“确认导入”。'
    ]));
    var list = $('preview-questions');
    p.questions.forEach(function (q) {
      var options = q.options.map(function (o) {
        var right = q.answer.indexOf(o.key) >= 0;
        var label = q.kind === 'judge' ? o.text : o.key + '. ' + o.text;
        return el('li', { class: right ? 'right' : '' }, [label, right ? el('span', { class: 'tag ok', text: '答案' }) : null]);
      });
      list.appendChild(el('li', {}, [
        el('span', { class: 'tag', text: KIND[q.kind] || q.kind }), ' ', q.stem, el('ul', { class: 'opts' }, options)
      ]));
    });
    Xs.show($('import-button'), true);
    openPreview();
  }

  async function preview(e) {
    e.preventDefault();
    resetPreview();
    if (!checkFields()) return;
    var button = $('preview-button');
    button.disabled = true;
    button.textContent = '检查中…';
    try {
      var res = await Xs.api('POST', '/api/v1/question-banks/preview', formData());
      if (res.ok) { previewed = formData(); showQuestions(res.body); } else showRefusal(res);
    } catch (err) {
      fieldError('bank-file', '网络连接失败，请重试。');
    } finally {
      button.disabled = false;
      button.textContent = '预览';
    }
  }

  async function doImport() {
    if (!previewed) return;
    var button = $('import-button');
    button.disabled = true;
    try {
      var res = await Xs.api('POST', '/api/v1/question-banks', previewed);
      if (!res.ok) { resetPreview(); showRefusal(res); return; }
      window.location.href = '/admin/banks?imported=' + res.body.id + '#bank-' + res.body.id;
    } catch (err) {
      fieldError('bank-file', '网络连接失败，请重试。');
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener('submit', preview);
  $('bank-file').addEventListener('change', resetPreview);
  $('import-button').addEventListener('click', doImport);
})();
