// Lecture upload on the base admin's course page: the file goes to the JSON API with an upload
// progress bar (XHR upload.onprogress), then the transcode job is polled for its ffmpeg
// progress until the lecture is ready (就绪) or failed. Lectures already transcoding when the
// page opens are followed too. Without this script the form posts as a plain multipart form.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!window.Xs) return;
  var Xs = window.Xs, el = Xs.el;
  var $ = function (id) { return document.getElementById(id); };
  var POLL_MS = 1000;

  function fieldError(id, message) {
    var box = $('e-' + id), input = $('f-' + id);
    box.textContent = message || '';
    Xs.show(box, !!message);
    if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  }

  function percent(fraction) { return Math.max(0, Math.min(100, Math.round(fraction * 100))); }

  /** Sets a lecture row's state: its tag, bar and text. */
  function showRow(row, state, fraction, text) {
    if (!row) return;
    var tag = row.querySelector('.lecture-status');
    var bar = row.querySelector('.job-bar');
    var line = row.querySelector('.job-text');
    tag.textContent = { ready: '就绪', failed: '转码失败', processing: '转码中' }[state];
    tag.className = 'tag lecture-status ' + ({ ready: 'ok', failed: 'bad', processing: 'warn' }[state]);
    if (bar) bar.value = percent(fraction);
    if (line) {
      line.textContent = text;
      line.className = state === 'failed' ? 'field-error job-text' : 'muted job-text';
    }
  }

  /** What a job's state means, in Chinese. */
  function describe(job) {
    if (job.status === 'done') return { state: 'ready', text: '就绪：转码完成，可以预览。' };
    if (job.status === 'failed') {
      return { state: 'failed', text: '视频转码失败，请检查视频文件后重新上传。' + (job.error ? '（' + job.error.slice(0, 120) + '）' : '') };
    }
    if (job.error) return { state: 'processing', text: '转码出错，稍后自动重试（已尝试 ' + job.attempts + ' 次）。' };
    if (job.status === 'queued') return { state: 'processing', text: '排队等待转码…' };
    return { state: 'processing', text: '正在转码（' + percent(job.progress) + '%）' };
  }

  /** Polls the job until it is done or failed; `update(job, meaning)` after each answer. */
  function follow(jobId, update) {
    Xs.api('GET', '/api/v1/jobs/' + jobId).then(function (res) {
      if (!res.ok) { update(null, { state: 'processing', text: Xs.errorOf(res).message }); return; }
      var meaning = describe(res.body);
      update(res.body, meaning);
      if (res.body.status !== 'done' && res.body.status !== 'failed') setTimeout(function () { follow(jobId, update); }, POLL_MS);
    }, function () {
      update(null, { state: 'processing', text: '网络中断，正在重试…' });
      setTimeout(function () { follow(jobId, update); }, POLL_MS * 3);
    });
  }

  function followRow(row, jobId) {
    follow(jobId, function (job, meaning) {
      var fraction = job ? (job.status === 'done' ? 1 : job.progress) : null;
      if (fraction === null) { row.querySelector('.job-text').textContent = meaning.text; return; }
      showRow(row, meaning.state, fraction, meaning.text);
      if (meaning.state === 'ready') showLengths();
    });
  }

  function minutesSeconds(s) { s = Math.round(s || 0); return Math.floor(s / 60) + ':' + Xs.pad(s % 60); }

  /** Once a lecture is ready: its length, its preview link and the course's total length. */
  function showLengths() {
    var list = $('lectures'), courseId = list.getAttribute('data-course-id');
    Xs.api('GET', '/api/v1/courses/' + courseId).then(function (res) {
      if (!res.ok) return;
      var total = 0;
      res.body.lectures.forEach(function (l) {
        total += l.duration_s || 0;
        var row = $('lecture-' + l.id);
        if (l.status !== 'ready' || !row || row.querySelector('.preview-link')) return;
        row.querySelector('.row-head').appendChild(el('span', {}, [
          ' ', el('span', { class: 'muted', text: '时长 ' + minutesSeconds(l.duration_s) }), ' ',
          el('a', { class: 'preview-link', href: '/staff/courses/' + courseId + '/lectures/' + l.id + '/preview', text: '预览' })
        ]));
      });
      $('total-length').textContent = minutesSeconds(total);
    }, function () {});
  }

  // Lectures that were transcoding when the page was opened.
  Array.prototype.forEach.call(document.querySelectorAll('#lectures li[data-job-id]'), function (row) {
    followRow(row, row.getAttribute('data-job-id'));
  });

  if (!form) return;
  var courseId = form.getAttribute('data-course-id');
  var maxMb = Number(form.getAttribute('data-max-mb'));

  function newRow(lectureId, title) {
    var row = el('li', { id: 'lecture-' + lectureId }, [
      el('div', { class: 'row-head' }, [
        el('strong', { class: 'lecture-title', text: title }), ' ',
        el('span', { class: 'tag lecture-status warn', text: '转码中' })
      ]),
      el('progress', { class: 'meter job-bar', max: '100', value: '0', 'aria-label': title + ' 转码进度' }),
      el('div', { class: 'muted job-text', text: '排队等待转码…' })
    ]);
    $('lectures').appendChild(row);
    Xs.show($('no-lectures'), false);
    return row;
  }

  /** The upload's refusal, next to the field it concerns. */
  function refused(res) {
    var e = Xs.errorOf(res);
    if (e.code === 'invalid_media') fieldError('file', '不是可播放的视频文件。请选择手机或摄像机录制的视频（如 MP4、MOV）。');
    else if (res.status === 413) fieldError('file', '文件太大，每个视频不能超过 ' + maxMb + ' MB。');
    else if (e.code === 'invalid_title') fieldError('lecture-title', e.message);
    else fieldError('file', e.message);
  }

  // The bars above follow the latest upload only; earlier ones go on in their list rows.
  var latest = 0;

  function transcode(body, title) {
    var row = newRow(body.lecture.id, title);
    var mine = ++latest;
    $('transcode-text').textContent = '0%';
    follow(body.job.id, function (job, meaning) {
      var fraction = job ? (job.status === 'done' ? 1 : job.progress) : null;
      if (fraction !== null) showRow(row, meaning.state, fraction, meaning.text);
      if (fraction !== null && meaning.state === 'ready') showLengths();
      if (mine !== latest) return;
      if (fraction === null) { $('transcode-status').textContent = meaning.text; return; }
      $('transcode-bar').value = percent(fraction);
      $('transcode-text').textContent = meaning.state === 'ready' ? '100% 就绪' : (meaning.state === 'failed' ? '失败' : percent(fraction) + '%');
      $('transcode-status').textContent = meaning.text;
      $('transcode-status').className = meaning.state === 'failed' ? 'field-error' : (meaning.state === 'ready' ? 'notice ok' : 'muted');
    });
  }

  function send(title, file) {
    var data = new FormData();
    data.append('title', title);
    data.append('file', file);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/courses/' + courseId + '/lectures');
    xhr.setRequestHeader('X-CSRF-Token', Xs.csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      $('upload-bar').value = percent(e.loaded / e.total);
      $('upload-text').textContent = percent(e.loaded / e.total) + '%';
    };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      var res = { status: xhr.status, ok: xhr.status >= 200 && xhr.status < 300, body: body };
      if (xhr.status === 202) {
        $('upload-bar').value = 100;
        $('upload-text').textContent = '100% 已上传';
        form.reset();
        $('upload-button').disabled = false;
        transcode(body, title);
      } else {
        Xs.show($('upload-progress'), false);
        $('upload-button').disabled = false;
        refused(res);
      }
    };
    xhr.onerror = function () {
      Xs.show($('upload-progress'), false);
      $('upload-button').disabled = false;
      fieldError('file', '网络中断，上传没有完成，请重试。');
    };
    xhr.send(data);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var title = $('f-lecture-title').value.trim();
    var file = $('f-file').files[0];
    fieldError('lecture-title', title ? '' : '请填写课时名称。');
    fieldError('file', file ? '' : '请选择视频文件。');
    if (!title || !file) return;
    if (file.size > maxMb * 1024 * 1024) { fieldError('file', '文件太大，每个视频不能超过 ' + maxMb + ' MB。'); return; }
    $('upload-button').disabled = true;
    Xs.show($('upload-progress'), true);
    $('upload-bar').value = 0;
    $('transcode-bar').value = 0;
    $('upload-text').textContent = '0%';
    $('transcode-text').textContent = '等待上传完成';
    $('transcode-status').textContent = '';
    send(title, file);
  });
})();
