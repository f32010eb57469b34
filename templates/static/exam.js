// The exam page: start or resume an attempt, one question per screen, a countdown from the
// server's remaining seconds, autosave of the whole answer sheet with retry, and submission
// after a confirmation. Every rule (attempts, deadline, grading) is the server's.
(function () {
  'use strict';
  var root = document.getElementById('exam');
  if (!root || !window.Xs || !window.XsExamResult) return;
  var Xs = window.Xs, el = Xs.el;
  var $ = function (id) { return document.getElementById(id); };
  var examId = root.getAttribute('data-exam-id');
  var KIND = { single: '单选题', multiple: '多选题', judge: '判断题' };

  var s = {
    attemptId: null, questions: [], answers: {}, index: 0, endsAt: 0, timer: null,
    rev: 0, savedRev: 0, saving: null, saveTimer: null, retryMs: 2000, closed: false, submitting: false
  };

  function fail(message) {
    var box = $('exam-error');
    box.textContent = message;
    Xs.show(box, true);
    box.scrollIntoView({ block: 'nearest' });
  }

  function clearFail() { Xs.show($('exam-error'), false); }

  // ---- starting -------------------------------------------------------------------------

  async function start() {
    var button = $('start');
    button.disabled = true;
    clearFail();
    var res;
    try {
      res = await Xs.api('POST', '/api/v1/exams/' + examId + '/attempts');
    } catch (e) {
      button.disabled = false;
      return fail('网络连接失败，请检查网络后重试。');
    }
    if (res.ok) return openPaper(res.body);
    button.disabled = false;
    var err = Xs.errorOf(res);
    if (err.code === 'lectures_incomplete') return fail('请先学完本课程的全部讲次，再参加考试。');
    if (err.code === 'restudy_required') return showLocked();
    if (err.code === 'already_passed') return window.location.reload();
    fail(err.message);
  }

  function openPaper(p) {
    s.attemptId = p.attempt_id;
    s.questions = p.questions || [];
    s.answers = p.selected || {};
    s.endsAt = Date.now() + p.remaining_s * 1000;
    Xs.show($('intro'), false);
    Xs.show($('paper'), true);
    renderQuestions();
    go(firstUnanswered());
    tick();
    s.timer = setInterval(tick, 1000);
    setSaveState(Object.keys(s.answers).length ? '已恢复上次保存的答案' : '尚未作答', '');
  }

  function firstUnanswered() {
    for (var i = 0; i < s.questions.length; i++) if (!answered(s.questions[i])) return i;
    return 0;
  }

  // ---- questions --------------------------------------------------------------------------

  function answered(q) { var a = s.answers[String(q.id)]; return !!(a && a.length); }

  function renderQuestions() {
    var box = $('questions');
    box.textContent = '';
    s.questions.forEach(function (q, i) { box.appendChild(renderQuestion(q, i)); });
    renderSheet();
  }

  function renderQuestion(q, i) {
    var type = q.kind === 'multiple' ? 'checkbox' : 'radio';
    var chosen = s.answers[String(q.id)] || [];
    var options = q.options.map(function (o) {
      var input = el('input', { type: type, name: 'q' + q.id, value: o.key, checked: chosen.indexOf(o.key) >= 0 });
      input.addEventListener('change', function () { choose(q, type); });
      var key = q.kind === 'judge' ? null : el('span', { class: 'key', text: o.key });
      return el('label', { class: 'option' }, [input, key, el('span', { class: 'text', text: o.text })]);
    });
    var hint = q.kind === 'multiple' ? el('p', { class: 'muted', text: '多选题：选出全部正确选项，多选、少选均不得分。' }) : null;
    var legend = el('legend', { tabindex: '-1' }, [
      el('span', { class: 'qno', text: '第 ' + (i + 1) + ' / ' + s.questions.length + ' 题' }),
      el('span', { class: 'tag', text: KIND[q.kind] || '' })
    ]);
    return el('fieldset', { class: 'question card', id: 'question-' + i, hidden: true }, [
      legend, el('p', { class: 'stem', text: q.stem }), hint, el('div', { class: 'options' }, options)
    ]);
  }

  function choose(q, type) {
    var keys = [];
    document.querySelectorAll('input[name="q' + q.id + '"]').forEach(function (input) {
      if (input.checked) keys.push(input.value);
    });
    if (keys.length) s.answers[String(q.id)] = keys; else delete s.answers[String(q.id)];
    s.rev += 1;
    renderSheet();
    scheduleSave(type === 'radio' ? 300 : 800);
  }

  function go(i) {
    if (i < 0 || i >= s.questions.length) return;
    var old = $('question-' + s.index);
    if (old) old.hidden = true;
    s.index = i;
    var now = $('question-' + i);
    now.hidden = false;
    $('prev').disabled = i === 0;
    var last = i === s.questions.length - 1;
    $('next').textContent = last ? '检查并交卷' : '下一题';
    $('position').textContent = (i + 1) + ' / ' + s.questions.length;
    renderSheet();
  }

  function move(step) {
    if (step > 0 && s.index === s.questions.length - 1) return askSubmit();
    go(s.index + step);
    var legend = $('question-' + s.index).querySelector('legend');
    legend.focus({ preventScroll: true });
    $('paper').scrollIntoView({ block: 'start' });
  }

  function renderSheet() {
    var grid = $('sheet-grid');
    grid.textContent = '';
    var done = 0;
    s.questions.forEach(function (q, i) {
      var ok = answered(q);
      if (ok) done += 1;
      var b = el('button', {
        type: 'button', class: 'cell' + (ok ? ' answered' : ''), 'aria-current': i === s.index ? 'true' : false,
        'aria-label': '第 ' + (i + 1) + ' 题，' + (ok ? '已作答' : '未作答'), text: String(i + 1)
      });
      b.addEventListener('click', function () { go(i); $('sheet').open = false; });
      grid.appendChild(b);
    });
    $('sheet-summary').textContent = '答题卡：已答 ' + done + ' / ' + s.questions.length + ' 题';
  }

  // ---- countdown ----------------------------------------------------------------------------

  function tick() {
    var left = Math.max(0, Math.round((s.endsAt - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), sec = left % 60;
    var t = (h ? h + ':' + Xs.pad(m) : Xs.pad(m)) + ':' + Xs.pad(sec);
    var timer = $('timer');
    timer.textContent = '剩余 ' + t;
    timer.classList.toggle('urgent', left <= 60);
    if (left === 0 && !s.closed) {
      s.closed = true;
      clearInterval(s.timer);
      setSaveState('考试时间到，正在交卷…', '');
      submit();
    }
  }

  // ---- autosave -------------------------------------------------------------------------------

  function setSaveState(text, kind) {
    var box = $('save-state');
    box.textContent = text;
    box.className = kind;
  }

  function scheduleSave(delay) {
    clearTimeout(s.saveTimer);
    setSaveState('未保存的修改…', 'pending');
    s.saveTimer = setTimeout(save, delay);
  }

  /** Sends the whole sheet; on failure retries with a growing pause. Resolves when the latest
   *  revision is saved, or false when it cannot be (attempt closed, logged out). */
  async function save() {
    clearTimeout(s.saveTimer);
    if (s.saving) return s.saving;
    if (s.savedRev === s.rev) return true;
    var rev = s.rev;
    setSaveState('保存中…', 'pending');
    s.saving = (async function () {
      try {
        var res = await Xs.api('PUT', '/api/v1/attempts/' + s.attemptId + '/answers', { answers: s.answers });
        if (res.ok) {
          s.savedRev = rev;
          s.retryMs = 2000;
          setSaveState('已保存 ' + Xs.clock(new Date(res.body.saved_at)), 'ok');
          return true;
        }
        var err = Xs.errorOf(res);
        if (res.status === 409) { s.closed = true; setSaveState('本次考试已结束', ''); submit(); return false; }
        if (res.status === 401 || res.status === 403) {
          setSaveState('保存失败：' + err.message, 'bad');
          return false;
        }
        if (res.status < 500) { setSaveState('保存失败：' + err.message, 'bad'); return false; }
        throw new Error(err.message);
      } catch (e) {
        var wait = s.retryMs;
        s.retryMs = Math.min(s.retryMs * 2, 15000);
        setSaveState('保存失败，' + Math.round(wait / 1000) + ' 秒后自动重试…', 'bad');
        s.saveTimer = setTimeout(save, wait);
        return false;
      } finally {
        s.saving = null;
      }
    })();
    var ok = await s.saving;
    if (ok && s.savedRev !== s.rev) return save();
    return ok;
  }

  window.addEventListener('online', function () { if (s.attemptId && s.savedRev !== s.rev) save(); });
  window.addEventListener('beforeunload', function (e) {
    if (s.attemptId && !s.closed && s.savedRev !== s.rev) { e.preventDefault(); e.returnValue = ''; }
  });

  // ---- submitting -------------------------------------------------------------------------------

  function askSubmit() {
    var missing = s.questions.filter(function (q) { return !answered(q); }).length;
    $('confirm-text').textContent = missing
      ? '还有 ' + missing + ' 道题未作答，未作答的题不得分。'
      : '全部 ' + s.questions.length + ' 道题都已作答。';
    var dialog = $('confirm');
    if (typeof dialog.showModal === 'function') {
      dialog.showModal();
      $('confirm-no').focus();
    } else if (window.confirm($('confirm-text').textContent + ' 确认交卷？')) {
      submit();
    }
  }

  async function submit() {
    if (s.submitting) return;
    s.submitting = true;
    $('submit').disabled = true;
    clearFail();
    if (!s.closed) {
      var saved = await save();
      if (!saved && !s.closed) {
        s.submitting = false;
        $('submit').disabled = false;
        return fail('答案尚未保存成功，暂不能交卷。请检查网络，恢复后再点“交卷”。');
      }
    }
    var res;
    try {
      res = await Xs.api('POST', '/api/v1/attempts/' + s.attemptId + '/submit');
    } catch (e) {
      res = null;
    }
    if (!res || !res.ok) {
      s.submitting = false;
      $('submit').disabled = false;
      return fail(res ? Xs.errorOf(res).message : '网络连接失败，交卷未完成，请恢复网络后再点“交卷”。');
    }
    s.closed = true;
    clearInterval(s.timer);
    showResult(res.body);
  }

  // ---- wiring -----------------------------------------------------------------------------------

  var showResult = window.XsExamResult.show, showLocked = window.XsExamResult.locked;
  if ($('start')) $('start').addEventListener('click', start);
  $('prev').addEventListener('click', function () { move(-1); });
  $('next').addEventListener('click', function () { move(1); });
  $('submit').addEventListener('click', askSubmit);
  $('confirm-no').addEventListener('click', function () { $('confirm').close(); });
  $('confirm-yes').addEventListener('click', function () { $('confirm').close(); submit(); });
})();
