// The exam's outcome: score, attempts left, or the lock with the restudy button (申请重新学习).
// Loaded before exam.js, which calls `XsExamResult.show(outcome)` after handing in.
(function () {
  'use strict';
  var root = document.getElementById('exam');
  if (!root || !window.Xs) return;
  var Xs = window.Xs, el = Xs.el;
  var $ = function (id) { return document.getElementById(id); };
  var courseId = root.getAttribute('data-course-id');
  var passScore = root.getAttribute('data-pass-score');
  var maxAttempts = root.getAttribute('data-max-attempts');

  function fail(message) {
    var box = $('exam-error');
    box.textContent = message;
    Xs.show(box, true);
  }

  function showResult(o) {
    Xs.show($('paper'), false);
    Xs.show($('intro'), false);
    var title = $('result-title'), body = $('result-body'), actions = $('result-actions');
    body.textContent = '';
    actions.textContent = '';
    var score = el('p', { class: 'score' }, [el('strong', { text: String(o.score) }), ' 分（' + passScore + ' 分及格）']);
    body.appendChild(score);
    if (o.passed) {
      title.textContent = '考试通过';
      $('result').className = 'card result ok';
      body.appendChild(el('p', { text: '已记入 ' + o.hours_credited + ' 学时，可在“首页”和“学习档案”中查看。' }));
      actions.appendChild(el('a', { class: 'button block', href: '/dashboard', text: '查看我的学时' }));
    } else if (o.attempts_left > 0) {
      title.textContent = '未通过';
      $('result').className = 'card result bad';
      body.appendChild(el('p', { text: '本轮还可再考 ' + o.attempts_left + ' 次。' }));
      var again = el('a', { class: 'button block', href: window.location.pathname, text: '再考一次' });
      actions.appendChild(again);
    } else {
      showLocked(score);
      return;
    }
    Xs.show($('result'), true);
    title.focus();
  }

  function showLocked(score) {
    Xs.show($('paper'), false);
    Xs.show($('intro'), false);
    var body = $('result-body'), actions = $('result-actions');
    body.textContent = '';
    actions.textContent = '';
    $('result-title').textContent = '未通过，考试已锁定';
    if (score) body.appendChild(score);
    $('result').className = 'card result bad';
    body.appendChild(el('p', {
      text: '本轮 ' + maxAttempts + ' 次考试机会已用完。申请重新学习后，需重新学完全部讲次，才能再次参加考试。'
    }));
    var b = el('button', { type: 'button', class: 'block js-restudy', text: '申请重新学习' });
    b.addEventListener('click', restudy);
    actions.appendChild(b);
    Xs.show($('result'), true);
    $('result-title').focus();
  }

  async function restudy(e) {
    var button = e.currentTarget;
    button.disabled = true;
    Xs.show($('exam-error'), false);
    var res;
    try {
      res = await Xs.api('POST', '/api/v1/courses/' + courseId + '/restudy');
    } catch (err) {
      button.disabled = false;
      return fail('网络连接失败，请检查网络后重试。');
    }
    if (!res.ok) {
      button.disabled = false;
      return fail(Xs.errorOf(res).message);
    }
    var done = el('div', { class: 'notice ok', role: 'status' }, [
      '已开始第 ' + res.body.cycle + ' 轮学习。请重新学完全部讲次，再回来参加考试。'
    ]);
    button.replaceWith(done, el('a', { class: 'button block', href: '/courses/' + courseId, text: '去学习课程' }));
  }

  document.querySelectorAll('.js-restudy').forEach(function (b) { b.addEventListener('click', restudy); });
  window.XsExamResult = { show: showResult, locked: showLocked };
})();
